"""`manage.py serve`: daphne with the WebSocket message limit the editor's settings say.

daphne cuts any message over its own limit (1 MiB unless told) by dropping the TCP
connection: the client sees 1006, reconnects, resends the same unsynced work and
hits the same wall forever, whatever EDITOR_MAX_MESSAGE_BYTES says. Served this
way, daphne's limit is the setting and a message over it gets the editor's close
(4413, which stock y-websocket clients and the editor page treat as final) before
it is buffered whole.
"""

import logging
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


class Command(BaseCommand):
    help = "Serve the app with daphne, its WebSocket limit following EDITOR_MAX_MESSAGE_BYTES."

    def add_arguments(self, parser):
        parser.add_argument("-b", "--bind", default="127.0.0.1", help="address to listen on")
        parser.add_argument("-p", "--port", type=int, default=8000, help="port to listen on")

    def handle(self, *args, bind: str, port: int, verbosity: int, **options):
        from oversight.asgi import application

        logging.basicConfig(level=logging.INFO if verbosity >= 1 else logging.WARNING,
                            format="%(asctime)-15s %(levelname)-8s %(message)s")
        limit = settings.EDITOR["MAX_MESSAGE_BYTES"]
        server = Server(
            application=application,
            endpoints=build_endpoint_description_strings(host=bind, port=port),
            websocket_max_message_size=limit,
            websocket_max_frame_size=0,  # a frame is part of a message: its limit covers it
            action_logger=AccessLogGenerator(sys.stdout),
            verbosity=verbosity,
        )
        server.ready_callable = lambda: close_oversized_messages(server, limit)
        self.stdout.write(f"Serving on http://{bind}:{port}/ "
                          f"(WebSocket messages up to {limit} bytes)")
        server.run()
