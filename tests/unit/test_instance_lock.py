"""One terminal per folder, and a start that meets a terminal still closing waits for it
(station_app.instance_lock). The holder is another process, as at a station."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from station_app.instance_lock import AlreadyRunning, InstanceLock

HOLDER = """
import sys
from pathlib import Path
from station_app.instance_lock import InstanceLock
lock = InstanceLock(Path(sys.argv[1]))
lock.acquire()
if sys.argv[2] == "closing":
    lock.closing()
print("held", flush=True)
sys.stdin.readline()  # until the test says so
lock.release()
print("released", flush=True)
"""


@contextmanager
def held(data: Path, how: str) -> Iterator[subprocess.Popen[str]]:
    """Another process holding ``data`` (``closing``: as a terminal doing its close work)."""
    root = Path(__file__).resolve().parents[2]
    with subprocess.Popen([sys.executable, "-c", HOLDER, str(data), how], cwd=root,
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True) as child:
        try:
            assert child.stdout is not None and child.stdout.readline() == "held\n"
            yield child
        finally:
            if child.poll() is None:
                child.kill()
            child.wait(timeout=30)


def _let_go(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.write("\n")
    child.stdin.flush()


def test_a_running_terminal_refuses_a_second_one_at_once(tmp_path: Path) -> None:
    with held(tmp_path, "running"), pytest.raises(AlreadyRunning, match="另一个终端"):
        InstanceLock(tmp_path).acquire(wait_for_closing=30)


def test_a_start_waits_for_a_terminal_doing_its_close_work(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path)
    with held(tmp_path, "closing") as child:
        assert lock.closing_note.exists()
        with pytest.raises(AlreadyRunning):  # without waiting it is refused as before
            lock.acquire()
        _let_go(child)
        lock.acquire(wait_for_closing=30)  # got it once the closing terminal let go
        try:
            assert child.wait(timeout=30) == 0 and not lock.closing_note.exists()
        finally:
            lock.release()


def test_a_close_that_outlasts_the_wait_is_said_in_one_line(tmp_path: Path) -> None:
    with held(tmp_path, "closing"), pytest.raises(AlreadyRunning) as refused:
        InstanceLock(tmp_path).acquire(wait_for_closing=0.5)
    assert "仍在关闭" in str(refused.value) and "\n" not in str(refused.value)


def test_a_note_left_by_a_terminal_that_died_closing_is_taken_away(tmp_path: Path) -> None:
    lock = InstanceLock(tmp_path)
    lock.closing_note.write_bytes(b"")  # its process is gone, and with it the lock
    lock.acquire()
    try:
        assert not lock.closing_note.exists()
    finally:
        lock.release()
