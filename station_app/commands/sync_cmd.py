"""`station-app sync --once`: one push and pull now, for IT staff and scripts.

Takes the data folder's instance lock, so it never runs beside an open terminal (which has
its own scheduled sync): one sender per folder (DESIGN invariant 4).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from station_app.commands.common import data_dir_of, fail
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.services.context import open_station
from station_app.services.sync_service import NotConfigured, SyncService
from station_app.store.engine import StoreError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync",
        help="与区后台同步 / sync with the district backend",
        description="上传待同步的办件，拉取状态变更和事项目录，逐行报告结果 / "
                    "push queued cases, pull status changes and the catalogue, report",
    )
    p.add_argument("--once", action="store_true", required=True,
                   help="同步一次后退出 / run once and exit")
    p.add_argument("--timeout", type=float, default=120.0, metavar="SECONDS",
                   help="本次同步最长秒数（默认 120）/ time budget")
    p.add_argument("--no-catalogue", action="store_true",
                   help="不检查事项目录更新 / skip the catalogue check")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    if args.timeout <= 0:
        return fail("--timeout 须为正数", 2)
    try:
        with InstanceLock(data_dir):
            return _run_locked(args, data_dir)
    except AlreadyRunning as e:
        return fail(str(e), 1)


def _run_locked(args: argparse.Namespace, data_dir: Path) -> int:
    try:
        ctx = open_station(data_dir)
    except (StoreError, SettingsError, CatalogueInvalid, OSError) as e:
        return fail(str(e), 1)
    try:
        try:
            service = SyncService.for_station(ctx)
        except (NotConfigured, ValueError) as e:
            return fail(str(e), 1)
        try:
            report = service.run_once(time.monotonic() + args.timeout,
                                      catalogue=not args.no_catalogue)
            for line in report.lines():
                print(line)
            status = service.status()
            print(f"待同步：{status.queued} 件")
            print(f"需处理：{status.needs_attention} 件")
        finally:
            service.stop()
        print("同步完成" if report.ok else "同步未完成")
        return 0 if report.ok else 1
    finally:
        ctx.close()
