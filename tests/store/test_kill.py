"""Crash safety: SIGKILL a process in the middle of saving (DESIGN.md invariant 1).

A real child process, a real file, a real kill: afterwards every submission has its outbox
entry and vice versa, the file passes integrity_check, and every save the child reported as
committed is there.
"""

from __future__ import annotations

import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from station_app.store.migrate import prepare_database

CHILD = Path(__file__).with_name("kill_child.py")

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX SIGKILL")


def _start(db: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, str(CHILD), str(db), *args],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            encoding="utf-8")


def _inspect(db: Path) -> tuple[set[str], set[str], str]:
    conn = sqlite3.connect(db)
    try:
        subs = {r[0] for r in conn.execute("SELECT id FROM submission")}
        outbox = {r[0] for r in conn.execute("SELECT submission_id FROM outbox")}
        history = {r[0] for r in conn.execute("SELECT submission_id FROM status_history")}
        assert history == subs
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()
    return subs, outbox, integrity


def _kill_at(db: Path, stage: str) -> None:
    with _start(db, "pause", stage) as proc:
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == stage
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=30) == -signal.SIGKILL


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "station.db"
    prepare_database(path, tmp_path / "backups")
    return path


@pytest.mark.parametrize("stage", ["submission_written", "before_commit"])
def test_killed_before_commit_leaves_neither_row(db: Path, stage: str) -> None:
    _kill_at(db, stage)
    subs, outbox, integrity = _inspect(db)
    assert (subs, outbox, integrity) == (set(), set(), "ok")


def test_killed_right_after_commit_leaves_both_rows(db: Path) -> None:
    _kill_at(db, "after_commit")
    subs, outbox, integrity = _inspect(db)
    assert len(subs) == 1 and subs == outbox and integrity == "ok"


def _kill_randomly(proc: subprocess.Popen[str], delay: float) -> set[str]:
    """Let a waiting loop child start, SIGKILL it after ``delay``; the ids it reported."""
    assert proc.stdin is not None and proc.stdout is not None
    with proc:
        proc.stdin.write("go\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        rest = proc.stdout.read()
        assert proc.wait(timeout=30) == -signal.SIGKILL
    return {line.split()[1] for line in rest.splitlines() if line.startswith("saved ")}


@pytest.mark.slow
def test_random_kills_during_repeated_saves(db: Path) -> None:
    rng = random.Random(20250314)
    rounds = 25
    reported: set[str] = set()
    # the next child imports while the current one runs
    upcoming: subprocess.Popen[str] | None = _start(db, "loop")
    try:
        for n in range(rounds):
            current = upcoming
            assert current is not None
            upcoming = _start(db, "loop") if n < rounds - 1 else None
            reported |= _kill_randomly(current, rng.uniform(0.0, 0.25))
            subs, outbox, integrity = _inspect(db)
            assert integrity == "ok"
            assert subs == outbox, "every submission has its outbox entry and vice versa"
            assert reported <= subs, "a save reported as committed was lost"
            assert len(subs - reported) <= n + 1, "at most one unreported commit per kill"
    finally:
        if upcoming is not None:
            upcoming.kill()
            upcoming.communicate()
    assert len(reported) >= rounds  # the loop really saved, across many kills
