"""Routine verified backups (DESIGN.md invariant 8): daily, when the terminal closes, on demand.

Each backup is an online snapshot through the running terminal's own connection, encrypted
with the database's key, checked before it takes its name, rotated (newest of each of the last
7 days and 4 weeks), copied to the second folder IT may configure (``backup_copy_dir``: a USB
stick or a network share; each station writes into a sub-folder of its own), and recorded in
the audit trail. A copy that cannot be written does not undo the backup: the result says so.

Schedule: :func:`backup_due` is true when no backup exists from the station's calendar day
(China time) of ``now``; a backup dated in the future (a clock that was wrong) does not count.
The terminal calls :func:`backup_if_due` at start and now and then, and
``take_backup(ctx, "close")`` when it closes.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from station_app.config import SettingsError, StationSettings, load_settings
from station_app.domain.china_time import CHINA_TZ
from station_app.services.context import BACKUP_DIR, DB_FILE, StationContext
from station_app.store.audit import append_audit
from station_app.store.backup import BackupFailed as BackupFailed  # callers catch it from here
from station_app.store.backup import (
    backup_database,
    backup_reason,
    backup_taken_at,
    copy_backup,
    list_backups,
    rotate_backups,
)
from station_app.store.engine import StoreError, session_scope
from station_app.store.salvage import count_cases

log = logging.getLogger(__name__)

DAILY, CLOSE, MANUAL = "daily", "close", "manual"
_REASON_NAMES = {DAILY: "每日备份", CLOSE: "关闭终端时", MANUAL: "手动备份",
                 "pre-encryption": "加密前", "file": "备份文件"}


def reason_name(reason: str) -> str:
    """The reason in a backup's name, in words."""
    if reason in _REASON_NAMES:
        return _REASON_NAMES[reason]
    if reason.startswith("pre-"):
        return f"升级到结构版本 {reason[4:]} 前"
    return reason


@dataclass(frozen=True)
class BackupInfo:
    """One backup file as ``restore --list`` and the start-up offer show it.
    ``cases``: None when it cannot be opened with the key given."""

    path: Path
    taken_at: datetime
    reason: str
    size: int
    cases: int | None

    @property
    def when(self) -> str:
        return self.taken_at.astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M:%S")

    def line(self) -> str:
        cases = "无法打开（密钥不符或已损坏）" if self.cases is None else f"{self.cases} 件办件"
        return (f"{self.when}\t{reason_name(self.reason)}\t{self.size / 1e6:.1f} MB\t"
                f"{cases}\t{self.path}")


def describe_backup(path: Path, key: str | None) -> BackupInfo:
    """Time and reason from the name (a renamed file: its modification time, reason
    ``file``), size from the file, cases by opening it with ``key``."""
    size = path.stat().st_size
    try:
        taken_at, reason = backup_taken_at(path), backup_reason(path)
    except ValueError:
        taken_at, reason = datetime.fromtimestamp(path.stat().st_mtime, UTC), "file"
    return BackupInfo(path, taken_at, reason, size, count_cases(path, key=key))


@dataclass(frozen=True)
class BackupResult:
    """A backup that was written and verified, and what became of its second copy."""

    backup: BackupInfo
    copy: Path | None = None
    copy_problem: str | None = None

    def summary(self) -> str:
        b = self.backup
        text = (f"已备份（{reason_name(b.reason)}）：{b.path}，{b.cases} 件办件，"
                f"{b.size / 1e6:.1f} MB，校验通过")
        if self.copy is not None:
            text += f"；副本：{self.copy}"
        if self.copy_problem is not None:
            text += f"；{self.copy_problem}"
        return text


def copy_folder(settings: StationSettings) -> Path | None:
    """This station's folder inside IT's ``backup_copy_dir``; None when none is configured.
    A sub-folder per station, so stations sharing one network folder never rotate each
    other's copies away."""
    if settings.backup_copy_dir is None:
        return None
    return settings.backup_copy_dir / f"redstation-{settings.station_id or 'unenrolled'}"


def configured_copy_folder(data_dir: Path) -> Path | None:
    """:func:`copy_folder` read from the settings file (None when it cannot be read)."""
    try:
        return copy_folder(load_settings(data_dir, migrate_file=False))
    except (SettingsError, OSError):
        return None


def backup_due(ctx: StationContext, now: datetime) -> bool:
    """True when no backup was taken on the station's calendar day of ``now``."""
    today = now.astimezone(CHINA_TZ).date()
    return not any(backup_taken_at(p).astimezone(CHINA_TZ).date() == today
                   for p in list_backups(ctx.db_path, ctx.data_dir / BACKUP_DIR))


def _audit(ctx: StationContext, action: str, subject: str | None, detail: dict[str, object],
           *, must: bool) -> None:
    try:
        with session_scope(ctx.engine) as session:
            append_audit(session, ctx.operator, action, subject, detail)
    except (StoreError, SQLAlchemyError):
        if must:
            raise
        log.exception("could not record %s in the audit trail", action)


def _second_copy(ctx: StationContext, backup: Path) -> tuple[Path | None, str | None]:
    folder = copy_folder(ctx.settings)
    if folder is None:
        return None, None
    try:
        copy = copy_backup(backup, folder, key=ctx.db_key)
        rotate_backups(ctx.db_path, folder)
    except (OSError, BackupFailed) as e:
        detail = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        return None, (f"备份副本未能写入 {folder}（{detail}）：请检查 U 盘或网络共享是否可用，"
                      "本机备份不受影响")
    return copy, None


def take_backup(ctx: StationContext, reason: str) -> BackupResult:
    """Back up the open station now (``reason``: ``daily``, ``close``, ``manual``).

    Raises BackupFailed (one line; the database is untouched); a failure is audited too.
    """
    try:
        path = backup_database(ctx.db_path, ctx.data_dir / BACKUP_DIR, reason, key=ctx.db_key,
                               now=ctx.clock(), engine=ctx.engine)
    except BackupFailed as e:
        _audit(ctx, "backup.failed", None, {"reason": reason, "problem": str(e)}, must=False)
        raise
    info = describe_backup(path, ctx.db_key)
    copy, problem = _second_copy(ctx, path)
    _audit(ctx, "backup.taken", path.name,
           {"reason": reason, "cases": info.cases, "bytes": info.size,
            "copy": None if copy is None else str(copy), "copy_problem": problem}, must=False)
    return BackupResult(info, copy, problem)


def backup_if_due(ctx: StationContext) -> BackupResult | None:
    """The daily backup, when :func:`backup_due` says today has none yet."""
    return take_backup(ctx, DAILY) if backup_due(ctx, ctx.clock()) else None


def station_backups(data_dir: Path, key: str | None) -> list[BackupInfo]:
    """Every backup of this station, here and in the second folder, newest first; a copy
    whose name is also here is listed once (the one here)."""
    db = data_dir / DB_FILE
    found = {p.name: p for p in list_backups(db, data_dir / BACKUP_DIR)}
    second = configured_copy_folder(data_dir)
    if second is not None:
        with contextlib.suppress(OSError):  # the stick is not plugged in
            for p in list_backups(db, second):
                found.setdefault(p.name, p)
    ordered = sorted(found.values(), key=backup_taken_at, reverse=True)
    return [describe_backup(p, key) for p in ordered]
