"""`station-app --data-dir DIR demo-data [--cases N] [--queued N] [--seed S] [--no-encrypt]`.

``--cases``: a station's last four months (for trying the terminal, screenshots and the
benchmarks). ``--queued``: cases saved since yesterday and still waiting to be sent, with
their scans, for IT to rehearse a roll-out or load-test a test backend with ``sync --once``.
Never point it at a station's real data folder: the cases are made up, and they would be
pushed to the district like real ones. A new folder is secured the way a real station is
(made-up residents are still residents' data in shape: DESIGN.md invariant 6), with the demo
operator as its administrator; an encrypted demo folder is then filled again without a prompt
(the demo signs its own operator in). ``--no-encrypt`` leaves a new folder in clear, for
tools that read the database file directly (package tests, benchmarks).
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime
from pathlib import Path

from station_app.commands.common import data_dir_of, fail
from station_app.commands.demo_mode import DEMO_OPERATOR, DEMO_PASSWORD, DEMO_STAFF_NO
from station_app.commands.signin import add_sign_in_options, open_signed_in
from station_app.services.attachments import AttachmentError
from station_app.services.context import DB_FILE, StationContext, open_station
from station_app.services.security import is_secured, secure_station, sign_in
from station_app.store.engine import StoreError
from station_app.store.errors import explain
from station_app.vault.keyfile import CHEAP_PROFILE, VaultError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo-data", help="生成演示办件 / fill a data folder with demo cases",
        description="在数据文件夹中生成演示办件（仅用于演示和测试）/ "
                    "add made-up cases to a data folder (demos and tests only)")
    p.add_argument("--cases", type=int, default=None, metavar="N",
                   help="近四个月的办件数量 / number of cases with their history")
    p.add_argument("--queued", type=int, default=None, metavar="N",
                   help="待同步办件数量（附扫描件，可用 sync --once 发往测试后台）/ "
                        "number of cases waiting to be sent")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="随机种子，相同种子生成相同办件 / seed: same seed, same cases")
    p.add_argument("--encrypt", action=argparse.BooleanOptionalAction, default=True,
                   help="新文件夹生成后加密（默认），演示账号自动登录；--no-encrypt 不加密（仅供"
                        "直接读数据库文件的测试）/ encrypt a new folder like a real station "
                        "(default); --no-encrypt only for tools reading the file directly")
    add_sign_in_options(p)
    p.set_defaults(handler=run_demo_data)


def _open(args: argparse.Namespace, data_dir: Path) -> StationContext:
    """A new folder opens as is (it is encrypted after filling); an encrypted one through the
    sign-in given, else the demo operator's (a demo folder opens without a prompt)."""
    if not is_secured(data_dir) or getattr(args, "staff_no", None) \
            or getattr(args, "recovery_key_file", None):
        return open_signed_in(args, data_dir, command="demo-data")
    who = sign_in(data_dir, DEMO_STAFF_NO, DEMO_PASSWORD, datetime.now(UTC))
    return open_station(data_dir, key=who.key, operator=who.label)


def run_demo_data(args: argparse.Namespace) -> int:
    if args.cases is None and args.queued is None:
        return fail("请用 --cases N 或 --queued N 指定要生成的办件数量", 2)
    cases, queued = args.cases or 0, args.queued or 0
    if cases < 0 or queued < 0:
        return fail("--cases 和 --queued 不能为负数", 2)
    from station_app.services.demo import fill_demo_cases, queue_demo_cases

    data_dir = data_dir_of(args)
    started = time.perf_counter()
    fresh = not is_secured(data_dir)
    try:
        ctx = _open(args, data_dir)
    except Exception as e:  # settings, catalogue, sign-in or database: each says what
        reason = explain(e, data_dir, file=data_dir / DB_FILE)
        return fail(f"无法打开数据文件夹 {data_dir}：{reason}")
    try:
        if cases or not queued:
            fill_demo_cases(ctx, cases, args.seed)
        if queued:
            queue_demo_cases(ctx, queued, args.seed)
    except (StoreError, AttachmentError) as e:
        return fail(f"演示办件未能写入：{e}")
    finally:
        ctx.close()
    if fresh and args.encrypt:  # encrypted like a real station, signed in by the demo
        try:
            secure_station(data_dir, staff_no=DEMO_STAFF_NO, name=DEMO_OPERATOR,
                           password=DEMO_PASSWORD, profile=CHEAP_PROFILE)
        except VaultError as e:
            return fail(f"演示数据已写入，但未能加密：{e}")
        print(f"数据已加密；演示账号 {DEMO_STAFF_NO}，密码 {DEMO_PASSWORD}")
    seconds = time.perf_counter() - started
    queued_part = f"其中待同步 {queued} 件，" if queued else ""
    print(f"已生成 {cases + queued} 件演示办件（{queued_part}种子 {args.seed}），"
          f"用时 {seconds:.1f} 秒：{data_dir}")
    return 0
