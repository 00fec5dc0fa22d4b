"""Where the terminal finds its bundled files (:func:`resource_path`) and keeps its data.

The data folder is chosen deliberately, in this order:

1. `--data-dir DIR` on the command line, or the `REDSTATION_DATA_DIR` environment variable;
2. the machine-wide folder (`/var/lib/red-station` on Linux, `ProgramData/hanyang/red-station`
   on Windows) when IT has created it and this account may write there — for
   PCs where workers log in with different OS accounts but must share one station's cases;
3. otherwise the OS account's own data folder (`~/.local/share/red-station`). Station PCs
   normally run one shared desktop account for all workers, so this is shared by them, needs
   no administrator, and the worker's name is recorded per case as the operator, not taken
   from the OS account.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from station_app.domain.catalogue_loader import HEADER_FILE

APP_NAME = "red-station"
APP_AUTHOR = "hanyang"


def resource_path(*parts: str) -> Path:
    """A file or folder shipped with the program (the catalogue, icons, translations).

    Each kind of build puts them elsewhere: a PyInstaller bundle unpacks them under
    ``sys._MEIPASS``, the source tree has them beside ``station_app/``, and an installed
    package keeps them in ``<prefix>/share/red-station``. The first place where the path exists
    wins; when none has it, the installed place is returned so a message names where it
    belongs.
    """
    roots = _resource_roots()
    for root in roots:
        candidate = root.joinpath(*parts)
        if candidate.exists():
            return candidate
    return roots[-1].joinpath(*parts)


def _resource_roots() -> list[Path]:
    roots: list[Path] = []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen))
    roots.append(Path(__file__).resolve().parent.parent)
    roots.append(Path(sys.prefix) / "share" / APP_NAME)
    return roots


def bundled_catalogue_dir() -> Path:
    """The catalogue shipped with this build (the folder holding its ``catalogue.yaml``)."""
    return resource_path("catalogue", HEADER_FILE).parent


DATA_DIR_ENV = "REDSTATION_DATA_DIR"


def machine_data_dir() -> Path:
    """The machine-wide data folder IT may create for multi-account PCs."""
    if sys.platform.startswith("linux"):
        return Path("/var/lib") / APP_NAME
    return Path(platformdirs.site_data_dir(APP_NAME, APP_AUTHOR))


def default_data_dir() -> Path:
    """The data folder when `--data-dir` is not given (see the module docstring)."""
    env = os.environ.get(DATA_DIR_ENV, "").strip()
    if env:
        return Path(env)
    machine = machine_data_dir()
    if machine.is_dir() and os.access(machine, os.W_OK | os.X_OK):
        return machine
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def site_config_dir() -> Path:
    """Machine-wide configuration folder, where roll-out drops station.toml."""
    return Path(platformdirs.site_config_dir(APP_NAME, APP_AUTHOR))
