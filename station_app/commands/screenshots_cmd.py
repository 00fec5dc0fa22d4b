"""`station-app screenshots OUTDIR`: a PNG of every screen in both looks, on any machine.

Runs on Qt's offscreen platform at a fixed window size, with demo data in a temporary folder
(or an existing data folder with --data-dir), and prints the files it wrote.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
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
    p.set_defaults(handler=run_screenshots)


def run_screenshots(args: argparse.Namespace) -> int:
    from PySide6.QtWidgets import QApplication

    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if QApplication.instance() is None:
        app = QApplication(sys.argv[:1])  # noqa: F841 (kept alive until the end)
    if args.data_dir is not None:
        return _shoot(args.data_dir, args.outdir, demo=False)
    from station_app.commands.demo_mode import prepare_station

    with tempfile.TemporaryDirectory(prefix="red-station-shots-") as tmp:
        data_dir = Path(tmp) / "station"
        prepare_station(data_dir, cases=args.cases)
        return _shoot(data_dir, args.outdir, demo=True)


def _shoot(data_dir: Path, outdir: Path, *, demo: bool) -> int:
    from station_app.domain.search import SearchIndex
    from station_app.services.context import open_station
    from station_app.ui.main_window import MainWindow
    from station_app.ui.screenshots import take_screenshots

    ctx = open_station(data_dir)
    try:
        window = MainWindow(ctx, SearchIndex(ctx.catalogue), demo=demo)
        try:
            files = take_screenshots(window, outdir, sample=demo)
        finally:
            window.close()
            window.deleteLater()
    finally:
        ctx.close()
    for f in files:
        print(f)
    return 0
