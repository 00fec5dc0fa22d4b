"""Helpers shared by the maintenance sub-commands: the data folder and one-line failures."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station_app.paths import default_data_dir


def data_dir_of(args: argparse.Namespace) -> Path:
    """``--data-dir`` if given, else the machine-wide default folder."""
    given: Path | None = getattr(args, "data_dir", None)
    return given if given is not None else default_data_dir()


def fail(message: str, code: int = 1) -> int:
    """Print one line on stderr (IT staff and scripts read it) and return the exit code."""
    print(f"错误：{' '.join(str(message).split())}", file=sys.stderr)
    return code
