"""A Hypothesis state machine over the sync: cases are submitted and synced while the network
fails (503, 500, stalls, resets, garbled replies), replies are dropped after the backend
committed, the terminal crashes at each of the engine's hook points and restarts, time
passes and the station's clock jumps.

Invariants after every step: the backend never holds a case twice, nor one the station never
had; no case is lost locally; whatever the station believes acknowledged is on the backend
under that receipt; nothing valid is ever set aside as 需处理. When the faults stop (the
machine's teardown: network healed, clock corrected, terminal restarted), a drain leaves
every case acknowledged exactly once.

One real backend (behind the fault proxy) serves the whole run; each example gets a new
station id and a new station database. Bounded: a fixed number of examples and steps.
REDSTATION_STATEFUL_EXPLORE=1 explores new random examples with more of them (the default is
derandomized, so CI runs the same examples every time).
"""

from __future__ import annotations

import itertools
import os
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, create_engine

from station_app.config import StationSettings
from station_app.services.sync_service import build_engine
from station_app.store.engine import open_engine
from station_app.store.migrate import prepare_database
from station_app.sync.engine import SyncEngine
from station_app.sync.report import SyncReport
from station_app.sync.run import SyncOptions
from tests.helpers.backend import RunningBackend, serve_backend
from tests.helpers.postgres import DB_KINDS, backend_database
from tests.helpers.sync_harness import (
    FakeClock,
    assert_exactly_once,
    backend_received,
    district_stats,
    local_items,
    save_rs04,
)

from . import proxy_faults, reply_rewrites
from .fault_proxy import FaultProxy, running_proxy
from .proxy_faults import Fault

pytestmark = pytest.mark.timeout(240)

EXPLORE = os.environ.get("REDSTATION_STATEFUL_EXPLORE") == "1"
STAGES = ("pushing", "replied", "applied")
SPLIT = {"500", "malformed", "foreign result", "non-JSON"}  # see sync/isolate.py
STALL_BUDGET = 0.3  # a run during a stall gets this deadline: the read times out after it
WEEK = 7 * 24 * 3600.0


class PowerCut(Exception):
    """Raised from the engine's hook: the terminal dies at that point."""


def _faults(name: str) -> Fault:
    return {
        "503": proxy_faults.error(503, "120"),
        "500": proxy_faults.error(500),
        "stall": proxy_faults.stall(2),
        "stall after commit": proxy_faults.stall(2, forward=True),
        "reset": proxy_faults.reset(),
        "malformed": proxy_faults.malformed_json(),
        "foreign result": reply_rewrites.foreign_result(),
        "non-JSON": proxy_faults.non_json(),
    }[name]


@dataclass
class Env:
    backend: RunningBackend
    backend_db: Engine
    proxy: FaultProxy
    clock: FakeClock
    root: Path
    ids: Iterator[int]


class SyncMachine(RuleBasedStateMachine):
    env: ClassVar[Env]

    def __init__(self) -> None:
        super().__init__()
        env = self.env
        n = next(env.ids)
        self.station_id = f"SM{n:04d}"
        self.secret = env.backend.enroll(self.station_id).secret
        self.dir = env.root / self.station_id
        prepare_database(self.dir / "station.db", self.dir / "backups")
        self.db = open_engine(self.dir / "station.db")
        env.proxy.clear()
        env.clock.station_skew = 0.0
        self.crash_at: str | None = None
        self.restarts = 0
        self.submitted: set[str] = set()
        self.engine = self._start()

    # -- the terminal ------------------------------------------------------------------------

    def _hook(self, stage: str) -> None:
        if stage == self.crash_at:
            self.crash_at = None
            raise PowerCut(stage)

    def _start(self) -> SyncEngine:
        env = self.env
        self.restarts += 1
        return build_engine(
            self.dir, StationSettings(station_id=self.station_id, backend_url=env.proxy.url),
            self.secret, self.db, clock=env.clock.now, monotonic=env.clock.monotonic,
            sleep=env.clock.sleep, rng=random.Random(self.restarts).random,
            hook=self._hook, options=SyncOptions(batch_items=3))

    def _sync(self, budget: float | None = None) -> SyncReport:
        """The scheduler's next run: time passes until the engine may try again. With
        ``budget`` the run has that many seconds (its deadline also cuts the read timeout,
        so a stalled reply is given up quickly, however slow the machine is otherwise)."""
        self.env.clock.advance(self.engine.backoff_remaining() + 1)
        clock = self.env.clock
        return self.engine.run_once(None if budget is None else clock.monotonic() + budget)

    # -- rules -----------------------------------------------------------------------------

    @initialize(n=st.integers(1, 6))
    def first_cases(self, n: int) -> None:
        self.submitted.update(save_rs04(self.db, n))

    @rule(n=st.integers(1, 4))
    def submit(self, n: int) -> None:
        self.submitted.update(save_rs04(self.db, n))

    @rule()
    def sync(self) -> None:
        report = self._sync()
        if abs(self.env.clock.station_skew) <= 240:  # within the signing window
            assert report.error is None, report.lines()

    @rule(name=st.sampled_from(["503", "500", "stall", "stall after commit", "reset",
                                "malformed", "foreign result", "non-JSON"]))
    def fail(self, name: str) -> None:
        self.env.proxy.script(_faults(name), method="*", path="/v1/")
        report = self._sync(STALL_BUDGET if name.startswith("stall") else None)
        hit = self.env.proxy.scripted_left() == 0
        self.env.proxy.clear()
        if hit:  # or a batch refused as a whole was split, and its halves went through
            assert report.error or (name in SPLIT and report.acked), report.lines()

    @precondition(lambda self: bool(self.submitted))
    @rule()
    def drop_after_commit(self) -> None:
        self.env.proxy.script(proxy_faults.drop_after_commit())
        self._sync()
        self.env.proxy.clear()

    @rule(stage=st.sampled_from(STAGES))
    def crash(self, stage: str) -> None:
        self.crash_at = stage
        self._sync()
        self.crash_at = None
        self.engine.close()  # the terminal restarts: backoff and caches are gone
        self.engine = self._start()

    @rule(seconds=st.sampled_from([30.0, 900.0, 4 * 3600.0, 3 * 24 * 3600.0]))
    def time_passes(self, seconds: float) -> None:
        self.env.clock.advance(seconds)

    @rule(seconds=st.sampled_from([-86_400.0, -3600.0, -120.0, 120.0, 3600.0, 86_400.0]))
    def clock_jump(self, seconds: float) -> None:
        """Someone sets the station's clock wrong (or right again)."""
        self.env.clock.station_skew += seconds

    @rule()
    def clock_fixed(self) -> None:
        self.env.clock.station_skew = 0.0

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def nothing_twice_nothing_lost(self) -> None:
        remote = backend_received(self.env.backend_db, self.station_id)
        local = local_items(self.db)
        assert all(len(receipts) == 1 for receipts in remote.values()), remote
        assert set(remote) <= self.submitted, "the backend holds a case never submitted"
        assert set(local) == self.submitted, "a case was lost locally"
        for sid, item in local.items():
            if item.outbox_state == "acked":
                assert item.sync_state == "synced" and remote.get(sid) == [item.receipt_no]
            else:
                assert item.outbox_state == "pending", item  # never 需处理: all are valid
                assert item.sync_state in ("queued", "sending") and item.receipt_no is None

    def teardown(self) -> None:
        """The faults stop: network healed, clock corrected, terminal restarted; drain."""
        env = self.env
        env.proxy.clear()
        env.clock.station_skew = 0.0
        self.crash_at = None
        self.engine.close()
        engine = self._start()
        try:
            report = engine.drain(env.clock.monotonic() + WEEK)
            assert report.error is None and not report.more_pending, report.lines()
            receipts = assert_exactly_once(self.db, env.backend_db, self.station_id)
            assert set(receipts) == self.submitted
            stats = district_stats(env.backend)[self.station_id]
            assert stats["received"] == len(self.submitted)
            assert stats["conflicts"] == stats["rejected"] == 0
        finally:
            engine.close()
            self.db.dispose()


@pytest.fixture(params=DB_KINDS)
def backend_db(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_sync_state_machine(tmp_path: Path, backend_db: str) -> None:
    clock = FakeClock()
    with backend_database(backend_db) as url, \
            serve_backend(tmp_path / "district", clock=clock.time, db_url=url) as backend, \
            running_proxy(backend.base_url, clock=clock.time) as proxy:
        db = create_engine(backend.db_url)
        try:
            SyncMachine.env = Env(backend, db, proxy, clock, tmp_path / "stations",
                                  itertools.count(1))
            run_state_machine_as_test(SyncMachine, settings=settings(
                max_examples=60 if EXPLORE else 18, stateful_step_count=25,
                deadline=None, database=None, derandomize=not EXPLORE, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow]))
        finally:
            db.dispose()
