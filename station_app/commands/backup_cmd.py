"""`station-app backup` and `station-app restore [--list] [FILE]`: administrators only.

``backup`` takes a verified backup now (the terminal also takes one daily and when it closes).
``restore`` puts the newest sound backup (or FILE) in place of the database and keeps the file
that was there aside; it names the cases saved after that backup by tracking ref. It works on
a folder whose database is broken: the operator signs in with the key file only (the database
cannot be opened first), and must be an administrator. ``restore`` takes the folder's instance
lock, so it never swaps the file under an open terminal.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import (
    SignInFailed,
    add_sign_in_options,
    open_signed_in,
    unlock,
)
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.services.backups import MANUAL, station_backups, take_backup
from station_app.services.context import BACKUP_DIR, DB_FILE, check_station_database
from station_app.services.restore import restore_backup
from station_app.services.unlock import Unlocked
from station_app.store.engine import StoreError

ERRORS = (SignInFailed, StoreError, SettingsError, CatalogueInvalid, OSError, AlreadyRunning)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("backup", help="立即备份数据库（管理员）/ back up the database now (admin)",
                       description="写入一份加密、已校验的在线备份，并按设置另存副本 / "
                                   "write a verified, encrypted backup (and its second copy)")
    add_sign_in_options(b)
    b.set_defaults(handler=run_backup)
    r = sub.add_parser("restore", help="从备份恢复数据库（管理员）/ restore from a backup (admin)",
                       description="用最新的已验证备份（或指定文件）替换数据库；原文件另存，不删除；"
                                   "列出备份之后保存、未在备份中的办件 / replace the database "
                                   "with the newest sound backup or FILE, keeping the old file")
    r.add_argument("file", nargs="?", type=Path, metavar="FILE",
                   help="要恢复的备份文件（默认最新的已验证备份）/ backup to restore")
    r.add_argument("--list", action="store_true",
                   help="列出备份：时间、原因、大小、办件数 / list backups")
    r.add_argument("--force", action="store_true",
                   help="当前数据库完好时也替换（原文件另存）/ replace a sound database too")
    add_sign_in_options(r)
    r.set_defaults(handler=run_restore)


def run_backup(args: argparse.Namespace) -> int:
    try:
        ctx = open_signed_in(args, data_dir_of(args), command="backup", admin=True)
    except ERRORS as e:
        return fail(str(e), 1)
    try:
        result = take_backup(ctx, MANUAL)
    except StoreError as e:
        return fail(str(e), 1)
    finally:
        ctx.close()
    print(result.summary())
    return 0


def _administrator(args: argparse.Namespace, data_dir: Path, command: str) -> Unlocked | None:
    """Sign in with the key file alone (the database may be unreadable); None for a folder
    from before encryption, which has no accounts."""
    who = unlock(args, data_dir, now=datetime.now(UTC))
    if who is not None and not who.is_admin:
        raise SignInFailed(f"「{command}」只有管理员可以执行，{who.label} 不是管理员")
    return who


def _list(data_dir: Path, who: Unlocked | None) -> int:
    found = station_backups(data_dir, None if who is None else who.key.sqlcipher_key())
    if not found:
        print(f"没有找到备份（{data_dir / BACKUP_DIR}）")
        return 0
    print("时间\t原因\t大小\t办件\t文件")
    for info in found:
        print(info.line())
    print(f"共 {len(found)} 份备份")
    return 0


def _sound_now(data_dir: Path, who: Unlocked | None) -> bool:
    try:
        return check_station_database(data_dir, None if who is None else who.key) == "checked"
    except StoreError:
        return False


def run_restore(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    try:
        with InstanceLock(data_dir):
            who = _administrator(args, data_dir, "restore")
            if args.list:
                return _list(data_dir, who)
            if _sound_now(data_dir, who) and not args.force:
                return fail(f"当前数据库 {data_dir / DB_FILE} 完好，未做任何改动；"
                            "如确需用备份替换它，请加 --force（原文件会另存）", 1)
            report = restore_backup(data_dir, None if who is None else who.key, args.file,
                                    actor="命令行" if who is None else who.label)
    except ERRORS as e:
        return fail(str(e), 1)
    for line in report.lines():
        print(line)
    return 0
