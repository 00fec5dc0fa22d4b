"""`station-app operator …`: accounts that sign in at the terminal, managed by IT or an admin.

``init`` secures a data folder: it creates the first administrator, makes the data key and
prints IT's recovery key exactly once (an existing plaintext database is encrypted on the
spot). ``add``, ``list``, ``passwd`` and ``disable`` need an administrator's sign-in; every
change is an audit row. Passwords come from a file (first line) or a prompt, never from the
command line, where they would be visible in the process list and shell history.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import SignInFailed, add_sign_in_options, unlock
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.services.context import open_station
from station_app.services.security import (
    Unlocked,
    add_operator,
    disable_operator,
    list_operators,
    secure_station,
)
from station_app.store.audit import append_audit
from station_app.store.engine import StoreError, session_scope
from station_app.vault.keyfile import Role, VaultError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("operator", help="操作员账号 / operator accounts")
    osub = p.add_subparsers(dest="operator_command", required=True, metavar="ACTION")

    i = osub.add_parser("init", help="首次设置：创建第一个管理员并打印恢复密钥 / secure the folder")
    i.add_argument("--new-staff-no", required=True, metavar="NO", help="管理员工号")
    i.add_argument("--new-name", required=True, metavar="NAME", help="管理员姓名")
    i.add_argument("--new-password-file", type=Path, metavar="FILE",
                   help="新密码文件（第一行）；不给则在终端输入")
    i.set_defaults(handler=_init)

    a = osub.add_parser("add", help="新增或重设账号（管理员）/ add or reset an account")
    a.add_argument("--new-staff-no", required=True, metavar="NO")
    a.add_argument("--new-name", required=True, metavar="NAME")
    a.add_argument("--role", choices=[r.value for r in Role], default=Role.WORKER.value)
    a.add_argument("--new-password-file", type=Path, metavar="FILE")
    add_sign_in_options(a)
    a.set_defaults(handler=_add)

    ls = osub.add_parser("list", help="列出账号（管理员）/ list accounts")
    add_sign_in_options(ls)
    ls.set_defaults(handler=_list)

    d = osub.add_parser("disable", help="停用账号（管理员）/ disable an account")
    d.add_argument("target", metavar="STAFF_NO")
    add_sign_in_options(d)
    d.set_defaults(handler=_disable)


def _new_password(path: Path | None) -> str:
    if path is not None:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as e:
            raise SignInFailed(f"无法读取新密码文件 {path}（{e.__class__.__name__}）") from None
        if not lines or not lines[0].strip():
            raise SignInFailed(f"新密码文件 {path} 是空的")
        return lines[0].strip()
    if not sys.stdin.isatty():
        raise SignInFailed("没有终端可输入新密码：请加 --new-password-file 文件")
    first = getpass.getpass("新密码：")
    if getpass.getpass("再输入一次：") != first:
        raise SignInFailed("两次输入的密码不一致，未作任何改动")
    return first


def _audit(data_dir: Path, who: Unlocked, action: str, subject: str | None,
           detail: dict[str, object]) -> None:
    ctx = open_station(data_dir, key=who.key, operator=who.label)
    try:
        with session_scope(ctx.engine) as session:
            append_audit(session, who.label, action, subject, dict(detail))
    finally:
        ctx.close()


def _admin(args: argparse.Namespace, data_dir: Path) -> Unlocked:
    who = unlock(args, data_dir, now=datetime.now(UTC))
    if who is None:
        raise SignInFailed("本站尚未设置账号：请先运行 station-app operator init")
    if not who.is_admin:
        raise SignInFailed(f"只有管理员可以管理账号，{who.label} 不是管理员")
    return who


_ERRORS = (SignInFailed, VaultError, ValueError, StoreError, SettingsError, CatalogueInvalid,
           OSError)


def _init(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    try:
        admin, recovery = secure_station(data_dir, staff_no=args.new_staff_no,
                                         name=args.new_name,
                                         password=_new_password(args.new_password_file))
        _audit(data_dir, admin, "security.secured", admin.staff_no,
               {"admin": admin.label, "role": admin.role.value})
    except _ERRORS as e:
        return fail(str(e), 1)
    print(f"已创建管理员 {admin.label}，本站数据已加密。")
    print("恢复密钥（只显示这一次，请打印或抄写后交区信息中心保管，勿存放在本机）：")
    print(recovery.text())
    return 0


def _add(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    try:
        who = _admin(args, data_dir)
        op = add_operator(data_dir, who, staff_no=args.new_staff_no, name=args.new_name,
                          role=Role(args.role), password=_new_password(args.new_password_file))
        _audit(data_dir, who, "operator.saved", op.staff_no,
               {"name": op.name, "role": op.role.value})
    except _ERRORS as e:
        return fail(str(e), 1)
    print(f"已保存账号 {op.name}（{op.staff_no}，{op.role.label}）")
    return 0


def _list(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    try:
        _admin(args, data_dir)
        ops = list_operators(data_dir)
    except _ERRORS as e:
        return fail(str(e), 1)
    for op in ops:
        locked = f"，锁定至 {op.locked_until}" if op.locked_until else ""
        print(f"{op.staff_no}\t{op.name}\t{op.role.label}{locked}")
    return 0


def _disable(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    try:
        who = _admin(args, data_dir)
        disable_operator(data_dir, who, args.target)
        _audit(data_dir, who, "operator.disabled", args.target, {})
    except _ERRORS as e:
        return fail(str(e), 1)
    print(f"已停用账号 {args.target}")
    return 0
