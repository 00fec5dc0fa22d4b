"""Writing a file so that a crash or a full disk leaves the old file or the new one, never half.

Every file the programs write whole (settings, secrets, the catalogue pointer and a pulled
catalogue's files, scanned attachments on both sides, enrolment QR images) goes through
:func:`atomic_write`: the bytes go to a temporary file in the same folder, are flushed to disk,
get their permission bits, and the temporary file is renamed over the target. On failure the
temporary file is removed and the error propagates; the target is untouched.

A process killed between creating and renaming the temporary file cannot remove it; such
leftovers are named ``.<target name>.<8 random characters>.tmp`` and
:func:`remove_leftovers` deletes them when a program that owns the folder starts.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from pathlib import Path

_LEFTOVER = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")  # tempfile's 8 random characters


def atomic_write(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` atomically; the new file gets permission bits ``mode``.

    The default is owner-only: most of what the station writes holds residents' data or
    secrets. Pass ``0o644`` for files meant to be read by others (for example a catalogue).
    The folder is created if missing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _sync_folder(path.parent)


def atomic_write_text(path: Path, text: str, *, mode: int = 0o600) -> None:
    """:func:`atomic_write` of ``text`` as UTF-8."""
    atomic_write(path, text.encode("utf-8"), mode=mode)


def remove_leftovers(folder: Path) -> int:
    """Delete temporary files a killed :func:`atomic_write` left in ``folder``; return how many.

    Call it only while no other process writes to the folder (at start-up): a temporary file
    being written right now looks the same as a leftover.
    """
    removed = 0
    try:
        entries = list(folder.iterdir())
    except FileNotFoundError:
        return 0
    for entry in entries:
        if _LEFTOVER.match(entry.name) and entry.is_file():
            with contextlib.suppress(FileNotFoundError):
                entry.unlink()
                removed += 1
    return removed


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync.

    Some file systems (network shares, FAT on a USB stick) refuse to sync a directory. The
    new file is complete and in place by then; if the rename were lost to a power cut the old
    file would still be whole, so a refusal here is not an error.
    """
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
