"""Where the CPU went during an ingest run: the backend's processes, the PostgreSQL backends
serving them, the simulated stations (this process) and the machine as a whole.

Throughput alone cannot say whether a second worker could help; these figures can. If the
machine is busy all the time, another worker only shares the same cores; CPU per submission
in each part says how many cores a given rate needs, and which part runs out first.

PostgreSQL's share is read from /proc for each server process whose connection names one of
the backend's processes (``application_name``, district_backend/db.py), sampled a few times a
second: a connection opened and closed between two samples is missed, so it is a lower bound.

With several workers, CPU per part cannot say whether they shared the work; the stations'
connections per worker can, since each station keeps its own open (:class:`ConnectionWatch`).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from types import TracebackType

from sqlalchemy import create_engine, text

from district_backend.db import APPLICATION_NAME
from tests.helpers.backend_process import (
    BackendProcess,
    connections_by_pid,
    cpu_seconds,
    machine_cpu,
)

SAMPLE_EVERY = 0.2


@dataclass(frozen=True)
class CpuUse:
    backend: float  # CPU seconds
    postgres: float
    stations: float
    machine_busy: float  # share of all cores' time, any process
    pg_connections: int  # PostgreSQL server processes seen serving the backend


class CpuWatch:
    """``with CpuWatch(backend, db_url) as watch: …`` then ``watch.use``."""

    def __init__(self, backend: BackendProcess, db_url: str | None) -> None:
        self.backend = backend
        self.db_url = db_url  # None: not PostgreSQL
        self.use = CpuUse(0.0, 0.0, 0.0, 0.0, 0)
        self._first: dict[int, float] = {}
        self._last: dict[int, float] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample_postgres, daemon=True)

    def __enter__(self) -> CpuWatch:
        self._backend0 = self.backend.cpu_seconds()
        self._stations0 = time.process_time()
        self._machine0 = machine_cpu()
        if self.db_url is not None:
            self._sampler.start()
        return self

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None,
                 _tb: TracebackType | None) -> None:
        backend = self.backend.cpu_seconds() - self._backend0
        stations = time.process_time() - self._stations0
        busy, total = (b - a for a, b in zip(self._machine0, machine_cpu(), strict=True))
        if self.db_url is not None:
            self._stop.set()
            self._sampler.join(10)
        postgres = sum(self._last[pid] - self._first[pid] for pid in self._last)
        self.use = CpuUse(backend, postgres, stations, busy / total, len(self._last))

    def _sample_postgres(self) -> None:
        assert self.db_url is not None
        engine = create_engine(self.db_url)
        try:
            with engine.connect() as conn:
                first_round = True
                while True:
                    names = [f"{APPLICATION_NAME} {pid}" for pid in
                             {self.backend.proc.pid, *self.backend.worker_pids()}]
                    pids = list(conn.execute(text(
                        "SELECT pid FROM pg_stat_activity WHERE application_name = ANY(:n)"),
                        {"n": names}).scalars())
                    conn.rollback()  # a fresh view of the activity each round
                    self._note(pids, first_round)
                    first_round = False
                    if self._stop.wait(SAMPLE_EVERY):
                        self._note(pids, False)  # the last reading of each
                        return
        finally:
            engine.dispose()

    def _note(self, pids: list[int], first_round: bool) -> None:
        for pid in pids:
            used = cpu_seconds(pid)
            if used == 0.0 and pid in self._last:
                continue  # gone since: keep its last reading
            # a connection there at the start counts from then; a later one from its birth
            self._first.setdefault(pid, used if first_round else 0.0)
            self._last[pid] = used


class ConnectionWatch:
    """How the stations' connections were spread over the backend's processes: sampled a few
    times a second, the most each process held at once (the stations keep theirs open)."""

    def __init__(self, backend: BackendProcess) -> None:
        self.backend = backend
        self._port = int(backend.url.rsplit(":", 1)[1])
        self._most: dict[int, int] = {}
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> ConnectionWatch:
        self._sampler.start()
        return self

    def __exit__(self, _t: type[BaseException] | None, _e: BaseException | None,
                 _tb: TracebackType | None) -> None:
        self._stop.set()
        self._sampler.join(10)

    def most(self) -> list[int]:
        """Per process, busiest first."""
        return sorted(self._most.values(), reverse=True)

    def _sample(self) -> None:
        while True:
            pids = self.backend.worker_pids() or {self.backend.proc.pid}  # one: it serves
            for pid, held in connections_by_pid(pids, self._port).items():
                self._most[pid] = max(held, self._most.get(pid, 0))
            if self._stop.wait(SAMPLE_EVERY):
                return
