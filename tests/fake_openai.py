"""A small real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions format (JSON and SSE).

It causes the faults a real model server cannot be made to produce on demand. The behaviour is chosen by
the requested model name: ok, 401, 404, 429, 503-once, 500-midstream, drop-midstream, hang, hang-midstream,
echo (answers by restating the question it was asked, as small models sometimes do), quote (answers
with the first sentence of passage [1] of its prompt, cited: a well-behaved model, for answers that pass),
empty (a stream with no text), garbage (fluent text no passage supports, with made-up markers) and
bad-json (stream events that are not JSON).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

MODELS = ["ok", "401", "404", "429", "503-once", "500-midstream", "drop-midstream", "hang", "hang-midstream", "echo",
          "quote", "empty", "garbage", "bad-json"]
GARBAGE = "Zorblax quantum llamas invaded Neptune in 1492 [1]. The answer is 42 [7]. ]]]{{{ %%% \u0000 [3]"


def _chunk(text: str, model: str) -> bytes:
    body = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": model,
            "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    return f"data: {json.dumps(body)}\n\n".encode()


class Handler(BaseHTTPRequestHandler):
    server: FakeServer
    protocol_version = "HTTP/1.1"  # streams use chunked encoding, like uvicorn-based servers

    def _send(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def _json(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _error(self, status: int, message: str) -> None:
        self._json(status, {"error": {"message": message, "type": "error", "code": status}})

    def do_GET(self) -> None:
        if self.path.rstrip("/").endswith("/models"):
            self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in MODELS]})
        else:
            self._error(404, "not found")

    def do_POST(self) -> None:
        req = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        model = str(req.get("model", ""))
        with self.server.lock:
            self.server.requests.append(model)
            seen = self.server.requests.count(model)
        if model == "401":
            return self._error(401, "Incorrect API key provided")
        if model == "404" or model not in MODELS:
            return self._error(404, f"The model `{model}` does not exist")
        if model == "429":
            return self._error(429, "Rate limit reached")
        if model == "503-once" and seen == 1:
            return self._error(503, "overloaded")
        if model == "hang":
            time.sleep(self.server.hang_s)
            return None
        if not req.get("stream"):
            return self._json(200, {
                "id": "c1", "object": "chat.completion", "created": 0, "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": "Hello there."},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 5, "completion_tokens": 2, "total_tokens": 7}})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if model in ("echo", "quote"):
            prompt = str(req["messages"][-1]["content"])
            if model == "echo":
                text = prompt.rsplit("Question:", 1)[-1].strip().rstrip("?") + " [1]."
            else:
                found = re.search(r"\[1\] [^\n]*\n(.+?[.!?])(?=\s)", prompt, re.DOTALL)
                text = (found.group(1).rstrip(".!?") if found else "Nothing") + " [1]."
            for word in re.findall(r"\S+\s*", text):  # word by word, as a model streams
                self._send(_chunk(word, model))
            self._send(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            return None
        if model == "empty":
            self._send(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            return None
        if model == "bad-json":
            self._send(b"data: {not json at all\n\n")
            self._send(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            return None
        if model == "garbage":
            for word in re.findall(r"\S+\s*", GARBAGE):
                self._send(_chunk(word, model))
            self._send(b"data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            return None
        self._send(_chunk("Hello", model))
        if model == "500-midstream":
            err = {"error": {"message": "internal error while generating", "code": 500}}
            self._send(f"data: {json.dumps(err)}\n\n".encode())
        elif model == "drop-midstream":
            self._send(b'data: {"id": "c1", "choi')  # half an event, then the connection drops
            self.close_connection = True
            return None
        elif model == "hang-midstream":
            time.sleep(self.server.hang_s)
            self.close_connection = True
            return None
        else:
            for word in (" there", ", friend", "."):
                self._send(_chunk(word, model))
            self._send(b"data: [DONE]\n\n")
        self.wfile.write(b"0\r\n\r\n")
        return None


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, hang_s: float = 5.0, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.hang_s = hang_s

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


@contextmanager
def fake_openai(hang_s: float = 5.0, port: int = 0) -> Iterator[FakeServer]:
    server = FakeServer(hang_s, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
