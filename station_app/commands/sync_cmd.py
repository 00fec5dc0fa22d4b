"""`station-app sync --once`: one push and pull now, for IT staff and scripts.

Takes the data folder's instance lock, so it never runs beside an open terminal (which has
its own scheduled sync): one sender per folder (DESIGN invariant 4).

Whatever fails ends in one line, never a traceback: a read-only or forbidden data folder, a
full disk or a database held by a stray process (in the store's words, ``store.errors``), and
a clock so far off that the district would refuse every signature (asked of the district's
``/health`` before anything is sent).
"""

from __future__ import annotations

import argparse
import logging
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from station_app.commands.common import data_dir_of, fail
from station_app.commands.signin import SignInFailed, add_sign_in_options, open_signed_in
from station_app.config import SettingsError
from station_app.domain.catalogue_loader import CatalogueInvalid
from station_app.instance_lock import AlreadyRunning, InstanceLock
from station_app.services.clock_check import SkewLevel, measure_skew
from station_app.services.context import DB_FILE, StationContext
from station_app.services.sync_service import NotConfigured, SyncService
from station_app.store.engine import StoreError
from station_app.store.errors import explain
from station_app.sync.errors import SyncError
from station_app.vault.keyfile import VaultError

# what opening or reading the station can raise besides its own one-line errors
_LOCAL_FAILURES = (OSError, SQLAlchemyError, sqlite3.Error)


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
    add_sign_in_options(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    data_dir = data_dir_of(args)
    if args.timeout <= 0:
        return fail("--timeout 须为正数", 2)
    try:
        with _log_without_tracebacks(), InstanceLock(data_dir):
            return _run_locked(args, data_dir)
    except AlreadyRunning as e:
        return fail(str(e), 1)
    except OSError as e:  # the lock file cannot be made: a read-only or forbidden folder
        return fail(explain(e, data_dir), 1)


def _run_locked(args: argparse.Namespace, data_dir: Path) -> int:
    deadline = time.monotonic() + args.timeout
    try:
        ctx = open_signed_in(args, data_dir, command="sync --once")
    except (StoreError, SettingsError, CatalogueInvalid, VaultError, SignInFailed) as e:
        return fail(str(e), 1)
    except _LOCAL_FAILURES as e:
        return fail(explain(e, data_dir, file=data_dir / DB_FILE), 1)
    try:
        try:
            service = SyncService.for_station(ctx)
        except (NotConfigured, ValueError) as e:
            return fail(str(e), 1)
        try:
            return _sync(args, ctx, service, deadline)
        except StoreError as e:
            return fail(str(e), 1)
        except _LOCAL_FAILURES as e:
            return fail(explain(e, data_dir, file=ctx.db_path), 1)
        finally:
            service.stop()
    finally:
        ctx.close()


def _sync(args: argparse.Namespace, ctx: StationContext, service: SyncService,
          deadline: float) -> int:
    refused = _clock_refused(ctx, service, deadline)
    if refused is not None:
        return fail(refused, 1)
    report = service.run_once(deadline, catalogue=not args.no_catalogue)
    for line in report.lines():
        print(line)
    status = service.status()
    print(f"待同步：{status.queued} 件")
    print(f"需处理：{status.needs_attention} 件")
    print("同步完成" if report.ok else "同步未完成")
    return 0 if report.ok else 1


def _clock_refused(ctx: StationContext, service: SyncService, deadline: float) -> str | None:
    """The one line to stop with when the district would refuse this clock's signatures;
    prints a warning when it is merely drifting. An unreachable district is left to the
    sync itself to report."""
    try:
        skew = measure_skew(service.engine.client, deadline,
                            wall=lambda: ctx.clock().timestamp())
    except SyncError:
        return None
    if skew.level is SkewLevel.REFUSED:
        return f"{skew.describe()}（未发送任何办件）"
    if skew.level is SkewLevel.WARN:
        print(f"注意：{skew.describe()}")
    return None


class _OneLineToStderr(logging.Handler):
    """Log records as single lines on the current stderr: an exception's type and message,
    not its traceback (without a handler, Python prints the traceback of every error the
    sync engine logs, which is not for IT staff at a terminal)."""

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            text += f"（{type(exc).__name__}: {exc}）"
        print(f"{record.levelname} {record.name}: {' '.join(text.split())}", file=sys.stderr)


@contextmanager
def _log_without_tracebacks() -> Iterator[None]:
    """Warnings and errors of the sync on stderr as single lines, while the command runs."""
    logger = logging.getLogger("station_app")
    handler = _OneLineToStderr(logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
