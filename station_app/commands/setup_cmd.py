"""`station-app setup`: configure a station without the GUI (mass roll-out, IT staff).

Every value is checked before anything is written; a bad value gets one Chinese line naming
the option and exit status 2. The secret goes to its own owner-only file, never to the
settings file and never to the screen.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError

from station_app.commands.common import data_dir_of, fail
from station_app.config import (
    SettingsError,
    StationSettings,
    load_settings,
    save_secret,
    save_settings,
)
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.rollout import SECRET_PATTERN, RolloutError, apply_rollout
from station_app.wire.protocol import STATION_ID_PATTERN

_SECRET = re.compile(SECRET_PATTERN)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "setup",
        help="配置站点编号、后台地址和密钥 / configure the station without the GUI",
        description="写入站点设置和站点密钥（与首次启动界面所填相同）/ "
                    "write the station settings and secret (same as the first-run screen)",
    )
    p.add_argument("--from", dest="from_file", type=Path, metavar="FILE",
                   help="按 station.toml 批量部署文件配置 / configure from a roll-out file")
    p.add_argument("--station-id", help="站点编号，如 QDK01 / station id")
    p.add_argument("--backend", help="区后台地址 / backend URL")
    p.add_argument("--secret", help="登记时发放的站点密钥 / station secret")
    p.add_argument("--name", help="站点名称 / station name")
    p.add_argument("--interval", type=int, metavar="SECONDS",
                   help="同步间隔秒数（15–3600，默认 60）/ sync interval")
    p.add_argument("--ca-bundle", type=Path, metavar="FILE",
                   help="自建 CA 的证书文件（PEM）/ custom CA bundle")
    p.set_defaults(handler=run)


def _check(args: argparse.Namespace) -> str | None:
    """The first problem, naming the option, or None."""
    if not re.match(STATION_ID_PATTERN, args.station_id):
        return "--station-id：站点编号须为 2–16 位大写字母或数字，如 QDK01"
    url = urlsplit(args.backend.strip())
    if url.scheme not in ("http", "https") or not url.hostname:
        return "--backend：后台地址须以 http:// 或 https:// 开头并含主机名"
    if url.query or url.fragment or url.username or url.password:
        return "--backend：后台地址不能带查询参数、片段或用户名密码"
    if not _SECRET.match(args.secret.strip()):
        return "--secret：站点密钥格式不对，应为登记时发放的一串字母、数字、- 或 _"
    if args.name is not None and not 0 < len(args.name.strip()) <= 60:
        return "--name：站点名称须为 1–60 个字"
    if args.interval is not None and not 15 <= args.interval <= 3600:
        return "--interval：同步间隔须在 15–3600 秒之间"
    if args.ca_bundle is not None:
        try:
            text = args.ca_bundle.read_text(encoding="ascii", errors="replace")
        except OSError:
            return f"--ca-bundle：无法读取证书文件 {args.ca_bundle}"
        if "-----BEGIN CERTIFICATE-----" not in text:
            return f"--ca-bundle：{args.ca_bundle} 不是 PEM 格式的证书文件"
    return None


def _run_from_file(args: argparse.Namespace) -> int:
    """The same roll-out file start-up picks up, applied now (the secret is moved out)."""
    data_dir = data_dir_of(args)
    try:
        with InstanceLock(data_dir):
            result = apply_rollout(data_dir, args.from_file)
    except AlreadyRunning as e:
        return fail(str(e), 1)
    except RolloutError as e:
        return fail(str(e), 2)
    except (SettingsError, ValidationError, OSError) as e:
        return fail(str(e), 1)
    print(result.summary())
    return 0


def run(args: argparse.Namespace) -> int:
    if args.from_file is not None:
        if args.station_id or args.backend or args.secret:
            return fail("--from 不能与 --station-id、--backend、--secret 同时使用", 2)
        return _run_from_file(args)
    missing = [o for o, v in (("--station-id", args.station_id), ("--backend", args.backend),
                              ("--secret", args.secret)) if not v]
    if missing:
        return fail(f"{'、'.join(missing)}：缺少必填项（或用 --from FILE 按部署文件配置）", 2)
    problem = _check(args)
    if problem:
        return fail(problem, 2)
    data_dir = data_dir_of(args)
    try:
        with InstanceLock(data_dir):
            current = load_settings(data_dir)
            update: dict[str, object] = {"station_id": args.station_id,
                                         "backend_url": args.backend.strip()}
            if args.name is not None:
                update["station_name"] = args.name.strip()
            if args.interval is not None:
                update["sync_interval_seconds"] = args.interval
            if args.ca_bundle is not None:
                update["ca_bundle"] = args.ca_bundle.resolve()
            settings = StationSettings.model_validate({**current.model_dump(), **update})
            save_settings(data_dir, settings)
            save_secret(data_dir, args.secret.strip())
    except AlreadyRunning as e:
        return fail(str(e), 1)
    except (SettingsError, ValidationError, OSError) as e:
        return fail(str(e), 1)
    print(f"已配置站点 {settings.station_id}"
          f"{'（' + settings.station_name + '）' if settings.station_name else ''}，"
          f"后台 {settings.backend_url}，每 {settings.sync_interval_seconds} 秒同步一次")
    print("密钥已保存（仅本机账户可读）；可运行 station-app doctor 检查连接与签名")
    return 0
