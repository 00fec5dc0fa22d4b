"""`station-app screenshots OUTDIR`: a PNG of every screen in both looks, on any machine.

Runs on Qt's offscreen platform at a fixed window size, with demo data in a temporary folder
(or an existing data folder with --data-dir), and prints the files it wrote. The windows are
built by the composition root, which `cli` hands in as ``shoot``: commands know no widgets.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

# (output folder, data folder or None for temporary demo data, demo cases) -> files written
Shoot = Callable[[Path, Path | None, int], list[Path]]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser], shoot: Shoot) -> None:
    p = sub.add_parser(
        "screenshots",
        help="每个界面截图（标准版与长辈版）/ a PNG of every screen in both themes",
        description="在离屏平台上为每个界面截图 / screenshots of every screen, offscreen",
    )
    p.add_argument("outdir", type=Path, help="保存截图的文件夹 / output folder")
    p.add_argument("--data-dir", type=Path, default=argparse.SUPPRESS,
                   help="使用已有数据文件夹，而非临时演示数据 / use this data folder instead")
    p.add_argument("--cases", type=int, default=300,
                   help="临时演示数据的办件数 / demo cases in the temporary folder")
    p.set_defaults(handler=lambda args: run_screenshots(args, shoot))


def run_screenshots(args: argparse.Namespace, shoot: Shoot) -> int:
    for f in shoot(args.outdir, args.data_dir, args.cases):
        print(f)
    return 0
