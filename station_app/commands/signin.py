"""Signing in on the command line: commands that read residents' data need an operator.

A secured data folder (one with ``keys.json``) opens only with an operator's password or IT's
recovery key, exactly as in the GUI. Scripts give ``--staff-no`` and ``--password-file`` (the
first line of the file is the password; keep the file owner-only); a person at a terminal is
asked for the password. Environment variables are not read: they leak into process listings
and child processes. A folder from before encryption (no ``keys.json``) opens as before.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import UTC, datetime
from pathlib import Path

from station_app.services.context import StationContext, open_station
from station_app.services.security import (
    Unlocked,
    is_secured,
    recover,
    sign_in,
)
from station_app.store.audit import append_audit
from station_app.store.engine import session_scope
from station_app.vault.keyfile import Role, VaultError

RECOVERY_LABEL = "恢复密钥"


class SignInFailed(Exception):
    """One Chinese line: why the command could not sign in, and what to give instead."""


def add_sign_in_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("登录 / sign-in (encrypted data folders)")
    group.add_argument("--staff-no", metavar="NO", help="操作员工号 / operator's staff number")
    group.add_argument("--password-file", type=Path, metavar="FILE",
                       help="密码文件（第一行为密码，仅本人可读）/ file holding the password")
    group.add_argument("--recovery-key-file", type=Path, metavar="FILE",
                       help="技术人员的恢复密钥文件 / IT's recovery key")


def _first_line(path: Path, what: str) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise SignInFailed(f"无法读取{what}文件 {path}（{e.__class__.__name__}）") from None
    line = text.splitlines()[0].strip() if text.strip() else ""
    if not line:
        raise SignInFailed(f"{what}文件 {path} 是空的")
    return line


def unlock(args: argparse.Namespace, data_dir: Path, *, now: datetime) -> Unlocked | None:
    """The signed-in operator for a secured folder, or None for a folder from before
    encryption. Raises SignInFailed with one line."""
    if not is_secured(data_dir):
        return None
    recovery_file: Path | None = getattr(args, "recovery_key_file", None)
    try:
        if recovery_file is not None:
            key = recover(data_dir, _first_line(recovery_file, RECOVERY_LABEL))
            return Unlocked(key, "IT", "技术人员（恢复密钥）", Role.ADMIN)
        staff_no: str | None = getattr(args, "staff_no", None)
        if not staff_no:
            raise SignInFailed("本站数据已加密：请加 --staff-no 工号 和 --password-file 密码文件"
                               "（或 --recovery-key-file）")
        password_file: Path | None = getattr(args, "password_file", None)
        if password_file is not None:
            password = _first_line(password_file, "密码")
        elif sys.stdin.isatty():
            password = getpass.getpass(f"工号 {staff_no} 的密码：")
        else:
            raise SignInFailed("没有终端可输入密码：请加 --password-file 密码文件")
        return sign_in(data_dir, staff_no, password, now)
    except (VaultError, ValueError) as e:
        raise SignInFailed(str(e)) from None


def open_signed_in(args: argparse.Namespace, data_dir: Path, *, command: str,
                   admin: bool = False) -> StationContext:
    """Sign in if the folder is secured, open the station, and audit the sign-in."""
    now = datetime.now(UTC)
    who = unlock(args, data_dir, now=now)
    if who is not None and admin and not who.is_admin:
        raise SignInFailed(f"「{command}」只有管理员可以执行，{who.label} 不是管理员")
    if who is None:
        return open_station(data_dir)
    ctx = open_station(data_dir, key=who.key, operator=who.label)
    with session_scope(ctx.engine) as session:
        append_audit(session, who.label, "auth.signed_in", None,
                     {"channel": "cli", "command": command, "role": who.role.value})
    return ctx
