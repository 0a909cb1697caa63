"""A scripted OpenAI-compatible chat-completions server on loopback, for the model judge.

Each request takes the next reply of `script` (the last one repeats): an answer text
(`answer("...")`), an HTTP error (`status(500)`), a stall longer than the client's
timeout (`stall()`), or a refusal of `response_format` as many servers without
structured output answer (`no_structured_output()`, then the next reply).
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.loopback import serving


def answer(text: str) -> dict:
    return {"kind": "answer", "text": text}


def status(code: int, message: str = "upstream failure") -> dict:
    return {"kind": "status", "code": code, "message": message}


def stall(seconds: float = 5.0) -> dict:
    return {"kind": "stall", "seconds": seconds}


def no_structured_output() -> dict:
    return {"kind": "no_structured_output"}


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        server: JudgeServer = self.server  # type: ignore[assignment]
        length = int(self.headers.get("Content-Length", 0))
        request = json.loads(self.rfile.read(length) or b"null")
        reply = server.next_reply(request)
        if reply["kind"] == "no_structured_output" and "response_format" in request:
            return self._send(400, {"error": {"message": "response_format is not supported"}})
        if reply["kind"] == "no_structured_output":
            reply = server.next_reply(request, record=False)
        if reply["kind"] == "stall":
            server.released.wait(reply["seconds"])
            return None
        if reply["kind"] == "status":
            return self._send(reply["code"], {"error": {"message": reply["message"]}})
        return self._send(200, {"id": "c1", "model": "judge-model-1",
                                "choices": [{"index": 0, "finish_reason": "stop",
                                             "message": {"role": "assistant",
                                                         "content": reply["text"]}}]})


class JudgeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.script: list[dict] = []
        self.requests: list[dict] = []
        self.released = threading.Event()
        self._lock = threading.Lock()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"

    def next_reply(self, request: dict, *, record: bool = True) -> dict:
        with self._lock:
            if record:
                self.requests.append(request)
            return self.script.pop(0) if len(self.script) > 1 else self.script[0]


@pytest.fixture
def judge_server(settings):
    with serving(JudgeServer()) as server:
        settings.DRAFT_PROVIDER = {"BASE_URL": server.base_url, "MODEL": "default-model",
                                   "API_KEY": "", "TIMEOUT": 0.5}
        yield server
