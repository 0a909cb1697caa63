"""A real OpenAI-compatible chat-completions server on loopback, for draft-provider tests."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.loopback import serving

COMPLETION = "The sky is blue because air scatters short wavelengths more than long ones."
# The same answer as a chat-completions stream sends it, piece by piece.
PIECES = ["The sky is blue ", "because air scatters ", "short wavelengths ",
          "more than long ones."]
STREAM_MODES = ("stream", "stream_gated", "stream_cut", "stream_garbage")


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def do_POST(self):
        server: ProviderServer = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length", 0))
        server.requests.append({"path": self.path, "headers": dict(self.headers),
                                "json": json.loads(self.rfile.read(length) or b"null")})
        if server.mode in STREAM_MODES:
            self._stream(server)
            return
        status, content_type, body = server.reply()
        if status is None:  # "hang": answer only when the test is over
            server.released.wait(10)
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


    def _event(self, data: str) -> None:
        self.wfile.write(f"data: {data}\n\n".encode())
        self.wfile.flush()

    def _stream(self, server) -> None:
        """Answer as a server-sent event stream; the connection closes at the end (HTTP/1.0)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.write(b": keep-alive comment\n\n")
        for i, piece in enumerate(server.pieces):
            chunk = {"id": "chatcmpl-2", "model": "served-model-7b", "object":
                     "chat.completion.chunk",
                     "choices": [{"index": 0, "delta": {"content": piece}}]}
            self._event(json.dumps(chunk))
            if i == 0 and server.mode == "stream_gated":
                server.first_sent.set()
                server.gate.wait(10)  # the test reads the first piece before the rest exists
            if i == 1 and server.mode == "stream_cut":
                return  # the provider dies mid-answer
            if i == 1 and server.mode == "stream_garbage":
                self._event("{not json")
                return
        self._event("[DONE]")


class ProviderServer(ThreadingHTTPServer):
    """Serve /v1/chat/completions; `mode` picks the reply: ok, hang, error, malformed, empty.

    Streamed modes: stream, stream_gated (waits for `gate` after the first piece),
    stream_cut (closes after two pieces, without [DONE]), stream_garbage (a non-JSON event).
    "ok" answers one JSON completion even when asked to stream, as providers without
    streaming do.
    """

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.requests: list[dict] = []
        self.released = threading.Event()
        self.pieces = list(PIECES)
        self.gate = threading.Event()
        self.first_sent = threading.Event()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def reply(self) -> tuple[int | None, str, bytes]:
        if self.mode == "hang":
            return None, "", b""
        if self.mode == "error":
            body = {"error": {"message": "model 'ghost' not found", "type": "invalid_request"}}
            return 500, "application/json", json.dumps(body).encode()
        if self.mode == "malformed":
            return 200, "application/json", b"<html>502 Bad Gateway</html>"
        if self.mode == "empty":
            return 200, "application/json", json.dumps({"choices": []}).encode()
        body = {"id": "chatcmpl-1", "model": "served-model-7b",
                "choices": [{"index": 0, "finish_reason": "stop",
                             "message": {"role": "assistant", "content": COMPLETION}}]}
        return 200, "application/json", json.dumps(body).encode()


@pytest.fixture
def provider_server():
    server = ProviderServer()
    with serving(server):
        yield server


@pytest.fixture
def configured_provider(provider_server, settings):
    """Point settings.DRAFT_PROVIDER at the loopback server, with a short timeout."""
    settings.DRAFT_PROVIDER = {"BASE_URL": provider_server.base_url, "MODEL": "test-model",
                               "API_KEY": "sk-test", "TIMEOUT": 0.5}
    return provider_server
