"""One running terminal per data folder, so there is only ever one sender (invariant 4)."""

from __future__ import annotations

from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

LOCK_FILE = "station.lock"


class AlreadyRunning(Exception):
    """Another terminal (or a `sync --once`) holds this data folder."""


class InstanceLock:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / LOCK_FILE
        self._lock = FileLock(str(self.path), timeout=0)

    def acquire(self) -> None:
        try:
            self._lock.acquire()
        except Timeout as e:
            raise AlreadyRunning(
                f"数据文件夹 {self.path.parent} 已被另一个终端使用；请先关闭它再启动。") from e

    def release(self) -> None:
        self._lock.release()

    def __enter__(self) -> InstanceLock:
        self.acquire()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.release()
