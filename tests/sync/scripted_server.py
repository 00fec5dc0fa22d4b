"""A scripted HTTP server on 127.0.0.1 for the replies the real backend never gives: stalls,
5xx with Retry-After, redirects, garbage. Each request takes the next scripted reply."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: {
        "Content-Type": "application/json"})
    stall: float = 0.0  # seconds to wait before answering (released early at teardown)


@dataclass
class ScriptedServer:
    url: str
    replies: list[Scripted]
    requests: list[tuple[str, str, dict[str, str], bytes]]
    release: threading.Event
    answered: int = 0  # replies the server began to send (a stalled one counts once it ends)

    def then(self, *replies: Scripted) -> ScriptedServer:
        self.replies.extend(replies)
        return self


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True

    def __init__(self, state: ScriptedServer | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state or ScriptedServer(f"http://127.0.0.1:{self.server_address[1]}",
                                             [], [], threading.Event())

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None


class _Handler(http.server.BaseHTTPRequestHandler):
    server_version = "scripted"
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        assert isinstance(self.server, _Server)
        state = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        state.requests.append((self.command, self.path, dict(self.headers), body))
        reply = state.replies.pop(0) if state.replies else Scripted(
            500, b'{"error":"unscripted","reason":"no reply scripted"}')
        if reply.stall:
            state.release.wait(reply.stall)
        state.answered += 1
        try:
            self.send_response(reply.status)
            for k, v in reply.headers.items():
                self.send_header(k, v)
            if "Content-Length" not in reply.headers:
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)
        except OSError:
            pass  # the client gave up (timeout): expected in these tests

    do_GET = do_POST = do_PUT = do_HEAD = _serve

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextlib.contextmanager
def scripted_server() -> Iterator[ScriptedServer]:
    """Serve until the block ends; stalled replies are released then, and every thread is
    joined."""
    server = _Server()
    thread = threading.Thread(target=server.serve_forever, name="scripted-server",
                              kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield server.state
    finally:
        server.state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(10)
        assert not thread.is_alive()
