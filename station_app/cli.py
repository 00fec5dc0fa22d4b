"""`station-app`: open the terminal, or run one of its maintenance sub-commands."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from station_app import __version__
from station_app.commands import (
    audit_cmd,
    backup_cmd,
    cases_cmd,
    catalogue_cmd,
    demo_cmd,
    doctor_cmd,
    receipt_cmd,
    screenshots_cmd,
    setup_cmd,
    sync_cmd,
)


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
    setup_cmd.add_parser(sub)
    sync_cmd.add_parser(sub)
    doctor_cmd.add_parser(sub)
    cases_cmd.add_parser(sub)
    demo_cmd.add_parser(sub)
    screenshots_cmd.add_parser(sub)
    receipt_cmd.add_parser(sub)
    audit_cmd.add_parser(sub)
    backup_cmd.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = getattr(args, "handler", None)
    if handler is None:
        return open_terminal(args)
    result: int = handler(args)
    return result


def open_terminal(args: argparse.Namespace) -> int:
    """No sub-command: the terminal window (in demo mode, on throwaway data)."""
    if args.demo:
        from station_app.commands.demo_mode import run_demo

        return run_demo()
    from station_app.app import run_gui
    from station_app.paths import default_data_dir

    return run_gui(args.data_dir or default_data_dir())


if __name__ == "__main__":
    raise SystemExit(main())
