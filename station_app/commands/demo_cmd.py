"""`station-app --data-dir DIR demo-data --cases N [--seed S]`: fill a folder with demo cases.

For trying the terminal, screenshots and the benchmarks; never point it at a station's real
data folder (the cases are made up, and they would be pushed to the district like real ones).
"""

from __future__ import annotations

import argparse
import time

from station_app.commands.common import data_dir_of, fail
from station_app.services.context import open_station
from station_app.store.engine import StoreError


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo-data", help="生成演示办件 / fill a data folder with demo cases",
        description="在数据文件夹中生成演示办件（仅用于演示和测试）/ "
                    "add made-up cases to a data folder (demos and tests only)")
    p.add_argument("--cases", type=int, required=True, metavar="N",
                   help="办件数量 / number of cases")
    p.add_argument("--seed", type=int, default=0, metavar="S",
                   help="随机种子，相同种子生成相同办件 / seed: same seed, same cases")
    p.set_defaults(handler=run_demo_data)


def run_demo_data(args: argparse.Namespace) -> int:
    if args.cases < 0:
        return fail("--cases 不能为负数")
    from station_app.services.demo import fill_demo_cases

    data_dir = data_dir_of(args)
    started = time.perf_counter()
    try:
        ctx = open_station(data_dir)
    except Exception as e:  # settings, catalogue or database: each says what is wrong
        return fail(f"无法打开数据文件夹 {data_dir}：{e}")
    try:
        n = fill_demo_cases(ctx, args.cases, args.seed)
    except StoreError as e:
        return fail(f"演示办件未能写入：{e}")
    finally:
        ctx.close()
    seconds = time.perf_counter() - started
    print(f"已生成 {n} 件演示办件（种子 {args.seed}），用时 {seconds:.1f} 秒：{data_dir}")
    return 0
