"""The `station-app` entry point as an IT worker meets it first: --version and --help."""

from __future__ import annotations

import subprocess
import sys

from station_app import __version__


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "station_app.cli", *args],
                          capture_output=True, text=True, timeout=60, check=False)


def test_version_prints_the_package_version() -> None:
    res = _run("--version")
    assert res.returncode == 0
    assert res.stdout.strip() == f"station-app {__version__}"
    assert __version__ != "0.0.0+unknown"


def test_help_lists_subcommands_in_chinese_and_english() -> None:
    res = _run("--help")
    assert res.returncode == 0
    assert "catalogue" in res.stdout
    assert "事项目录" in res.stdout and "service catalogue" in res.stdout


def test_unknown_subcommand_fails_nonzero() -> None:
    res = _run("frobnicate")
    assert res.returncode == 2
    assert "invalid choice" in res.stderr or "无效" in res.stderr
