"""SIGKILL the station's sync at random moments, over and over (DESIGN invariants 2 and 3).

The sync runs in a separate process (kill_driver.py) against the real backend, through the
fault proxy, which now and then also drops a reply after the backend committed. Each round
adds new cases, starts a sync and kills it: at a random time, or exactly at one of the
engine's hook points ("pushing": marked as sending; "replied": the backend committed, the
station has not applied the answer; "applied"). After every round: whatever the station
believes acknowledged is on the backend under the same receipt, and the backend holds
nothing twice or unknown. At the end one clean ``station-app sync --once`` (a real process)
leaves every case on the backend exactly once and acknowledged here.

Seeded (REDSTATION_KILL_SEED overrides the seed); every round is bounded in time. The CI
run ends after 50 kills (at most 80 rounds); a 200-kill run is in the slow tier.

How a child is started, followed and killed is in kill_rounds.py (the child itself is
kill_driver.py); a killed process that does not go away, or a round that does not end, fails
with what the kernel says about it and the driver's Python stacks, so the next such failure
explains itself. This module holds the rounds' plan and what is asserted after each.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from station_app.services.context import StationContext
from tests.helpers.backend import RunningBackend
from tests.helpers.station import STATION_ID, configure
from tests.helpers.sync_harness import (
    assert_exactly_once,
    backend_received,
    cases_list_json,
    district_stats,
    local_items,
    save_rs04,
)

from . import kill_rounds, proxy_faults
from .fault_proxy import running_proxy
from .kill_rounds import EXIT_WAIT, STAGES, Lines, Plan, Round, fork_server, fresh_process

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"),
                       reason="needs POSIX fork and SIGKILL"),
]

SEED = int(os.environ.get("REDSTATION_KILL_SEED", "20261125"))
SLOW_SEED = int(os.environ.get("REDSTATION_KILL_SEED", "20261126"))  # other sequences
MIN_KILLS = 50
MAX_ROUNDS = 80
SLOW_KILLS = 200
SLOW_MAX_ROUNDS = 320
FRESH_EVERY = 10  # every tenth round starts a new interpreter instead of forking


def _plan(rng: random.Random) -> Plan:
    roll = rng.random()
    if roll < 0.5:
        return Plan(f"{rng.choice(STAGES)}:{rng.randint(1, 3)}", None)
    if roll < 0.6:
        return Plan(None, -rng.uniform(0.0, 0.02))  # while it opens the database
    return Plan(None, rng.uniform(0.0, 0.12))


def _consistent_so_far(station: StationContext, backend: RunningBackend) -> None:
    """What the station believes acknowledged, the backend holds under that receipt; the
    backend holds nothing twice and nothing the station never had."""
    local = local_items(station.engine)
    remote = backend_received(backend.db_url, STATION_ID)
    assert all(len(r) == 1 for r in remote.values())
    assert set(remote) <= set(local)
    for sid, item in local.items():
        assert item.outbox_state in ("pending", "acked"), item
        if item.outbox_state == "acked":
            assert remote.get(sid) == [item.receipt_no], (sid, item)
            assert item.sync_state == "synced"
        else:
            assert item.sync_state in ("queued", "sending") and item.receipt_no is None


@pytest.mark.timeout(600)
def test_sync_killed_at_random_moments_still_delivers_exactly_once(
        station_ctx: StationContext, station_secret: str, backend: RunningBackend,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _random_kills(station_ctx, station_secret, backend, tmp_path, capsys,
                  seed=SEED, min_kills=MIN_KILLS, max_rounds=MAX_ROUNDS)


@pytest.mark.slow
@pytest.mark.timeout(3600)
def test_two_hundred_kills_still_deliver_exactly_once(
        station_ctx: StationContext, station_secret: str, backend: RunningBackend,
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _random_kills(station_ctx, station_secret, backend, tmp_path, capsys,
                  seed=SLOW_SEED, min_kills=SLOW_KILLS, max_rounds=SLOW_MAX_ROUNDS)


def _random_kills(station_ctx: StationContext, station_secret: str, backend: RunningBackend,
                  tmp_path: Path, capsys: pytest.CaptureFixture[str], *, seed: int,
                  min_kills: int, max_rounds: int) -> None:
    """Rounds until ``min_kills`` kills and a kill that left cases pending (at most
    ``max_rounds``), checked after each; then one clean ``sync --once`` and the
    exactly-once checks."""
    rng = random.Random(seed)
    log_path = tmp_path / "driver-stderr.log"
    kills: Counter[str] = Counter()
    rounds = 0
    with running_proxy(backend.base_url) as proxy, \
            log_path.open("w", encoding="utf-8") as log:
        configure(station_ctx.data_dir, proxy.url, station_secret)
        save_rs04(station_ctx.engine, 5)
        try:
            with fork_server(log) as server:
                work_left = False  # the last kill must leave work for the final run
                while (sum(kills.values()) < min_kills or not work_left) \
                        and rounds < max_rounds:
                    rounds += 1
                    save_rs04(station_ctx.engine, rng.randint(0, 4))
                    if rng.random() < 0.15:
                        proxy.script(proxy_faults.drop_after_commit())
                    plan, child_seed = _plan(rng), rng.randrange(1 << 30)
                    if rounds % FRESH_EVERY == 0:
                        outcome = fresh_process(station_ctx.data_dir, child_seed, plan, log)
                    else:
                        outcome = server.run(station_ctx.data_dir, child_seed, plan)
                    assert outcome.code in (0, -signal.SIGKILL), outcome
                    if outcome.killed:
                        kills[plan.pause.split(":")[0] if plan.pause else "random time"] += 1
                    _consistent_so_far(station_ctx, backend)
                    work_left = outcome.killed and any(
                        i.outbox_state == "pending"
                        for i in local_items(station_ctx.engine).values())
        except BaseException:
            log.flush()
            print(f"seed {seed}, round {rounds}, kills {dict(kills)}\n"
                  + log_path.read_text(encoding="utf-8")[-4000:], file=sys.stderr)
            raise
        proxy.clear()

        assert sum(kills.values()) >= min_kills, (rounds, kills)
        assert min(kills[s] for s in (*STAGES, "random time")) >= 3, kills
        pending = sum(1 for i in local_items(station_ctx.engine).values()
                      if i.outbox_state == "pending")
        assert pending > 0, "the kills left work for the final run"

        time.sleep(0.3)  # the driver's backoffs are at most 0.2 s
        final = subprocess.run(
            [sys.executable, "-m", "station_app.cli", "--data-dir", str(station_ctx.data_dir),
             "sync", "--once", "--no-catalogue"],
            capture_output=True, text=True, timeout=120, check=False)
        assert final.returncode == 0, final.stdout + final.stderr
        assert "待同步：0 件" in final.stdout and "需处理：0 件" in final.stdout

    receipts = assert_exactly_once(station_ctx.engine, backend.db_url, STATION_ID)
    stats = district_stats(backend)[STATION_ID]
    assert stats["received"] == len(receipts) and stats["conflicts"] == stats["rejected"] == 0
    assert stats["duplicates"] >= kills["replied"]  # each such kill left a batch to resend
    print(f"seed {seed}: {rounds} rounds, kills {dict(kills)}, {len(receipts)} cases, "
          f"{stats['duplicates']} resends answered duplicate")
    cases = cases_list_json(station_ctx.data_dir, capsys)
    assert len(cases) == len(receipts)
    assert {c["sync_state"] for c in cases} == {"synced"}
    assert all(c["receipt_no"] == receipts[c["submission_id"]] for c in cases)
    conn = sqlite3.connect(station_ctx.db_path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_round_that_does_not_end_fails_with_the_kernel_and_python_state(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The diagnostics themselves: a sync that never reaches its kill point is reported with
    its kernel state and its Python stack, and is killed, not left running."""
    monkeypatch.setattr(kill_rounds, "ROUND_TIMEOUT", 1.0)
    hang = ("import faulthandler, signal, time\n"
            "faulthandler.register(signal.SIGUSR1, all_threads=True)\n"
            "print('ready', flush=True)\n"
            "time.sleep(120)\n")
    log_path = tmp_path / "hang.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-c", hang], stdout=subprocess.PIPE,
                                stderr=log, text=True)
    assert proc.stdout is not None
    lines = Lines(proc.stdout)
    try:
        with pytest.raises(AssertionError) as failed:
            Round(lines, proc.pid, lambda: proc.send_signal(signal.SIGKILL)).drive(
                Plan("pushing:1", None))
        assert proc.wait(EXIT_WAIT) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(EXIT_WAIT)
        lines.join()
        proc.stdout.close()
    report = str(failed.value)
    assert "did not end" in report and f"kernel state of pid {proc.pid}" in report
    for field in ("State:", "SigPnd:", "wchan:", "syscall:", f"thread {proc.pid}:"):
        assert field in report, (field, report)
    assert 'File "<string>", line 4' in log_path.read_text(encoding="utf-8")  # time.sleep
