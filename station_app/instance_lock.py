"""One running terminal per data folder, so there is only ever one sender (invariant 4).

A terminal that is closing still holds the folder for a moment: its close backup reads every
page of the database (seconds at 100,000 encrypted cases) after the window is gone. It says so
in a note beside the lock (``station.lock.closing``), and a terminal started meanwhile waits
for it (:meth:`InstanceLock.acquire` with ``wait_for_closing``) instead of refusing with "in
use by another terminal" while nothing is to be seen. A note left by a terminal that died
while closing is harmless: the lock itself was released with the process, and the next
holder removes the note.
"""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from station_app.domain.files import atomic_write

LOCK_FILE = "station.lock"
CLOSING_NOTE = "station.lock.closing"


class AlreadyRunning(Exception):
    """Another terminal (or a `sync --once`) holds this data folder."""


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / LOCK_FILE
        self.closing_note = data_dir / CLOSING_NOTE
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self, wait_for_closing: float = 0.0) -> None:
        """Take the folder, or raise AlreadyRunning (one Chinese line). ``wait_for_closing``:
        seconds to wait when the holder is a terminal that is closing."""
        try:
            self._lock.acquire()
        except Timeout as e:
            if wait_for_closing <= 0 or not self.closing_note.exists():
                raise AlreadyRunning(f"数据文件夹 {self.path.parent} 已被另一个终端使用；"
                                     "请先关闭它再启动。") from e
            try:
                self._lock.acquire(timeout=wait_for_closing)
            except Timeout as late:
                raise AlreadyRunning(
                    f"上一个终端仍在关闭（正在做关闭时的备份），{wait_for_closing:.0f} 秒内未结束；"
                    "请稍后再启动。") from late
        with suppress(OSError):  # a note left by a terminal that died while closing
            self.closing_note.unlink(missing_ok=True)

    def closing(self) -> None:
        """This terminal's window is gone and what is left is its close work: a terminal
        started now waits for the folder rather than being refused. Best effort: a full or
        read-only folder only means such a start is refused as before."""
        with suppress(OSError):
            atomic_write(self.closing_note, b"", mode=0o600)

    def release(self) -> None:
        # The lock first: while it is held, a closing terminal's note must stay, or a start
        # arriving in between would see a holder that is not closing and be refused.
        self._lock.release()
        with suppress(OSError):
            self.closing_note.unlink(missing_ok=True)

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
