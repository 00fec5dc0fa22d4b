"""Verified backups and restore of the station database.

Copies are made with SQLite's online backup API (a consistent snapshot even while the
application writes; a file copy taken mid-transaction is not), keyed like the database (a
backup of an SQLCipher database is itself encrypted with the same key), written under a
temporary name, checked with ``PRAGMA integrity_check`` (which includes everything
``quick_check`` does) and compared with the source schema, then renamed into place and
fsynced. A backup is a single file in rollback-journal mode so it can be copied around safely.

Backups are named ``<stem>-<UTC time>-<reason>.db``; the name is the record of when and why,
so listing them needs no key. Rotation (:mod:`station_app.store.rotation`) keeps the newest of
each of the last 7 days and 4 weeks. Restore never deletes anything: the file that was there
and its ``-wal``/``-shm`` are renamed aside to ``<name>.before-restore-<UTC time>``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import cast

from sqlalchemy import Engine

from station_app.store.coltypes import utcnow
from station_app.store.engine import StoreError, driver_errors, raw_connect
from station_app.store.rotation import DEFAULT_POLICY, RotationPolicy, backups_to_keep

log = logging.getLogger(__name__)

_STAMP = "%Y%m%dT%H%M%S%fZ"
_SIDECARS = ("-wal", "-shm", "-journal")
ASIDE_MARK = ".before-restore-"
"""``station.db.before-restore-<UTC time>``: the file a restore replaced, kept."""


class BackupFailed(StoreError):
    """A backup could not be written or did not verify; nothing was rotated away."""


class NoBackupAvailable(StoreError):
    """There is no backup that passes the integrity check."""


_LABEL = r"[A-Za-z0-9_.-]+"
_NAME_TAIL = re.compile(rf"-(\d{{8}}T\d{{12}}Z)-({_LABEL})\.db$")


def _backup_re(db_path: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_path.stem)}{_NAME_TAIL.pattern}")


def list_backups(db_path: Path, backup_dir: Path) -> list[Path]:
    """Backups of ``db_path`` in ``backup_dir``, newest first (the name starts with UTC time)."""
    if not backup_dir.is_dir():
        return []
    pattern = _backup_re(db_path)
    found = [p for p in backup_dir.iterdir() if p.is_file() and pattern.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _name_parts(backup: Path) -> tuple[str, str]:
    found = _NAME_TAIL.search(backup.name)
    if found is None:
        raise ValueError(f"{backup.name} is not named like a station backup")
    return found.group(1), found.group(2)


def backup_taken_at(backup: Path) -> datetime:
    """When ``backup`` was taken (UTC), read from its name."""
    return datetime.strptime(_name_parts(backup)[0], _STAMP).replace(tzinfo=UTC)


def backup_reason(backup: Path) -> str:
    """Why ``backup`` was taken (the label in its name: ``daily``, ``close``, ``pre-0005``…)."""
    return _name_parts(backup)[1]


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


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str, str]]:
    rows = conn.execute(
        "SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
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


@contextlib.contextmanager
def _source(db_path: Path, key: str | None, engine: Engine | None) -> Iterator[sqlite3.Connection]:
    """The connection to copy from: the engine's own (no second connection to the live file
    in this process), or a read-only one for a file nobody has open."""
    if engine is not None:
        with engine.connect() as held:
            yield cast(sqlite3.Connection, held.connection.dbapi_connection)
        return
    conn = raw_connect(db_path, key=key, readonly=True)
    try:
        yield conn
    finally:
        conn.close()


def _snapshot(src: sqlite3.Connection, target: Path, key: str | None) -> None:
    """Copy ``src`` into a new file ``target`` with the backup API, keyed with ``key``."""
    dst = raw_connect(target, key=key)
    try:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()


def _remove_partial(partial: Path) -> None:
    for path in (partial, *(Path(f"{partial}{s}") for s in _SIDECARS)):
        path.unlink(missing_ok=True)


def backup_database(db_path: Path, backup_dir: Path, label: str, *, key: str | None = None,
                    now: datetime | None = None, engine: Engine | None = None,
                    policy: RotationPolicy = DEFAULT_POLICY) -> Path:
    """Write a verified backup named ``<stem>-<UTC time>-<label>.db``, then rotate.

    ``engine``: the open engine of ``db_path`` (the running terminal); the snapshot is taken
    through its connection. ``now``: the time in the name (the station's clock).
    """
    if not re.fullmatch(_LABEL, label):
        raise ValueError(f"backup label {label!r} must be ASCII letters, digits, '_', '.', '-'")
    stamp = (now or utcnow()).astimezone(UTC).strftime(_STAMP)
    target = backup_dir / f"{db_path.stem}-{stamp}-{label}.db"
    partial = target.with_name(target.name + ".partial")
    failures: tuple[type[Exception], ...] = (OSError, *driver_errors(key))
    try:
        backup_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        with _source(db_path, key, engine) as src:
            expected = _schema(src)
            _snapshot(src, partial, key)
        problems = integrity_problems(partial, key=key)
        if not problems:
            check = raw_connect(partial, key=key, readonly=True)
            try:
                problems = [] if _schema(check) == expected else ["备份的表结构与原数据库不一致"]
            finally:
                check.close()
        if problems:
            raise BackupFailed(f"备份 {target} 未通过校验（{'；'.join(problems[:3])}），"
                               "已放弃该备份，原数据库未改动。请检查备份目录所在磁盘。")
        os.chmod(partial, 0o600)
        _fsync(partial)
        os.replace(partial, target)
        _fsync(backup_dir)
    except failures as exc:
        raise BackupFailed(f"无法写入备份 {target}（{exc}）。原数据库未改动，"
                           "请检查备份目录的磁盘空间和权限。") from exc
    finally:
        with contextlib.suppress(OSError):
            _remove_partial(partial)
    rotate_backups(db_path, backup_dir, policy)
    return target


def rotate_backups(db_path: Path, backup_dir: Path,
                   policy: RotationPolicy = DEFAULT_POLICY) -> list[Path]:
    """Delete the backups ``policy`` does not keep (never the newest); return the deleted.
    One that cannot be deleted stays (logged): a backup too many harms nobody."""
    found = list_backups(db_path, backup_dir)
    keep = backups_to_keep([(p, backup_taken_at(p)) for p in found], policy)
    deleted = []
    for path in (p for p in found if p not in keep):
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not rotate away %s: %s", path, exc)
            continue
        deleted.append(path)
    return deleted


def copy_backup(backup: Path, folder: Path, *, key: str | None = None) -> Path:
    """Copy a finished backup into a second ``folder`` (USB stick, network share) under the
    same name, verified there before it takes that name. Raises OSError or BackupFailed."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.name
    partial = target.with_name(target.name + ".partial")
    try:
        shutil.copyfile(backup, partial)
        with contextlib.suppress(OSError):  # FAT sticks and some shares have no modes
            os.chmod(partial, 0o600)
        _fsync(partial)
        problems = integrity_problems(partial, key=key)
        if problems:
            raise BackupFailed(f"备份副本 {target} 未通过校验（{'；'.join(problems[:3])}）")
        os.replace(partial, target)
        _fsync(folder)
    finally:
        with contextlib.suppress(OSError):
            _remove_partial(partial)
    return target


def set_aside(db_path: Path, now: datetime | None = None) -> Path | None:
    """Rename the file and its sidecars to ``<name>.before-restore-<UTC time>``; never delete."""
    if not db_path.exists():
        return None
    stamp = (now or utcnow()).astimezone(UTC).strftime(_STAMP)
    aside = db_path.with_name(f"{db_path.name}{ASIDE_MARK}{stamp}")
    for suffix in _SIDECARS:
        sidecar = Path(f"{db_path}{suffix}")
        if sidecar.exists():
            os.replace(sidecar, Path(f"{aside}{suffix}"))
    os.replace(db_path, aside)
    _fsync(db_path.parent)
    return aside


def restore_file(db_path: Path, backup: Path, *, key: str | None = None,
                 now: datetime | None = None) -> Path | None:
    """Put a copy of ``backup`` in place of ``db_path``; return where the old file was kept.

    The copy is made and checked beside the database first; only then is the old file
    renamed aside. ``backup`` itself is not changed.
    """
    restoring = db_path.with_name(db_path.name + ".restoring")
    _remove_partial(restoring)
    try:
        with _source(backup, key, None) as src:
            _snapshot(src, restoring, key)
        problems = integrity_problems(restoring, key=key)
        if problems:
            raise BackupFailed(f"从 {backup} 恢复出的文件未通过校验（{'；'.join(problems[:3])}），"
                               "原文件未改动。")
        os.chmod(restoring, 0o600)
        _fsync(restoring)
        aside = set_aside(db_path, now)
        os.replace(restoring, db_path)
        _fsync(db_path.parent)
    finally:
        with contextlib.suppress(OSError):
            _remove_partial(restoring)
    log.info("database restored from %s; the previous file was kept as %s", backup, aside)
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
    restore_file(db_path, candidate, key=key)
    return candidate
