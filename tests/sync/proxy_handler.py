"""How the fault proxy (fault_proxy.py) handles one request: take the next scripted fault,
forward the request to the backend if the fault lets it through, and answer as the fault says
(its own reply, the backend's reply rewritten, a stall, a dropped or reset connection).

Kept apart from the proxy's controls because this is the part that must be careful with
threads and sockets: every connection is registered so that closing the proxy can shut it
down, and a client that gives up mid-reply is expected, not an error.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .proxy_faults import Fault, passthrough

UPSTREAM_TIMEOUT = 30.0
CONNECTION_TIMEOUT = 30.0  # an idle client connection is closed after this
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "te", "trailer",
                         "proxy-authorization", "transfer-encoding", "upgrade",
                         "content-length"})


@dataclass(frozen=True)
class Seen:
    """One request as the proxy handled it."""

    method: str
    path: str
    fault: str
    upstream_status: int | None  # None: not forwarded, or the backend could not be reached
    at: float  # the proxy's clock when the request arrived


@dataclass
class Script:
    """One scripted fault, waiting for the first request it matches."""

    method: str
    path: str
    fault: Fault

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and path.startswith(self.path)


@dataclass
class ProxyState:
    """What the proxy's controls and its handler threads share (under ``lock``)."""

    upstream: tuple[str, int]
    clock: Callable[[], float]
    scripts: list[Script] = field(default_factory=list)
    default: Fault | None = None
    seen: list[Seen] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    release: threading.Event = field(default_factory=threading.Event)
    connections: set[socket.socket] = field(default_factory=set)

    def take(self, method: str, path: str) -> Fault:
        with self.lock:
            for i, script in enumerate(self.scripts):
                if script.matches(method, path):
                    del self.scripts[i]
                    return script.fault
            return self.default or passthrough()


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "fault-proxy"
    timeout = CONNECTION_TIMEOUT

    @property
    def state(self) -> ProxyState:
        assert isinstance(self.server, ProxyServer)
        return self.server.state

    def setup(self) -> None:
        super().setup()
        with self.state.lock:
            self.state.connections.add(self.connection)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()
        with self.state.lock:
            self.state.connections.discard(self.connection)

    def _serve(self) -> None:
        state = self.state
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        fault = state.take(self.command, self.path)
        arrived = state.clock()
        if fault.kind == "reset":
            state.seen.append(Seen(self.command, self.path, fault.name, None, arrived))
            self._reset()
            return
        upstream: tuple[int, list[tuple[str, str]], bytes] | None = None
        if fault.forward:
            try:
                upstream = self._forward(body)
            except OSError:
                upstream = None
        state.seen.append(Seen(self.command, self.path, fault.name,
                               upstream[0] if upstream else None, arrived))
        try:
            self._answer(fault, upstream)
        except OSError:
            self.close_connection = True  # the client gave up first (timeout): expected

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _serve

    def _forward(self, body: bytes) -> tuple[int, list[tuple[str, str]], bytes]:
        host, port = self.state.upstream
        conn = http.client.HTTPConnection(host, port, timeout=UPSTREAM_TIMEOUT)
        try:
            headers = {k: v for k, v in self.headers.items()
                       if k.lower() not in _HOP_BY_HOP and k.lower() != "host"}
            headers["Host"] = f"{host}:{port}"
            headers["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            kept = [(k, v) for k, v in resp.getheaders() if k.lower() not in _HOP_BY_HOP]
            return resp.status, kept, data
        finally:
            conn.close()

    def _answer(self, fault: Fault,
                upstream: tuple[int, list[tuple[str, str]], bytes] | None) -> None:
        if fault.kind == "stall":
            self.state.release.wait(fault.seconds)
        if fault.kind == "drop":
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault.kind in ("status", "reply"):
            self._send(fault.status, list(fault.headers), fault.body, chunked=fault.chunked)
        elif upstream is None:
            self._send(502, [("Content-Type", "application/json")],
                       b'{"error":"bad_gateway","reason":"proxy: backend unreachable"}')
        elif fault.kind == "rewrite" and fault.rewrite is not None and upstream[0] == 200:
            new = json.dumps(fault.rewrite(json.loads(upstream[2])),
                             ensure_ascii=False).encode()
            headers = [(k, v) for k, v in upstream[1] if k.lower() != "content-type"]
            self._send(200, [*headers, ("Content-Type", "application/json")], new)
        else:
            self._send(*upstream)

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, *,
              chunked: bool = False) -> None:
        self.send_response_only(status)
        for k, v in headers:
            if k.lower() not in ("date", "server"):
                self.send_header(k, v)
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command == "HEAD":
            return
        if not chunked:
            self.wfile.write(body)
            return
        step = 64 * 1024
        for start in range(0, len(body), step):
            piece = body[start:start + step]
            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
        self.wfile.write(b"0\r\n\r\n")

    def _reset(self) -> None:
        """Close with RST instead of FIN: the client sees "connection reset by peer"."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                       struct.pack("ii", 1, 0))
            self.connection.close()

    def log_message(self, format: str, *args: Any) -> None:
        return None


class ProxyServer(http.server.ThreadingHTTPServer):
    """One listening socket; its handler threads are joined at ``server_close``."""

    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, port: int, state: ProxyState) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that went away mid-reply is part of the tests
