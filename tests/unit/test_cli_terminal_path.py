"""Opening the window needs none of the sub-commands: the command line is read without
importing them (they bring the sync client, the scheduler and the audit queries), and
everything else still reaches the full parser."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from station_app.cli import _terminal_only, build_parser


@pytest.mark.parametrize("argv", [[], ["--demo"], ["--data-dir", "/tmp/x"],
                                  ["--data-dir=/tmp/x", "--demo"]])
def test_window_options_are_read_without_the_sub_commands(argv: list[str]) -> None:
    ns = _terminal_only(argv)
    full = build_parser().parse_args(argv)
    assert ns is not None
    assert (ns.demo, ns.data_dir) == (full.demo, full.data_dir)
    assert ns.data_dir in (None, Path("/tmp/x"))


@pytest.mark.parametrize("argv", [["-h"], ["--help"], ["doctor"], ["--demo", "sync", "--once"],
                                  ["--no-such-option"]])
def test_anything_else_goes_to_the_full_parser(argv: list[str]) -> None:
    assert _terminal_only(argv) is None


def test_reading_the_window_options_imports_no_sub_command() -> None:
    code = ("import sys; from station_app.cli import _terminal_only; "
            "assert _terminal_only(['--demo']) is not None; "
            "print(sorted(m for m in sys.modules if m.startswith('station_app.commands.') "
            "and m != 'station_app.commands.common'), 'requests' in sys.modules, "
            "'apscheduler' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=120, check=True).stdout.split()
    assert out == ["[]", "False", "False"]


def test_help_still_lists_every_sub_command(capsys: pytest.CaptureFixture[str]) -> None:
    from station_app.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert all(name in out for name in ("doctor", "sync", "backup", "receipt", "operator"))
