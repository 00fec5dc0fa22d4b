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

A killed process that does not go away (it can sit in uninterruptible disk sleep under heavy
I/O), or a round that does not end, fails with what the kernel says about the process
(``/proc/PID/status``, ``wchan``, ``syscall``, ``stack`` when readable, per thread) and, for a
round that hangs, the driver's Python stacks (it dumps them on SIGUSR1), so the next such
failure explains itself.
"""

from __future__ import annotations

import collections
import contextlib
import os
import queue
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

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

from . import proxy_faults
from .fault_proxy import running_proxy

pytestmark = [
    pytest.mark.skipif(not hasattr(signal, "SIGKILL") or not hasattr(os, "fork"),
                       reason="needs POSIX fork and SIGKILL"),
]

DRIVER = Path(__file__).with_name("kill_driver.py")
SEED = int(os.environ.get("REDSTATION_KILL_SEED", "20261125"))
SLOW_SEED = int(os.environ.get("REDSTATION_KILL_SEED", "20261126"))  # other sequences
MIN_KILLS = 50
MAX_ROUNDS = 80
SLOW_KILLS = 200
SLOW_MAX_ROUNDS = 320
FRESH_EVERY = 10  # every tenth round starts a new interpreter instead of forking
ROUND_TIMEOUT = 60.0  # from the start of a sync to its kill point or its end
EXIT_WAIT = 90.0  # from SIGKILL until the process is gone (disk sleep under load finishes)
RECENT_LINES = 12
PROTOCOL_LINE = re.compile(r"serving|pid \d+|ready|stage \w+ \d+|done \d+|exit -?\d+")
STACK_DUMP_WAIT = 2.0  # for the driver's Python stacks to reach its log after SIGUSR1
STAGES = ("pushing", "replied", "applied")
_STATUS_KEYS = ("Name", "State", "Tgid", "PPid", "Threads", "SigQ", "SigPnd", "ShdPnd",
                "SigBlk", "SigIgn", "SigCgt", "voluntary_ctxt_switches",
                "nonvoluntary_ctxt_switches")


def _proc_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip() or "(empty)"
    except OSError as e:
        return f"({e.strerror or e})"


def kernel_state(pid: int) -> str:
    """What the kernel says about process ``pid``: its state and pending signals, where it
    waits (wchan, system call, kernel stack if readable) for every thread, and the machine's
    load and pressure. Read on failure only, so any of it may be gone already."""
    base = Path(f"/proc/{pid}")
    status = [line for line in _proc_text(base / "status").splitlines()
              if line.split(":", 1)[0] in _STATUS_KEYS]
    parts = [f"kernel state of pid {pid} (load {_proc_text(Path('/proc/loadavg'))}):",
             *status, f"wchan: {_proc_text(base / 'wchan')}",
             f"syscall: {_proc_text(base / 'syscall')}",
             f"stack:\n{_proc_text(base / 'stack')}", f"io:\n{_proc_text(base / 'io')}"]
    try:
        tasks = sorted((base / "task").iterdir(), key=lambda t: int(t.name))
    except OSError:
        tasks = []
    for task in tasks:
        parts.append(f"thread {task.name}: stat {_proc_text(task / 'stat')}; "
                     f"wchan {_proc_text(task / 'wchan')}; "
                     f"syscall {_proc_text(task / 'syscall')}\n{_proc_text(task / 'stack')}")
    for kind in ("cpu", "io", "memory"):
        parts.append(f"pressure {kind}: "
                     f"{' | '.join(_proc_text(Path('/proc/pressure') / kind).splitlines())}")
    return "\n".join(parts)


def _dump_python_stacks(pid: int) -> None:
    """Ask a hanging driver for its Python stacks (kill_driver.py registers SIGUSR1 with
    faulthandler; they go to its stderr, the log printed on failure)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGUSR1)
        time.sleep(STACK_DUMP_WAIT)


class _Lines:
    """Lines a process writes to stdout, collected by a thread (joined at close); the last
    few taken are kept for failure reports."""

    def __init__(self, stream: IO[str]) -> None:
        self._queue: queue.Queue[str | None] = queue.Queue()
        self.recent: collections.deque[str | None] = collections.deque(maxlen=RECENT_LINES)
        self._thread = threading.Thread(target=self._read, args=(stream,), name="kill-lines")
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def next(self, timeout: float) -> str | None:
        """The next line; None at end of output. Raises queue.Empty after ``timeout``, and
        fails at once on a line outside the driver's protocol (half a line left by a kill
        would otherwise hide the line glued to it)."""
        line = self._queue.get(timeout=max(timeout, 0.0))
        self.recent.append(line)
        if line is not None and not PROTOCOL_LINE.fullmatch(line):
            raise AssertionError(f"unreadable line from the kill driver: {line!r}; "
                                 f"{self.report()}")
        return line

    def report(self) -> str:
        return f"last lines read: {list(self.recent)!r}; reader alive: {self._thread.is_alive()}"

    def join(self) -> None:
        self._thread.join(10)
        assert not self._thread.is_alive()


def _popen(args: list[str], log: IO[str]) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(DRIVER), *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=log, text=True, encoding="utf-8")


def _stop(proc: subprocess.Popen[str]) -> None:
    with contextlib.suppress(OSError):
        if proc.stdin is not None:
            proc.stdin.close()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


@dataclass
class Plan:
    """How one round ends: killed at a hook point, after a delay, or left to finish."""

    pause: str | None  # "STAGE:N"
    delay: float | None  # seconds after "ready" (negative: before it)


@dataclass
class Outcome:
    code: int
    stages: list[str]
    done: bool

    @property
    def killed(self) -> bool:
        return self.code == -signal.SIGKILL


class _Round:
    """One sync process (``pid``), followed through its output; ``kill`` sends SIGKILL."""

    def __init__(self, lines: _Lines, pid: int, kill: Any) -> None:
        self.lines = lines
        self.pid = pid
        self._kill = kill

    def drive(self, plan: Plan) -> tuple[bool, list[str], bool]:
        """Follow the child's output and kill it as planned. Returns (kill sent, stages
        seen, finished by itself)."""
        end = time.monotonic() + ROUND_TIMEOUT
        stages: list[str] = []
        kill_at: float | None = None
        if plan.delay is not None and plan.delay < 0:
            kill_at = time.monotonic() - plan.delay
        while True:
            now = time.monotonic()
            if kill_at is not None and now >= kill_at:
                self._kill()
                return True, stages, False
            wait = (kill_at if kill_at is not None else end) - now
            if now >= end:
                _dump_python_stacks(self.pid)
                state = kernel_state(self.pid)
                self._kill()  # never leave it running behind the failure
                raise AssertionError(f"sync round did not end in {ROUND_TIMEOUT} s: {stages}; "
                                     f"{self.lines.report()}\n{state}")
            try:
                line = self.lines.next(wait)
            except queue.Empty:
                continue
            if line is None or line.startswith("exit "):
                raise AssertionError(f"sync process ended early: {line} after {stages}")
            if line == "ready" and plan.delay is not None and plan.delay >= 0:
                kill_at = time.monotonic() + plan.delay
            elif line.startswith("stage "):
                _, name, nth = line.split()
                stages.append(name)
                if plan.pause == f"{name}:{nth}":
                    self._kill()
                    return True, stages, False
            elif line.startswith("done"):
                return False, stages, True


class ForkServer:
    """kill_driver.py --serve: imports once, forks one process per sync."""

    def __init__(self, log: IO[str]) -> None:
        self.proc = _popen(["--serve"], log)
        assert self.proc.stdout is not None
        self.lines = _Lines(self.proc.stdout)
        first = self.lines.next(60)
        assert first == "serving", first

    def _send(self, text: str) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(text + "\n")
        self.proc.stdin.flush()

    def run(self, data_dir: Path, seed: int, plan: Plan) -> Outcome:
        self._send(f"run {data_dir} {seed} {plan.pause or ''}".rstrip())
        line = self.lines.next(ROUND_TIMEOUT)
        assert line is not None and line.startswith("pid "), line
        pid = int(line.split()[1])

        def kill() -> None:  # safe: the server does not reap it before we say "reap"
            os.kill(pid, signal.SIGKILL)

        sent, stages, done = _Round(self.lines, pid, kill).drive(plan)
        self._send("reap")
        end = time.monotonic() + EXIT_WAIT
        while True:
            try:
                line = self.lines.next(end - time.monotonic())
            except queue.Empty:
                _dump_python_stacks(self.proc.pid)
                raise AssertionError(
                    f"sync process {pid} not reported gone {EXIT_WAIT:.0f} s after "
                    f"{'SIGKILL' if sent else 'its end'} (stages {stages}); "
                    f"{self.lines.report()}\n{kernel_state(pid)}\n"
                    f"fork server: {kernel_state(self.proc.pid)}") from None
            assert line is not None, "fork server ended"
            if line.startswith("exit "):
                return Outcome(int(line.split()[1]), stages, done)
            if line.startswith("done"):
                done = True

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._send("quit")
        _stop(self.proc)
        self.lines.join()
        assert self.proc.stdout is not None
        self.proc.stdout.close()


def fresh_process(data_dir: Path, seed: int, plan: Plan, log: IO[str]) -> Outcome:
    """One sync in a newly started interpreter (the slow, fully real path)."""
    proc = _popen([str(data_dir), str(seed), *([plan.pause] if plan.pause else [])], log)
    assert proc.stdout is not None
    lines = _Lines(proc.stdout)
    try:
        sent, stages, done = _Round(lines, proc.pid,
                                    lambda: proc.send_signal(signal.SIGKILL)).drive(plan)
        try:
            code = proc.wait(EXIT_WAIT)
        except subprocess.TimeoutExpired:
            raise AssertionError(
                f"sync process {proc.pid} not gone {EXIT_WAIT:.0f} s after "
                f"{'SIGKILL' if sent else 'its end'} (stages {stages})\n"
                f"{kernel_state(proc.pid)}") from None
        return Outcome(code, stages, done)
    finally:
        if proc.poll() is None:
            proc.kill()
        _stop(proc)
        lines.join()
        proc.stdout.close()


@contextlib.contextmanager
def fork_server(log: IO[str]) -> Iterator[ForkServer]:
    server = ForkServer(log)
    try:
        yield server
    finally:
        server.close()


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
    monkeypatch.setitem(globals(), "ROUND_TIMEOUT", 1.0)
    hang = ("import faulthandler, signal, time\n"
            "faulthandler.register(signal.SIGUSR1, all_threads=True)\n"
            "print('ready', flush=True)\n"
            "time.sleep(120)\n")
    log_path = tmp_path / "hang.log"
    with log_path.open("w", encoding="utf-8") as log:
        proc = subprocess.Popen([sys.executable, "-c", hang], stdout=subprocess.PIPE,
                                stderr=log, text=True)
    assert proc.stdout is not None
    lines = _Lines(proc.stdout)
    try:
        with pytest.raises(AssertionError) as failed:
            _Round(lines, proc.pid, lambda: proc.send_signal(signal.SIGKILL)).drive(
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
