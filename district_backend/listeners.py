"""The listening sockets of `district-backend serve --workers N`: one per worker on the same
port, so that the kernel, not a race between the workers, decides who serves a connection.

uvicorn's supervisor binds one socket and every worker accepts from it. A station keeps its
connection open between pushes, so it stays with the worker that accepted it; and when many
stations connect at once (after a network outage, or every morning), the first worker to wake
accepts every waiting connection in one go (asyncio accepts up to the backlog per wake-up).
Measured with 50 stations on 2 workers: 41/9, 46/4 and 23/27 connections, so one worker did
most of the work while the other idled.

On Linux each worker instead listens on a socket of its own, bound to the same address with
SO_REUSEPORT: the kernel hands each new connection to one of the listening sockets by a hash
of its addresses, about evenly, whichever worker happens to be awake. A worker that dies takes
its socket with it, so new connections go to the others until its replacement listens.

The supervisor first binds the address as uvicorn does (so a port in use is refused the usual
way, and "running on" is logged with the port chosen for 0), then holds the address bound with
SO_REUSEPORT without listening: the port stays reserved, and another server started on it
still fails, since a socket without SO_REUSEPORT cannot bind there (a process of the same
user that sets SO_REUSEPORT itself could join: that is the option's rule). The held socket
reaches each worker the way uvicorn hands any socket to a worker, by pickling, and pickles as
"bind a new socket to this address". Elsewhere (no SO_REUSEPORT, or one that does not spread
connections, as on macOS) the workers share uvicorn's one socket as before.
"""

from __future__ import annotations

import socket
import sys
from pathlib import Path
from typing import Any, NoReturn, SupportsIndex

from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE

from station_app.domain.files import atomic_write

SPREADS = sys.platform.startswith("linux") and hasattr(socket, "SO_REUSEPORT")
"""Whether the kernel spreads connections over sockets sharing a port (Linux)."""


class HeldPort(socket.socket):
    """The supervisor's bound, never listening socket; unpickled in a worker as that
    worker's own listening socket on the same address (:func:`worker_listener`)."""

    startup_report = ""
    """Where a worker that cannot bind writes why (see district_backend.worker_app)."""

    def __reduce_ex__(self, protocol: SupportsIndex) -> tuple[Any, ...]:
        return worker_listener, (self.family, self.getsockname(), self.startup_report)


def listening_sockets(config: Config, startup_report: str) -> list[socket.socket]:
    """The sockets to hand to uvicorn's supervisor for its workers."""
    probe = config.bind_socket()  # refuses a port in use, logs the address
    if not SPREADS:
        return [probe]
    try:
        held = HeldPort(probe.family, socket.SOCK_STREAM)
        held.startup_report = startup_report
        try:
            _share_port(held)
            held.bind(probe.getsockname())
        except OSError:
            held.close()
            raise
    finally:
        probe.close()
    return [held]


def worker_listener(family: socket.AddressFamily, address: tuple[Any, ...],
                    startup_report: str) -> socket.socket:
    """In a worker: a new socket on the supervisor's address (bound, not yet listening;
    uvicorn listens once the app has started). A bind that fails ends the worker as a
    start-up failure, its reason in the report, like any other start-up failure."""
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        _share_port(sock)
        sock.bind(address)
    except OSError as e:
        sock.close()
        end_start_up(startup_report, f"工作进程无法监听 {address[0]}:{address[1]}：{e.strerror}")
    return sock


def _share_port(sock: socket.socket) -> None:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)


def end_start_up(report: str, reason: str) -> NoReturn:
    """End a worker that cannot start: its reason in the start-up report (when there is one),
    uvicorn's start-up failure status, which stops every worker instead of restarting this one
    (district_backend.worker_app)."""
    if report:
        atomic_write(Path(report), reason.encode("utf-8"))
    sys.exit(STARTUP_FAILURE)
