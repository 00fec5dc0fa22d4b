"""`station-app --data-dir DIR receipt REF --pdf FILE`: write a saved case's receipt as PDF.

The same layout and wording as the receipt printed at the desk (services.receipts), for a
reprint without opening the window, or from a support session over SSH (no display needed).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from station_app.commands.signin import add_sign_in_options

_APP: object = None


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "receipt",
        help="补打回执：把办件回执写成 PDF / write a case's receipt as PDF",
        description="按受理编号把办件回执写成 PDF / write the receipt of a saved case as PDF",
    )
    p.add_argument("ref", help="受理编号，如 HY261125-7K3M9Q2X / tracking reference")
    p.add_argument("--pdf", type=Path, required=True, help="PDF 文件路径 / output PDF file")
    add_sign_in_options(p)
    p.set_defaults(handler=run)


def _gui_application() -> None:
    """A QGuiApplication for fonts and PDF output; offscreen when there is no display."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.instance() is not None:
        return
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _APP
    _APP = QGuiApplication(["station-app"])  # kept alive until the process ends


def run(args: argparse.Namespace) -> int:
    from station_app.commands.signin import open_signed_in
    from station_app.paths import default_data_dir
    from station_app.printing.documents_pdf import write_receipt_pdf
    from station_app.printing.paper import Paper
    from station_app.services.context import DB_FILE
    from station_app.services.receipts import (
        CaseNotFound,
        find_case,
        receipt_for,
        record_printed,
    )

    data_dir: Path = args.data_dir or default_data_dir()
    if not (data_dir / DB_FILE).is_file():
        print(f"错误：{data_dir} 中没有办件数据库，请检查 --data-dir", file=sys.stderr)
        return 1
    try:
        ctx = open_signed_in(args, data_dir, command="receipt")
    except Exception as e:  # the store, settings and sign-in raise one-line Chinese messages
        print(f"错误：无法打开数据文件夹 {data_dir}：{e}", file=sys.stderr)
        return 1
    try:
        case = find_case(ctx, args.ref)
        _gui_application()
        path = write_receipt_pdf(receipt_for(ctx, case), args.pdf, Paper(ctx.settings.paper))
        record_printed(ctx, case.tracking_ref, kind="receipt", reprint=True, channel="cli")
    except CaseNotFound as e:
        print(f"错误：{e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"错误：无法写入 {args.pdf}：{e.strerror or e}", file=sys.stderr)
        return 1
    finally:
        ctx.close()
    print(f"回执已写入 {path}（受理编号 {case.tracking_ref}）")
    return 0
