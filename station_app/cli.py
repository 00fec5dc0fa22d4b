"""`station-app`: open the terminal, or run one of its maintenance sub-commands.

Windows (the terminal, demo mode, screenshots) are built by the composition root
`station_app.app`, imported only when a window is wanted: the maintenance sub-commands start
without Qt, and the commands themselves never import the GUI.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Sequence
from pathlib import Path

from station_app import __version__
from station_app.commands.common import fail
from station_app.paths import default_data_dir
from station_app.services.permissions import umask_for
from station_app.vault.keyfile import VaultError


def _terminal_parser(*, add_help: bool = True) -> argparse.ArgumentParser:
    """The options of the terminal window itself (every sub-command's parser has them too)."""
    parser = argparse.ArgumentParser(
        prog="station-app", add_help=add_help,
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
    return parser


def build_parser() -> argparse.ArgumentParser:
    """Every sub-command's options: importing their modules costs a good part of a second
    (the sync client, the scheduler, the audit queries), so only a sub-command or ``--help``
    builds this; opening the window does not (see :func:`_terminal_only`)."""
    from station_app.commands import (
        audit_cmd,
        backup_cmd,
        card_cmd,
        cases_cmd,
        catalogue_cmd,
        demo_cmd,
        doctor_cmd,
        operator_cmd,
        receipt_cmd,
        screenshots_cmd,
        setup_cmd,
        sync_cmd,
    )

    parser = _terminal_parser()
    sub = parser.add_subparsers(dest="command", metavar="COMMAND",
                                title="子命令 / commands")
    catalogue_cmd.add_parser(sub)
    setup_cmd.add_parser(sub)
    sync_cmd.add_parser(sub)
    doctor_cmd.add_parser(sub)
    cases_cmd.add_parser(sub)
    demo_cmd.add_parser(sub)
    screenshots_cmd.add_parser(sub, shoot=take_screenshots)
    receipt_cmd.add_parser(sub)
    audit_cmd.add_parser(sub)
    operator_cmd.add_parser(sub)
    backup_cmd.add_parser(sub)
    card_cmd.add_parser(sub)
    return parser


def _terminal_only(argv: Sequence[str] | None) -> argparse.Namespace | None:
    """The options when the command line asks for the window and nothing else (no
    sub-command, no help), else None."""
    ns, rest = _terminal_parser(add_help=False).parse_known_args(argv)
    return None if rest else ns


def main(argv: Sequence[str] | None = None) -> int:
    args = _terminal_only(argv) or build_parser().parse_args(argv)
    previous = os.umask(umask_for(args.data_dir or default_data_dir()))  # owner-only files
    try:
        handler = getattr(args, "handler", None)
        if handler is None:
            return open_terminal(args)
        try:
            result: int = handler(args)
        except VaultError as e:  # a sign-in or key problem any command may meet: one line
            return fail(str(e), 1)
        return result
    finally:
        os.umask(previous)  # called in-process (tests, scripts): leave the caller's as it was


def open_terminal(args: argparse.Namespace) -> int:
    """No sub-command: the terminal window (in demo mode, on throwaway data). The data layer
    is loaded while the window already shows (``station_app.ui.station_opener``)."""
    if args.demo:
        from station_app.app import run_demo

        return run_demo()
    from station_app.app import run_gui
    from station_app.paths import default_data_dir

    return run_gui(args.data_dir or default_data_dir())


def take_screenshots(outdir: Path, data_dir: Path | None, cases: int) -> list[Path]:
    """`screenshots`: every screen as a PNG (see `station_app.app.take_screenshots`)."""
    from station_app.app import take_screenshots as shoot

    return shoot(outdir, data_dir=data_dir, cases=cases)


if __name__ == "__main__":
    raise SystemExit(main())
