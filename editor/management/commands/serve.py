"""`manage.py serve`: uvicorn or daphne, with the WebSocket message limit the editor says.

uvicorn (the default) serves with uvloop, httptools and websockets' sans-I/O
protocol: 1.3-1.6x daphne's throughput on the editor bench in the same run
(docs/benchmarks.md). websockets closes an oversized message with 1009, which stock
clients retry forever; the protocol below turns it into TOO_BIG (4413).

`--server daphne` (or OVERSIGHT_ASGI_SERVER=daphne) serves with daphne. daphne cuts
any message over its own limit (1 MiB unless told) by dropping the TCP connection:
the client sees 1006, reconnects, resends the same unsynced work and
hits the same wall forever, whatever EDITOR_MAX_MESSAGE_BYTES says. Served this
way, daphne's limit is the setting and a message over it gets the editor's close
(4413, which stock y-websocket clients and the editor page treat as final) before
it is buffered whole.
"""

import logging
import os
import subprocess
import sys

from daphne.access import AccessLogGenerator
from daphne.endpoints import build_endpoint_description_strings
from daphne.server import Server
from django.conf import settings
from django.core.management.base import BaseCommand

from editor.consumer import TOO_BIG

log = logging.getLogger("oversight.editor")


def close_oversized_messages(server: Server, limit: int) -> None:
    """Make the server's WebSocket protocol close an oversized message with TOO_BIG."""
    base = server.ws_factory.protocol
    code, reason = TOO_BIG

    class Protocol(base):
        def _max_message_size_exceeded(self, msg_size, max_msg_size, why):
            # autobahn's hook for this case; its default drops the TCP connection.
            log.warning("closing websocket %s: %s", getattr(self, "path", "?"), why)
            self.failByDrop = False  # a close frame with a code, then the TCP close
            self._fail_connection(code, reason.format(limit=limit))

    server.ws_factory.protocol = Protocol


def uvicorn_protocol(limit: int):
    """uvicorn's websockets (sans-I/O) protocol, closing an oversized message with TOO_BIG."""
    from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
    from websockets.frames import CloseCode

    code, reason = TOO_BIG

    class Protocol(WebSocketsSansIOProtocol):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            fail = self.conn.fail

            def fail_oversized(close_code, close_reason=""):
                # websockets' parser fails the connection with 1009 past max_size.
                if close_code == CloseCode.MESSAGE_TOO_BIG:
                    log.warning("closing websocket: %s", close_reason)
                    close_code, close_reason = code, reason.format(limit=limit)
                fail(close_code, close_reason)

            self.conn.fail = fail_oversized

    return Protocol


def serve_uvicorn(application, bind: str, port: int, limit: int, verbosity: int) -> None:
    import uvicorn

    config = uvicorn.Config(application, host=bind, port=port, loop="uvloop", http="httptools",
                            ws=uvicorn_protocol(limit), ws_max_size=limit,
                            # As daphne here and the reference server: no compression.
                            ws_per_message_deflate=False, lifespan="off",
                            log_level="info" if verbosity >= 1 else "warning",
                            access_log=verbosity >= 1)
    uvicorn.Server(config).run()


def start_recorder(mode: str) -> subprocess.Popen | None:
    """In "process" mode: `manage.py record` as a child, so one command serves.

    The rooms then only store and relay (the recorder shares neither this process's
    core nor its GIL: 0.78x the reference server instead of 0.26x, docs/benchmarks.md);
    the child exits when this process is gone, even after a SIGKILL (`--parent`).
    """
    settings.EDITOR["RECORDER"] = mode  # what this process's rooms follow
    if mode != "process":
        return None
    command = [sys.executable, "-m", "django", "record", "--parent", str(os.getpid())]
    return subprocess.Popen(command,
                            env={**os.environ, "EDITOR_RECORDER": "process",
                                 "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE})


class Command(BaseCommand):
    help = ("Serve the app with uvicorn (or daphne), its WebSocket limit following "
            "EDITOR_MAX_MESSAGE_BYTES.")

    def add_arguments(self, parser):
        parser.add_argument("-b", "--bind", default="127.0.0.1", help="address to listen on")
        parser.add_argument("-p", "--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--server", choices=["daphne", "uvicorn"],
                            default=os.environ.get("OVERSIGHT_ASGI_SERVER", "uvicorn"),
                            help="the ASGI server (default: $OVERSIGHT_ASGI_SERVER or uvicorn)")
        parser.add_argument("--recorder", choices=["process", "room"],
                            default=os.environ.get("EDITOR_RECORDER", "process"),
                            help="who derives edit events from the stored log: a child process "
                                 "(`manage.py record`) or each room in a thread of this one "
                                 "(default: $EDITOR_RECORDER or process)")

    def handle(self, *args, bind: str, port: int, verbosity: int, server: str, recorder: str,
               **options):
        recorder = start_recorder(recorder)
        try:
            self.serve(bind, port, verbosity, server)
        finally:
            if recorder is not None:
                recorder.terminate()
                recorder.wait(timeout=15)

    def serve(self, bind: str, port: int, verbosity: int, server: str) -> None:
        from oversight.asgi import application

        logging.basicConfig(level=logging.INFO if verbosity >= 1 else logging.WARNING,
                            format="%(asctime)-15s %(levelname)-8s %(message)s")
        limit = settings.EDITOR["MAX_MESSAGE_BYTES"]
        if server == "uvicorn":
            self.stdout.write(f"Serving on http://{bind}:{port}/ with uvicorn "
                              f"(WebSocket messages up to {limit} bytes)")
            return serve_uvicorn(application, bind, port, limit, verbosity)
        server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host=bind, port=port),
            websocket_max_message_size=limit,
            websocket_max_frame_size=0,  # a frame is part of a message: its limit covers it
            action_logger=AccessLogGenerator(sys.stdout),
            verbosity=verbosity,
        )
        server.ready_callable = lambda: close_oversized_messages(server, limit)
        self.stdout.write(f"Serving on http://{bind}:{port}/ with daphne "
                          f"(WebSocket messages up to {limit} bytes)")
        server.run()
