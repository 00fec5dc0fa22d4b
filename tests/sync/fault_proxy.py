"""A fault-injecting HTTP proxy between the station and the real district backend.

The proxy listens on 127.0.0.1 (an ephemeral port) and forwards each request to the backend
unchanged (same path, headers and body, so signatures still verify), unless the test has
scripted a fault for it. Faults are one-shot and matched by method and path prefix, in the
order scripted; a sticky default fault covers "the district is down for a week", and
``go_down`` refuses connections altogether.

This module is the proxy's controls (start, script, stop); what a fault does is described in
proxy_faults.py (the push-reply rewrites in reply_rewrites.py), and how a request is handled
is proxy_handler.py, so the list of misbehaviours is read apart from the socket plumbing.

Everything is bounded: stalls are capped and cut short by ``close()``, upstream calls have a
timeout, open client connections are shut down at close, and every handler thread is joined.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

from .proxy_faults import Fault
from .proxy_handler import ProxyServer, ProxyState, Script, Seen

__all__ = ["FaultProxy", "Seen", "running_proxy"]


class FaultProxy:
    """The proxy; use :func:`running_proxy` so it always stops."""

    def __init__(self, upstream_url: str, *, clock: Callable[[], float] | None = None) -> None:
        parts = urlsplit(upstream_url)
        if parts.hostname is None or parts.port is None:
            raise ValueError(f"upstream needs host and port: {upstream_url}")
        self._state = ProxyState((parts.hostname, parts.port), clock or time.time)
        self._server: ProxyServer | None = None
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
            self._state.scripts.extend(Script(method, path, f) for f in faults)
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
        server = ProxyServer(self.port, self._state)
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
