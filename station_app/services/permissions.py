"""Owner-only data folders: residents' data is readable by the account that runs the terminal
and by nobody else on the PC (DESIGN.md invariant 6).

New files get that from the process umask (set once by the command-line entry point); a
folder an older release left readable by others (0755 folder, 0644 files) is tightened at
start. The machine-wide folder IT created for a group of OS accounts keeps its group access:
there the folder's group is the boundary, and only "others" lose their bits.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from station_app.paths import machine_data_dir

PRIVATE_UMASK = 0o077
GROUP_UMASK = 0o007


def umask_for(data_dir: Path) -> int:
    """The umask to run with: group-shared in the machine-wide folder, private elsewhere."""
    try:
        shared = data_dir.resolve() == machine_data_dir().resolve()
    except OSError:
        shared = False
    return GROUP_UMASK if shared else PRIVATE_UMASK


def tighten(data_dir: Path) -> int:
    """Remove the permission bits the umask would not have given, on the folder and every
    file and folder under it; returns how many entries changed. Never loosens anything."""
    if os.name != "posix" or not data_dir.is_dir():
        return 0
    strip = umask_for(data_dir)
    changed = 0
    for path in (data_dir, *data_dir.rglob("*")):
        try:
            st = path.lstat()
        except OSError:
            continue
        if stat.S_ISLNK(st.st_mode):
            continue
        mode = stat.S_IMODE(st.st_mode)
        if mode & strip:
            try:
                os.chmod(path, mode & ~strip)
                changed += 1
            except OSError:
                continue
    return changed
