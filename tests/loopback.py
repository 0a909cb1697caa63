"""Serve a test's HTTP server (a fake model, a webhook receiver) on loopback in a thread."""

import threading
from contextlib import contextmanager


@contextmanager
def serving(server):
    """Run `server.serve_forever` in a thread; on exit release its stalled handlers, stop it.

    Servers that stall a handler wait on `server.released` (and `server.gate`, if they
    have one): both are set first, so shutting down never waits out a stall.
    """
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    try:
        yield server
    finally:
        for event in ("released", "gate"):
            if hasattr(server, event):
                getattr(server, event).set()
        server.shutdown()
        server.server_close()
        thread.join(5)
