"""A real webhook receiver on loopback: verifies signatures, answers as each test scripts."""

import hashlib
import hmac
import json
import threading
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STALL = "stall"  # answer only after the client has given up
SECRET = "receiver-secret-0123456789"


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        server: Receiver = self.server  # type: ignore[assignment]
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        expected = "sha256=" + hmac.new(server.secret.encode(), body, hashlib.sha256).hexdigest()
        signature = self.headers.get("X-Oversight-Signature", "")
        with server.arrived:
            server.requests.append({
                "path": self.path, "headers": dict(self.headers), "body": body,
                "json": json.loads(body), "verified": hmac.compare_digest(expected, signature)})
            answer = server.script.popleft() if server.script else 200
            server.arrived.notify_all()
        if server.on_request is not None:
            server.on_request()
        if answer == STALL:
            server.released.wait(10)
            return
        if isinstance(answer, tuple):  # (status, extra headers, body)
            status, extra, reply = answer
        else:
            status, extra, reply = answer, {}, b'{"ok": true}' if answer < 300 else b"boom"
        self.send_response(status)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        try:
            self.wfile.write(reply)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading at its cap, as it should


class Receiver(ThreadingHTTPServer):
    """Answer POSTs with the next scripted answer (a status, STALL or a tuple); 200 after."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.secret = SECRET
        self.script: deque = deque()
        self.requests: list[dict] = []
        self.arrived = threading.Condition()
        self.released = threading.Event()
        self.on_request = None  # called in the handler's thread before answering

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"

    def answer(self, *answers) -> None:
        self.script.extend(answers)

    def wait_for(self, count: int, timeout: float = 30.0) -> list[dict]:
        """Wait until `count` requests have arrived (from another process's worker)."""
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.requests) >= count, timeout):
                raise AssertionError(f"{len(self.requests)} of {count} deliveries arrived "
                                     f"within {timeout:.0f} s")
            return list(self.requests)
