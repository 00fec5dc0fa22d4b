"""`station-app`: open the terminal, or run one of its maintenance sub-commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from station_app import __version__
from station_app.commands import catalogue_cmd


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="station-app",
        description=(
            "红色驿站服务终端。不带子命令时打开终端窗口。\n"
            "Red Station service terminal. Without a sub-command it opens the terminal window."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"station-app {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="数据文件夹（默认为本机公共数据目录）/ data folder")
    parser.add_argument("--demo", action="store_true",
                        help="演示模式：临时数据 + 本机演示后台 / demo data and local backend")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                title="子命令 / commands")
    catalogue_cmd.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        print("错误：图形界面尚未可用；请使用子命令，见 station-app --help", file=sys.stderr)
        return 2
    result: int = handler(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())
