"""Verified backups and restore of the station database.

Copies are made with SQLite's online backup API (a consistent snapshot even while the
application writes; a file copy taken mid-transaction is not), written under a temporary name,
checked with ``PRAGMA integrity_check`` and compared with the source schema, then renamed into
place and fsynced. A backup is a single file in rollback-journal mode so it can be copied
around safely. Restore never deletes anything: the damaged file and its ``-wal``/``-shm`` are
renamed aside.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from pathlib import Path

from station_app.store.coltypes import utcnow
from station_app.store.engine import StoreError, driver_errors, raw_connect

log = logging.getLogger(__name__)

DEFAULT_KEEP = 10
_STAMP = "%Y%m%dT%H%M%S%fZ"
_SIDECARS = ("-wal", "-shm", "-journal")


class BackupFailed(StoreError):
    """A backup could not be written or did not verify; nothing was rotated away."""


class NoBackupAvailable(StoreError):
    """There is no backup that passes the integrity check."""


def _backup_re(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_path.stem)}-(\d{{8}}T\d{{12}}Z)-[A-Za-z0-9_.-]+\.db$")


def list_backups(db_path: Path, backup_dir: Path) -> list[Path]:
    """Backups of ``db_path`` in ``backup_dir``, newest first (the name starts with UTC time)."""
    if not backup_dir.is_dir():
        return []
    pattern = _backup_re(db_path)
    found = [p for p in backup_dir.iterdir() if p.is_file() and pattern.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _fsync(path: Path) -> None:
    """Flush a file, or a directory's entries where the platform allows it."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    try:
        fd = os.open(path, flags)
    except OSError:  # Windows cannot open a directory; NTFS journals the rename itself
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _schema(db_path: Path, key: str | None) -> set[tuple[str, str, str]]:
    conn = raw_connect(db_path, key=key, readonly=True)
    try:
        rows = conn.execute(
            "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
        ).fetchall()
    finally:
        conn.close()
    return {(str(t), str(n), str(s)) for t, n, s in rows}


def integrity_problems(db_path: Path, *, key: str | None = None) -> list[str]:
    """Problems reported by the full ``PRAGMA integrity_check``; empty when the file is sound."""
    try:
        conn = raw_connect(db_path, key=key, readonly=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except driver_errors(key) as exc:
        return [str(exc)]
    problems = [str(r[0]) for r in rows]
    return [] if problems == ["ok"] else problems


def _copy(source: Path, target: Path, key: str | None) -> None:
    """Snapshot ``source`` into a new file ``target`` with the backup API."""
    src = raw_connect(source, key=key, readonly=True)
    try:
        dst = raw_connect(target, key=key)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()


def _verify(source: Path, copy: Path, key: str | None) -> list[str]:
    problems = integrity_problems(copy, key=key)
    if problems:
        return problems
    if _schema(source, key) != _schema(copy, key):
        return ["备份的表结构与原数据库不一致"]
    return []


def _remove_partial(partial: Path) -> None:
    for path in (partial, *(Path(f"{partial}{s}") for s in _SIDECARS)):
        path.unlink(missing_ok=True)


def backup_database(db_path: Path, backup_dir: Path, label: str, *,
                    key: str | None = None, keep: int = DEFAULT_KEEP) -> Path:
    """Write a verified backup named ``<stem>-<UTC time>-<label>.db``; keep the newest ``keep``."""
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", label):
        raise ValueError(f"backup label {label!r} must be ASCII letters, digits, '_', '.', '-'")
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = backup_dir / f"{db_path.stem}-{utcnow().strftime(_STAMP)}-{label}.db"
    partial = target.with_name(target.name + ".partial")
    failures: tuple[type[Exception], ...] = (OSError, *driver_errors(key))
    try:
        _copy(db_path, partial, key)
        problems = _verify(db_path, partial, key)
        if problems:
            raise BackupFailed(f"备份 {target} 未通过校验（{'；'.join(problems[:3])}），"
                               "已放弃该备份，原数据库未改动。请检查备份目录所在磁盘。")
        _fsync(partial)
        os.replace(partial, target)
        _fsync(backup_dir)
    except failures as exc:
        raise BackupFailed(f"无法写入备份 {target}（{exc}）。原数据库未改动，"
                           "请检查备份目录的磁盘空间和权限。") from exc
    finally:
        _remove_partial(partial)
    rotate_backups(db_path, backup_dir, keep)
    return target


def rotate_backups(db_path: Path, backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups (never fewer than one); return the deleted."""
    old = list_backups(db_path, backup_dir)[max(keep, 1):]
    for path in old:
        path.unlink(missing_ok=True)
    return old


def _set_aside(db_path: Path) -> Path | None:
    """Rename the damaged file and its sidecars to ``<name>.corrupt-<UTC time>``; never delete."""
    if not db_path.exists():
        return None
    aside = db_path.with_name(f"{db_path.name}.corrupt-{utcnow().strftime(_STAMP)}")
    for suffix in _SIDECARS:
        sidecar = Path(f"{db_path}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{aside}{suffix}"))
    os.replace(db_path, aside)
    _fsync(db_path.parent)
    return aside


def restore_latest(db_path: Path, backup_dir: Path, *, key: str | None = None) -> Path:
    """Replace ``db_path`` with the newest backup that passes ``integrity_check``.

    Returns the backup used. The file that was there is renamed aside (logged), not deleted.
    """
    candidate = next((b for b in list_backups(db_path, backup_dir)
                      if not integrity_problems(b, key=key)), None)
    if candidate is None:
        raise NoBackupAvailable(f"在 {backup_dir} 中没有找到可用的已验证备份，无法恢复 {db_path}。"
                                "原文件未改动，请联系区信息中心技术人员。")
    restoring = db_path.with_name(db_path.name + ".restoring")
    _remove_partial(restoring)
    try:
        _copy(candidate, restoring, key)
        if integrity_problems(restoring, key=key):
            raise BackupFailed(f"从 {candidate} 恢复出的文件未通过校验，原文件未改动。")
        _fsync(restoring)
        aside = _set_aside(db_path)
        os.replace(restoring, db_path)
        _fsync(db_path.parent)
    finally:
        with contextlib.suppress(OSError):
            _remove_partial(restoring)
    log.warning("database restored from %s; the previous file was kept as %s", candidate, aside)
    return candidate
