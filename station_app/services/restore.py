"""Restoring the station database from a verified backup, and naming the cases it lacks.

Used by ``station-app restore`` and by the terminal when start-up refuses the database
(``DatabaseUnusable``): it offers :func:`newest_sound_backup` and calls :func:`restore_backup`.
The caller holds the data folder's instance lock, so no terminal or sync has the file open.

Nothing is lost by restoring: the file that was there is renamed aside, never overwritten or
deleted. Cases saved after the backup are read from that file as far as it can be read (its
case rows, then the outbox bodies, each naming its case) and reported by tracking ref, with
whether the district had already received them; when nothing can be read, the report says
that it could not tell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from station_app.domain.lifecycle import SyncState
from station_app.services.backups import BackupInfo, describe_backup, reason_name, station_backups
from station_app.services.context import BACKUP_DIR, DB_FILE, held_beside_database
from station_app.store.audit import append_audit
from station_app.store.backup import (
    BackupFailed,
    NoBackupAvailable,
    integrity_problems,
    restore_file,
)
from station_app.store.engine import StoreError, open_engine, session_scope
from station_app.store.migrate import check_database, prepare_database
from station_app.store.models import OutboxState
from station_app.store.salvage import FoundCases, read_cases
from station_app.vault.keys import DataKey

_SENT = {True: "已报送区里", False: "未报送区里", None: "是否已报送不明"}


@dataclass(frozen=True)
class NewerCase:
    """A case in the replaced file that the backup does not hold."""

    tracking_ref: str
    reached_district: bool | None  # acknowledged by the district (it has case and receipt);
    # None: only the ref could be read, so it is not known


@dataclass(frozen=True)
class RestoreReport:
    """What a restore did. ``newer``: cases saved after the backup (None: the replaced file
    could not be read, so it cannot be told); ``read_whole``: that file was read to the end."""

    backup: BackupInfo
    kept_aside: Path | None
    newer: list[NewerCase] | None
    read_whole: bool

    def lines(self) -> list[str]:
        b = self.backup
        kept = f"原文件已另存为 {self.kept_aside}" if self.kept_aside else "原来没有数据库文件"
        lines = [f"已从备份 {b.path}（{b.when}，{reason_name(b.reason)}，{b.cases} 件办件）"
                 f"恢复数据库；{kept}"]
        if self.newer is None:
            lines.append(f"原数据库无法读取，无法判断 {b.when} 之后是否还保存过办件："
                         "请核对此后受理的纸质材料，必要时重新录入")
            return lines
        partial = "" if self.read_whole else "（原数据库只读出了一部分，其余无法判断）"
        if not self.newer:
            lines.append(f"原数据库中读出的办件都在该备份里{partial}")
            return lines
        lines.append(f"该备份之后保存的 {len(self.newer)} 件办件不在备份中{partial}，"
                     "请按受理编号核对，未报送区里的须重新录入：")
        lines.extend(f"  {c.tracking_ref}\t{_SENT[c.reached_district]}" for c in self.newer)
        return lines


def _sqlcipher(key: DataKey | None) -> str | None:
    return None if key is None else key.sqlcipher_key()


def backup_problem(path: Path, key: str | None) -> str | None:
    """Why ``path`` cannot be restored (damaged, not ours, newer schema, wrong key), or None."""
    try:
        if not path.is_file():
            return "文件不存在"
        if check_database(path, key=key) is None:
            return "文件中没有驿站数据"
    except (StoreError, OSError) as e:
        return str(e)
    problems = integrity_problems(path, key=key)
    return "；".join(problems[:3]) if problems else None


def newest_sound_backup(data_dir: Path, key: DataKey | None) -> BackupInfo | None:
    """The newest backup (here or in IT's second folder) that opens with ``key`` and passes
    the full integrity check; None when there is none."""
    db_key = _sqlcipher(key)
    return next((info for info in station_backups(data_dir, db_key)
                 if info.cases is not None and backup_problem(info.path, db_key) is None), None)


def _ref_in_body(body: bytes) -> str | None:
    try:
        ref = json.loads(body).get("tracking_ref")
    except (ValueError, AttributeError):
        return None
    return ref if isinstance(ref, str) and ref else None


def _either(a: bool | None, b: bool | None) -> bool | None:
    """Reached the district if any source says so; not if one says not; else unknown."""
    if a or b:
        return True
    return False if False in (a, b) else None


def _newer_cases(before: FoundCases | None, held: FoundCases) -> list[NewerCase] | None:
    if before is None:
        return None
    newer: dict[str, bool | None] = {}
    for ref, state in before.refs.items():
        if ref not in held.refs:
            newer[ref] = None if state is None else state == SyncState.SYNCED
    for sid, (body, outbox_state) in before.outbox.items():
        named = before.ids.get(sid) or _ref_in_body(body)
        if named is not None and named not in held.refs:
            newer[named] = _either(newer.get(named), outbox_state == OutboxState.ACKED)
    return [NewerCase(ref, newer[ref]) for ref in sorted(newer)]


def restore_backup(data_dir: Path, key: DataKey | None, backup: Path | None = None, *,
                   actor: str = "system", now: datetime | None = None) -> RestoreReport:
    """Replace the database with ``backup`` (default: :func:`newest_sound_backup`).

    The backup is verified first; the file that was there is kept aside; the restored file is
    brought to the current schema and the restore is recorded in its audit trail. Raises
    NoBackupAvailable or BackupFailed (one line each; nothing was changed).
    """
    db, db_key = data_dir / DB_FILE, _sqlcipher(key)
    if backup is None:
        info = newest_sound_backup(data_dir, key)
        if info is None:
            raise NoBackupAvailable(f"在 {data_dir / BACKUP_DIR} 和备份副本文件夹中都没有可用的"
                                    "已验证备份，未做任何改动：如有 U 盘上的备份，请运行 "
                                    "station-app restore 备份文件，否则请联系区信息中心")
    else:
        if backup.resolve() == db.resolve():
            raise BackupFailed(f"{backup} 就是当前数据库文件，不能用它恢复自己")
        problem = backup_problem(backup, db_key)
        if problem is not None:
            raise BackupFailed(f"备份 {backup} 不能用于恢复（{problem}），未做任何改动")
        info = describe_backup(backup, db_key)
    before = read_cases(db, key=db_key)
    held = read_cases(info.path, key=db_key) or FoundCases()
    aside = restore_file(db, info.path, key=db_key, now=now)
    prepare_database(db, data_dir / BACKUP_DIR, key=db_key,
                     others=held_beside_database(data_dir), now=now)
    report = RestoreReport(info, aside, _newer_cases(before, held),
                           before is not None and before.complete)
    engine = open_engine(db, key=db_key)
    try:
        with session_scope(engine) as session:
            append_audit(session, actor, "backup.restored", info.path.name, {
                "taken_at": info.when, "cases": info.cases,
                "kept_aside": None if aside is None else aside.name,
                "newer_refs": None if report.newer is None
                else [c.tracking_ref for c in report.newer]})
    finally:
        engine.dispose()
    return report
