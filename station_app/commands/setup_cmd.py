"""`station-app setup`: configure a station without the GUI (mass roll-out, IT staff).

The options are made from the settings schema (:mod:`station_app.settings_schema`), one per
key (``sync_interval_seconds`` is ``--sync-interval-seconds``), so every setting can be set
and a new setting needs no change here. Every value is checked before anything is written,
through the same schema and the same Chinese wording as the first-run screen and
``station.toml``; every bad option is reported at once, one line each, with exit status 2.
The secret goes to its own owner-only file, never to the settings file and never to the screen.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

from pydantic import ValidationError
from pydantic.fields import FieldInfo

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import SignInFailed, add_sign_in_options, unlock
from station_app.config import SettingsError, load_settings, save_secret, save_settings
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.rollout import RolloutError, apply_rollout
from station_app.settings_errors import settings_problems
from station_app.settings_schema import (
    SettingsEntry,
    StationSetup,
    bounds,
    required_keys,
    settable_keys,
)

# Spellings of earlier releases, still accepted so that existing scripts keep working.
EARLIER_SPELLINGS: dict[str, tuple[str, ...]] = {
    "backend_url": ("--backend",),
    "station_name": ("--name",),
    "sync_interval_seconds": ("--interval",),
}

Given = dict[str, tuple[str, Any]]  # key -> (option as typed, value)


def option(key: str) -> str:
    """The command-line option of a settings key."""
    return "--" + key.replace("_", "-")


class _KeepSpelling(argparse.Action):
    """Collect given settings with the option as typed, so a message names what was typed."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        given: Given = dict(namespace.settings_given or {})
        given[self.dest] = (option_string or option(self.dest), values)
        namespace.settings_given = given


def _metavar(key: str, field: FieldInfo) -> str:
    return "FILE" if Path in get_args(field.annotation) else key.rsplit("_", 1)[-1].upper()


def _help(key: str, field: FieldInfo) -> str:
    notes: list[str] = []
    if get_origin(field.annotation) is Literal:
        notes.append("可选 " + "、".join(str(a) for a in get_args(field.annotation)))
    low, high = bounds(field)
    if low is not None and high is not None:
        notes.append(f"{low}–{high}")
    if key in required_keys():
        notes.append("必填")
    elif field.default is not None:
        notes.append(f"默认 {field.default}")
    text = field.description or field.title or key
    return f"{text}（{'，'.join(notes)}）" if notes else text


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "setup",
        help="配置站点编号、后台地址和密钥 / configure the station without the GUI",
        description="写入站点设置和站点密钥（与首次启动界面所填相同）/ "
                    "write the station settings and secret (same as the first-run screen)",
    )
    p.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                   help="按 station.toml 批量部署文件配置 / configure from a roll-out file")
    settings = p.add_argument_group("设置项 / settings")
    for key in settable_keys():
        field = SettingsEntry.model_fields[key]
        settings.add_argument(option(key), *EARLIER_SPELLINGS.get(key, ()), dest=key,
                              action=_KeepSpelling, metavar=_metavar(key, field),
                              help=_help(key, field))
    add_sign_in_options(p)
    p.set_defaults(handler=run, settings_given=None)


def _run_from_file(args: argparse.Namespace) -> int:
    """The same roll-out file start-up picks up, applied now (the secret is moved out)."""
    data_dir = data_dir_of(args)
    try:
        with InstanceLock(data_dir):
            result = apply_rollout(data_dir, args.from_file)
    except AlreadyRunning as e:
        return fail(str(e), 1)
    except RolloutError as e:
        for line in e.lines:
            fail(line)
        return 2
    except (SettingsError, OSError) as e:
        return fail(str(e), 1)
    print(result.summary())
    return 0


def _refuse(error: ValidationError, given: Given) -> int:
    """One line per bad or missing option; exit status 2."""
    missing = False
    for problem in settings_problems(error):
        spelled = given[problem.key][0] if problem.key in given else option(problem.key)
        missing = missing or problem.key not in given
        fail(problem.line(spelled))
    if missing:
        fail("必填项可在命令行给出，或用 --from FILE 按部署文件配置")
    return 2


def _admin_if_secured(args: argparse.Namespace) -> str | None:
    """Settings are the administrators' once the folder has accounts: why not, or None."""
    try:
        who = unlock(args, data_dir_of(args), now=datetime.now(UTC))
    except SignInFailed as e:
        return str(e)
    if who is not None and not who.is_admin:
        return f"设置只有管理员可以修改，{who.label} 不是管理员"
    return None


def run(args: argparse.Namespace) -> int:
    refused = _admin_if_secured(args)
    if refused is not None:
        return fail(refused, 1)
    given: Given = args.settings_given or {}
    if args.from_file is not None:
        if given:
            used = "、".join(spelled for spelled, _ in given.values())
            return fail(f"--from 不能与其他设置选项（{used}）同时使用", 2)
        return _run_from_file(args)
    try:
        entry = StationSetup.model_validate({key: value for key, (_, value) in given.items()})
    except ValidationError as e:
        return _refuse(e, given)
    data_dir = data_dir_of(args)
    try:
        with InstanceLock(data_dir):
            settings = entry.apply_to(load_settings(data_dir))
            save_settings(data_dir, settings)
            save_secret(data_dir, entry.secret)
    except AlreadyRunning as e:
        return fail(str(e), 1)
    except (SettingsError, OSError) as e:
        return fail(str(e), 1)
    print(f"已配置站点 {settings.station_id}"
          f"{'（' + settings.station_name + '）' if settings.station_name else ''}，"
          f"后台 {settings.backend_url}，每 {settings.sync_interval_seconds} 秒同步一次")
    print("密钥已保存（仅本机账户可读）；可运行 station-app doctor 检查连接与签名")
    return 0
