"""A fault-injecting HTTP proxy between the station and the real district backend.

The proxy listens on 127.0.0.1 (an ephemeral port) and forwards each request to the backend
unchanged (same path, headers and body, so signatures still verify), unless the test has
scripted a fault for it. Faults are one-shot and matched by method and path prefix, in the
order scripted; a sticky default fault covers "the district is down for a week".

What it can do to a request (see the factory functions below):

- pass it through;
- answer 500/503 itself, with ``Retry-After`` as seconds or as an HTTP-date;
- stall past the client's read timeout (a bounded wait, released at close), before or after
  the backend has committed;
- forward it, let the backend commit, then drop the connection before any reply byte;
- reset the connection at once (nothing forwarded), or refuse connections (``go_down``);
- forward it and replace the reply: malformed JSON, an oversized body (declared or chunked),
  a non-JSON content type, a 302 redirect;
- forward it and rewrite the real push reply: a result for an id that was not sent, a
  duplicated result.

Everything is bounded: stalls are capped and cut short by ``close()``, upstream calls have a
timeout, open client connections are shut down at close, and every handler thread is joined.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from urllib.parse import urlsplit

MAX_STALL = 20.0  # no scripted stall outlives this, whatever a test asks for
UPSTREAM_TIMEOUT = 30.0
CONNECTION_TIMEOUT = 30.0  # an idle client connection is closed after this
OVERSIZED = 5 * 1024 * 1024  # over the station's 4 MiB reply cap
_HOP_BY_HOP = frozenset({"connection", "keep-alive", "proxy-authenticate", "te", "trailer",
                         "proxy-authorization", "transfer-encoding", "upgrade",
                         "content-length"})

Rewrite = Callable[[Any], Any]


@dataclass(frozen=True)
class Fault:
    """What the proxy does with one request. Build them with the functions below."""

    kind: str = "pass"  # pass | status | stall | drop | reset | reply | rewrite
    forward: bool = True  # whether the backend sees (and commits) the request
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    seconds: float = 0.0
    rewrite: Rewrite | None = None
    chunked: bool = False
    label: str = ""

    @property
    def name(self) -> str:
        return self.label or self.kind


def passthrough() -> Fault:
    return Fault("pass")


def error(status: int = 503, retry_after: str | None = None, *,
          forward: bool = False) -> Fault:
    """Answer ``status`` with the backend's error shape (and ``Retry-After`` if given)."""
    body = json.dumps({"error": "unavailable", "reason": "区后台维护中"},
                      ensure_ascii=False).encode()
    headers = [("Content-Type", "application/json")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    return Fault("status", forward=forward, status=status, body=body, headers=tuple(headers),
                 label=f"{status}" + (f" Retry-After {retry_after}" if retry_after else ""))


def http_date(when: datetime) -> str:
    """An IMF-fixdate for ``Retry-After`` (RFC 9110 §5.6.7)."""
    return format_datetime(when, usegmt=True)


def stall(seconds: float, *, forward: bool = False) -> Fault:
    """Hold the reply ``seconds`` (capped); with ``forward`` the backend commits first."""
    return Fault("stall", forward=forward, seconds=min(seconds, MAX_STALL),
                 label="stall after commit" if forward else "stall")


def drop_after_commit() -> Fault:
    """Forward, let the backend commit and answer, then close without a reply byte."""
    return Fault("drop", forward=True, label="drop after commit")


def reset() -> Fault:
    """Reset the connection at once (RST); the backend never sees the request."""
    return Fault("reset", forward=False)


def reply(status: int, body: bytes, content_type: str = "application/json", *,
          forward: bool = True, headers: tuple[tuple[str, str], ...] = (),
          chunked: bool = False, label: str = "") -> Fault:
    """Forward (so the backend commits), then answer with this instead of its reply."""
    return Fault("reply", forward=forward, status=status, body=body, chunked=chunked,
                 headers=(("Content-Type", content_type), *headers), label=label)


def malformed_json() -> Fault:
    return reply(200, b'{"results": [{"index": 0, "submission_id": ', label="malformed JSON")


def non_json() -> Fault:
    return reply(200, b"<html><body>Gateway login</body></html>", "text/html",
                 label="non-JSON content type")


def oversized(*, declared: bool = True) -> Fault:
    """A reply over the station's cap: announced by Content-Length, or streamed chunked."""
    body = b'{"results": [' + b" " * OVERSIZED + b"]}"
    return reply(200, body, chunked=not declared,
                 label="oversized (declared)" if declared else "oversized (chunked)")


def redirect(location: str) -> Fault:
    return reply(302, b"", "text/plain", headers=(("Location", location),),
                 label="302 redirect")


def rewrite_reply(fn: Rewrite, label: str) -> Fault:
    """Forward, then answer 200 with ``fn(real JSON reply)`` re-serialised."""
    return Fault("rewrite", forward=True, rewrite=fn, label=label)


def _foreign(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    results[-1] = {**results[-1], "submission_id": str(uuid.uuid4())}
    return {"results": results}


def _extra(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    extra = {**results[0], "index": len(results), "submission_id": str(uuid.uuid4())}
    return {"results": [*results, extra]}


def _doubled(reply_obj: Any) -> Any:
    results = list(reply_obj["results"])
    return {"results": [*results, results[0]]}


def foreign_result() -> Fault:
    """The last result names an id that was not sent."""
    return rewrite_reply(_foreign, "result for an id not sent")


def extra_result() -> Fault:
    """One result too many, for an id that was not sent."""
    return rewrite_reply(_extra, "extra result")


def duplicate_result() -> Fault:
    """The first result repeated at the end."""
    return rewrite_reply(_doubled, "duplicate result")


@dataclass(frozen=True)
class Seen:
    """One request as the proxy handled it."""

    method: str
    path: str
    fault: str
    upstream_status: int | None  # None: not forwarded, or the backend could not be reached
    at: float  # the proxy's clock when the request arrived


@dataclass
class _Script:
    method: str
    path: str
    fault: Fault

    def matches(self, method: str, path: str) -> bool:
        return (self.method in ("*", method)) and path.startswith(self.path)


@dataclass
class _State:
    upstream: tuple[str, int]
    clock: Callable[[], float]
    scripts: list[_Script] = field(default_factory=list)
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
    def state(self) -> _State:
        assert isinstance(self.server, _Server)
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


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True

    def __init__(self, port: int, state: _State) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state

    def handle_error(self, request: Any, client_address: Any) -> None:
        return None  # a client that went away mid-reply is part of the tests


class FaultProxy:
    """The proxy; use :func:`running_proxy` so it always stops."""

    def __init__(self, upstream_url: str, *, clock: Callable[[], float] | None = None) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream needs host and port: {upstream_url}")
        self._state = _State((parts.hostname, parts.port), clock or time.time)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self._up()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def seen(self) -> list[Seen]:
        return self._state.seen

    def script(self, *faults: Fault, method: str = "POST", path: str = "/v1/push"
               ) -> FaultProxy:
        """Queue one-shot faults for the next matching requests (``method="*"``: any)."""
        with self._state.lock:
            self._state.scripts.extend(_Script(method, path, f) for f in faults)
        return self

    def scripted_left(self) -> int:
        with self._state.lock:
            return len(self._state.scripts)

    def set_default(self, fault: Fault | None) -> None:
        """A fault for every request no script matches (None: pass through)."""
        with self._state.lock:
            self._state.default = fault

    def clear(self) -> None:
        """No more faults: every request passes through."""
        with self._state.lock:
            self._state.scripts.clear()
            self._state.default = None

    def requests(self, method: str = "POST", path: str = "/v1/push") -> list[Seen]:
        return [s for s in self._state.seen if s.method == method and s.path.startswith(path)]

    # -- refusing connections ---------------------------------------------------------------

    @property
    def is_up(self) -> bool:
        return self._server is not None

    def go_down(self) -> None:
        """Close the listening socket and every open connection: connections are refused."""
        self._down()

    def come_up(self) -> None:
        """Listen again on the same port."""
        if self._server is None:
            self._up()

    def _up(self) -> None:
        server = _Server(self.port, self._state)
        self.port = server.server_address[1]
        self._state.release.clear()
        thread = threading.Thread(target=server.serve_forever, name="fault-proxy",
                                  kwargs={"poll_interval": 0.05})
        thread.start()
        self._server, self._thread = server, thread

    def _down(self) -> None:
        server, thread = self._server, self._thread
        self._server = self._thread = None
        if server is None or thread is None:
            return
        self._state.release.set()  # end stalls at once
        server.shutdown()
        with self._state.lock:
            open_connections = list(self._state.connections)
        for conn in open_connections:  # idle keep-alive connections end their threads
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        server.server_close()  # joins the handler threads
        thread.join(10)
        if thread.is_alive():
            raise RuntimeError("fault proxy did not stop")

    def close(self) -> None:
        self._down()


@contextlib.contextmanager
def running_proxy(upstream_url: str, *,
                  clock: Callable[[], float] | None = None) -> Iterator[FaultProxy]:
    proxy = FaultProxy(upstream_url, clock=clock)
    try:
        yield proxy
    finally:
        proxy.close()
