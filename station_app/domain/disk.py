"""What kind of disk failure an error is: full, read-only, not permitted, or failing.

Both programs need the answer: the station to tell the worker what to do about a full disk or
a read-only data folder, the district backend to answer "insufficient storage" instead of a
500. The rule lives here once, over the two shapes a failure arrives in: an ``OSError`` from a
file write (its ``errno``) and an SQLite/SQLCipher error (its result code, or for drivers that
do not expose the code, its fixed English message).
"""

from __future__ import annotations

import errno
import os
import shutil
from enum import Enum
from pathlib import Path


class DiskProblem(Enum):
    FULL = "full"  # no space left, quota or file-size limit reached
    READ_ONLY = "read-only"  # the file system is mounted read-only
    NOT_PERMITTED = "not permitted"  # this account may not write there
    LOCKED = "locked"  # another process holds the database's write lock
    FAILING = "failing"  # cannot open, I/O error: a failing disk or a lost network share


_ERRNO: dict[int, DiskProblem] = {
    errno.ENOSPC: DiskProblem.FULL,
    errno.EFBIG: DiskProblem.FULL,  # a file-size limit (ulimit -f, FAT's 4 GB)
    errno.EROFS: DiskProblem.READ_ONLY,
    errno.EACCES: DiskProblem.NOT_PERMITTED,
    errno.EPERM: DiskProblem.NOT_PERMITTED,
    errno.EIO: DiskProblem.FAILING,
}
for _name in ("EDQUOT", "ESTALE", "ENOLINK"):  # not on every platform
    if hasattr(errno, _name):
        _ERRNO[getattr(errno, _name)] = (DiskProblem.FULL if _name == "EDQUOT"
                                         else DiskProblem.FAILING)

# SQLite primary result codes (https://sqlite.org/rescode.html); extended codes keep the
# primary one in their low byte.
SQLITE_PERM, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY = 3, 5, 6, 8
SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_AUTH = 10, 13, 14, 23
_SQLITE_MESSAGES: tuple[tuple[str, int], ...] = (
    ("database or disk is full", SQLITE_FULL),
    ("attempt to write a readonly database", SQLITE_READONLY),
    ("database is locked", SQLITE_BUSY),
    ("database table is locked", SQLITE_LOCKED),
    ("unable to open database file", SQLITE_CANTOPEN),
    ("disk i/o error", SQLITE_IOERR),
)
LOW_SPACE_BYTES = 1 << 20  # below this much free space, an I/O error is a full disk


def os_problem(exc: OSError) -> DiskProblem | None:
    """The disk problem an ``OSError`` reports, or ``None`` when it is not one (no such
    file, not a directory, ...: the caller's own error)."""
    return _ERRNO.get(exc.errno) if exc.errno is not None else None


def sqlite_code(exc: BaseException) -> int | None:
    """The primary SQLite result code of a driver error (``sqlite3`` and ``sqlcipher3`` set
    ``sqlite_errorcode``; older drivers are recognised by their message)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(exc).lower()
    return next((c for message, c in _SQLITE_MESSAGES if message in text), None)


def sqlite_problem(exc: BaseException, folder: Path,
                   file: Path | None = None) -> DiskProblem | None:
    """The disk problem an SQLite error reports, looking at ``folder`` (and the database
    ``file``) where SQLite's code alone does not say (read-only because the mount is, or
    because this account may not write; an I/O error because the disk is full, or not)."""
    code = sqlite_code(exc)
    if code == SQLITE_FULL:
        return DiskProblem.FULL
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DiskProblem.LOCKED
    if code in (SQLITE_PERM, SQLITE_AUTH):
        return DiskProblem.NOT_PERMITTED
    if code in (SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_IOERR):
        found = folder_problem(folder, file)
        if found is not None:
            return found
        if code == SQLITE_IOERR and free_bytes(folder) < LOW_SPACE_BYTES:
            return DiskProblem.FULL
        return DiskProblem.NOT_PERMITTED if code == SQLITE_READONLY else DiskProblem.FAILING
    return None


def folder_problem(folder: Path, file: Path | None = None) -> DiskProblem | None:
    """Why ``folder`` (or ``file`` in it) cannot be written now, if it cannot: a read-only
    mount, or no write permission for this account. ``None``: writable as far as the
    operating system says (it may still be full)."""
    probe = existing_ancestor(folder)
    if probe is None:
        return None
    statvfs = getattr(os, "statvfs", None)
    if statvfs is not None:
        try:
            if statvfs(probe).f_flag & os.ST_RDONLY:
                return DiskProblem.READ_ONLY
        except OSError:
            pass
    if not os.access(probe, os.W_OK | os.X_OK):
        return DiskProblem.NOT_PERMITTED
    if file is not None and file.exists() and not os.access(file, os.R_OK | os.W_OK):
        return DiskProblem.NOT_PERMITTED
    return None


def write_blocked(folder: Path, file: Path | None = None) -> DiskProblem | None:
    """:func:`folder_problem`, or a full disk: why SQLite may be unable even to open a
    database there (a WAL database needs its ``-shm`` file written), so that a failed check
    is not mistaken for a damaged file."""
    found = folder_problem(folder, file)
    if found is None and free_bytes(folder) < LOW_SPACE_BYTES:
        return DiskProblem.FULL
    return found


def existing_ancestor(path: Path) -> Path | None:
    """``path`` or its nearest parent that exists (a folder not created yet is judged by
    the place it would be created in)."""
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return None


def free_bytes(folder: Path) -> int:
    """Free space for this account on the disk that holds ``folder`` (a large number when
    it cannot be told, so that nothing is blamed on space without evidence)."""
    probe = existing_ancestor(folder)
    if probe is None:
        return 1 << 62
    try:
        return shutil.disk_usage(probe).free
    except OSError:
        return 1 << 62
