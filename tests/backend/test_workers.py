"""Several backend workers on one PostgreSQL, one of them SIGKILLed while stations push.

The real `district-backend serve --workers 2` runs as its own process. Twenty stations push
their batches at once, each from its own thread, and follow their change feed from another.
While pushes are in flight, the worker holding an open database transaction is killed. Every
station retries a failed request with the same body until each item has an answer. Then the
database must hold each case exactly once, each station must have been given one receipt
number per case (the same one again on a retry), and each station's feed, followed by cursor
while the kill happened, must be exactly its events in order, none skipped. uvicorn (0.54)
replaces the killed worker; the test checks that too.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text

from district_backend.db import APPLICATION_NAME
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import ChangesResponse, PushResponse
from tests.helpers.backend import StationClient, new_submission
from tests.helpers.backend_process import BackendProcess, serve_process
from tests.helpers.catalogue import write_test_catalogue
from tests.helpers.postgres import fresh_pg_schema

STATIONS = 20
BATCHES = 5
BATCH_SIZE = 20
KILL_AFTER = 20  # batches answered before a worker is killed, so both are busy by then
DEADLINE = 120.0  # seconds for the whole run; the test ends by itself
PAUSE = 0.05  # between retries, and between feed reads with nothing new
ACKED = ("accepted", "duplicate")


@dataclass
class Station:
    """One simulated station: its batches (fixed bytes), what it was answered, its feed."""

    station_id: str
    secret: str
    bodies: list[bytes]
    receipts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    failed_requests: int = 0
    feed: list[tuple[int, str]] = field(default_factory=list)  # (event id, receipt) in order
    problems: list[str] = field(default_factory=list)
    pushed: threading.Event = field(default_factory=threading.Event)


def station_batches(station_id: str) -> list[bytes]:
    subs = [[new_submission(tracking_ref=f"{station_id}-{b * BATCH_SIZE + i:06d}")
             for i in range(BATCH_SIZE)] for b in range(BATCHES)]
    return [canonical_json({"station_id": station_id, "submissions": batch}) for batch in subs]


def until(deadline: float, what: str, check: Callable[[], bool]) -> None:
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.01)


class Run:
    """The pushing and feed-following threads of every station, bounded by one deadline."""

    def __init__(self, backend: BackendProcess, stations: list[Station], deadline: float):
        self.backend = backend
        self.stations = stations
        self.deadline = deadline
        self.answered = 0  # batches with every item answered, all stations together
        self._lock = threading.Lock()
        self.threads = [threading.Thread(target=self._guarded, args=(work, s), name=name)
                        for s in stations
                        for work, name in ((self._push, "push"), (self._follow, "feed"))]

    def _guarded(self, work: Callable[[Station, StationClient], None], s: Station) -> None:
        client = StationClient(self.backend.url, s.station_id, s.secret)
        try:
            work(s, client)
        except Exception as e:  # reported by the test, not lost in a thread
            s.problems.append(f"{type(e).__name__}: {e}")
        finally:
            client.close()
            s.pushed.set()  # a failed pusher must not leave its feed reader waiting

    def _send(self, s: Station, call: Callable[[], requests.Response]) -> requests.Response:
        """The request until it is answered: a failed connection (also one cut off in the
        middle of the reply) or a 5xx is retried as a station does, with the same body
        (signed afresh)."""
        while time.monotonic() < self.deadline:
            try:
                resp = call()
            except requests.RequestException:  # refused, reset, cut off mid-reply, timed out
                resp = None
            if resp is not None and resp.status_code < 500:
                return resp
            s.failed_requests += 1
            time.sleep(PAUSE)
        raise TimeoutError(f"{s.station_id}: no answer before the deadline")

    def _push(self, s: Station, client: StationClient) -> None:
        for body in s.bodies:
            resp = self._send(s, partial(client.request, "POST", "/v1/push", body=body))
            results = PushResponse.model_validate_json(resp.content).results
            for r in results:
                if r.outcome not in ACKED or r.receipt_no is None:
                    s.problems.append(f"{r.submission_id}: {r.outcome} {r.reason}")
                else:
                    s.receipts[r.submission_id].add(r.receipt_no)
            with self._lock:
                self.answered += 1

    def _follow(self, s: Station, client: StationClient) -> None:
        cursor = 0
        while True:
            last_round = s.pushed.is_set()  # read before the request: it then sees every push
            resp = self._send(s, partial(client.changes, cursor, 100))
            page = ChangesResponse.model_validate_json(resp.content)
            for e in page.changes:
                if e.event_id <= cursor:
                    s.problems.append(f"feed went back: {e.event_id} after {cursor}")
                cursor = e.event_id
                s.feed.append((e.event_id, e.receipt_no))
            cursor = page.next_cursor
            if last_round and not page.more:
                return
            if not page.more:
                time.sleep(PAUSE)

    def start(self) -> None:
        for t in self.threads:
            t.start()

    def running(self) -> bool:
        return any(t.is_alive() for t in self.threads)

    def join(self) -> None:
        for t in self.threads:
            t.join(max(1.0, self.deadline - time.monotonic() + 30))
        assert not self.running(), "station threads did not end"


def worker_in_transaction(db_url: str, workers: set[int], deadline: float) -> int:
    """A worker that has a database transaction open right now (it is in the middle of a
    request), found by the process id each backend connection carries."""
    names = {f"{APPLICATION_NAME} {pid}": pid for pid in workers}
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            while time.monotonic() < deadline:
                busy = conn.execute(text(
                    "SELECT application_name FROM pg_stat_activity "
                    "WHERE xact_start IS NOT NULL AND application_name = ANY(:names)"),
                    {"names": list(names)}).scalars().first()
                conn.rollback()  # a fresh snapshot of the activity view each time
                if busy is not None:
                    return names[busy]
                time.sleep(0.005)
    finally:
        engine.dispose()
    pytest.fail("no worker was ever seen inside a transaction")


def stored(db_url: str) -> tuple[list[tuple[str, str, str]], list[tuple[int, str, str, str]]]:
    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            subs = conn.execute(text(
                "SELECT station_id, submission_id, receipt_no FROM submissions")).all()
            events = conn.execute(text(
                "SELECT id, station_id, receipt_no, status FROM case_events ORDER BY id")).all()
    finally:
        engine.dispose()
    return ([(a, b, c) for a, b, c in subs], [(a, b, c, d) for a, b, c, d in events])


def test_killing_a_worker_mid_batch_keeps_every_case_once(tmp_path: Path) -> None:
    deadline = time.monotonic() + DEADLINE
    catalogue = write_test_catalogue(tmp_path / "catalogue")
    with fresh_pg_schema() as db_url, serve_process(tmp_path / "district-data", db_url,
                                                    catalogue, workers=2) as backend:
        first_workers = backend.worker_pids()
        assert len(first_workers) == 2
        ids = [f"KW{i:02d}" for i in range(1, STATIONS + 1)]
        stations = [Station(sid, backend.enroll(sid), station_batches(sid)) for sid in ids]
        run = Run(backend, stations, deadline)
        run.start()
        try:
            until(deadline, f"{KILL_AFTER} answered batches",
                  lambda: run.answered >= KILL_AFTER or not run.running())
            assert run.answered >= KILL_AFTER, [p for s in stations for p in s.problems][:5]
            victim = worker_in_transaction(db_url, first_workers, deadline)
            os.kill(victim, signal.SIGKILL)
        finally:
            run.join()
        until(deadline, "the killed worker's replacement",
              lambda: len(backend.worker_pids() - first_workers) == 1
              and backend.logged("Application startup complete") >= 3)
        [replacement] = backend.worker_pids() - first_workers
        assert backend.worker_pids() == first_workers - {victim} | {replacement}
        assert backend.logged(f"Child process [{victim}] died") == 1
        assert backend.logged(f"Started server process [{replacement}]") == 1
        subs, events = stored(db_url)

    assert [p for s in stations for p in s.problems] == []
    assert sum(s.failed_requests for s in stations) > 0, "the kill interrupted no request"
    total = STATIONS * BATCHES * BATCH_SIZE
    # each case once, under one receipt number, the one its station was given (every time)
    sent = {(s.station_id, sub["submission_id"]) for s in stations for body in s.bodies
            for sub in json.loads(body)["submissions"]}
    assert len(sent) == total and len(subs) == total
    assert {(st, sid) for st, sid, _ in subs} == sent
    assert len({receipt for _, _, receipt in subs}) == total
    answered = {(s.station_id, sid): receipts for s in stations
                for sid, receipts in s.receipts.items()}
    assert answered == {(st, sid): {receipt} for st, sid, receipt in subs}
    # one 受理 event per case, and each station's feed, followed through the kill, is exactly
    # its events in id order: nothing skipped, nothing twice
    assert sorted(receipt for _, _, receipt, _ in events) == sorted(r for *_, r in subs)
    assert {status for *_, status in events} == {"受理"}
    for s in stations:
        assert s.feed == [(i, receipt) for i, st, receipt, _ in events if st == s.station_id]

