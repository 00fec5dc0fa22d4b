"""Where the terminal finds its bundled files and keeps its data.

Data lives per machine by default, not per user: several workers often share one station PC
and one OS account, and the cases belong to the station. `--data-dir` overrides it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "red-station"
APP_AUTHOR = "hanyang"


def bundled_catalogue_dir() -> Path:
    """The catalogue shipped with this build (frozen bundle, installed data, or source tree)."""
    candidates: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "catalogue")
    candidates.append(Path(__file__).resolve().parent.parent / "catalogue")
    candidates.append(Path(sys.prefix) / "share" / APP_NAME / "catalogue")
    for c in candidates:
        if (c / "catalogue.yaml").is_file():
            return c
    return candidates[-1]


def default_data_dir() -> Path:
    """Machine-wide data folder (e.g. /var/lib/red-station on Linux via site_data_dir)."""
    return Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR))


def site_config_dir() -> Path:
    """Machine-wide configuration folder, where roll-out drops station.toml."""
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR))
