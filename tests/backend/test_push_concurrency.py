"""How many pushes one backend process works on at once: on SQLite two (writes queue on one
lock anyway; more threads only fight over the interpreter lock), on PostgreSQL up to eight
(while one waits on the server, others parse and check). Counted on the real server with
stations pushing at the same moment; each push is held a little while it is being read, so
that pushes let in at once are seen overlapping."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from district_backend.push_path import PUSH_THREADS, SQLITE_PUSH_THREADS, Pushes
from station_app.wire.protocol import PushResponse
from tests.helpers.backend import MakeSubmission, RunningBackend

STATIONS = 12
HOLD_S = 0.15


class _Overlap:
    """The most pushes seen inside ``Pushes._read`` at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self.most = 0

    def enter(self) -> None:
        with self._lock:
            self._inside += 1
            self.most = max(self.most, self._inside)

    def leave(self) -> None:
        with self._lock:
            self._inside -= 1


@pytest.fixture
def overlap(monkeypatch: pytest.MonkeyPatch) -> Iterator[_Overlap]:
    seen = _Overlap()
    read = Pushes._read

    def held_read(self: Pushes, station_id: str, body: bytes) -> Any:
        seen.enter()
        try:
            time.sleep(HOLD_S)
            return read(self, station_id, body)
        finally:
            seen.leave()

    monkeypatch.setattr(Pushes, "_read", held_read)
    yield seen


def test_pushes_at_once_follow_the_database(backend: RunningBackend, overlap: _Overlap,
                                            make_submission: MakeSubmission) -> None:
    clients = [backend.enroll(f"QDK{n:02d}") for n in range(STATIONS)]
    start = threading.Barrier(STATIONS)
    outcomes: list[str] = []

    def push(n: int) -> None:
        start.wait(30)
        resp = clients[n].push([make_submission()])
        outcomes.extend(r.outcome for r in PushResponse.model_validate_json(resp.content).results)

    threads = [threading.Thread(target=push, args=(n,)) for n in range(STATIONS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert outcomes == ["accepted"] * STATIONS
    expected = SQLITE_PUSH_THREADS if backend.db_url.startswith("sqlite") else PUSH_THREADS
    assert overlap.most == expected
