"""Disks that fail on purpose, for the resource-failure tests: a small file system that fills
up, a read-only folder, an account without permission, a process holding the database's write
lock; and the check that nothing was lost or half-written afterwards.

Tests run as root on CI, where ``chmod`` stops nobody. So: a real tmpfs of a few megabytes
(``mount -t tmpfs -o size=``) for a full disk; a read-only bind mount for a read-only folder
(in this process, or for one child in a private mount namespace via ``unshare``, which needs no
clean-up); ``setpriv`` to the ``nobody`` account for missing permissions, keeping only
CAP_DAC_READ_SEARCH so that it can still read the interpreter under ``/root`` but not write
anything it does not own. Without root these helpers skip, which fails a CI run.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pytest

NOBODY = 65534
MiB = 1024 * 1024
_UNSHARE_RO = ('mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" '
               '&& shift && exec "$@"')


def require_root() -> None:
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root and mount(8) for real full and read-only file systems "
                    "(CI runs the tests as root)")


def _unmount(path: Path) -> None:
    if subprocess.run(["umount", str(path)], check=False).returncode != 0:
        subprocess.run(["umount", "-l", str(path)], check=True)


@contextlib.contextmanager
def small_disk(path: Path, size: int) -> Iterator[Path]:
    """A tmpfs of ``size`` bytes mounted at ``path`` (created), unmounted afterwards."""
    require_root()
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs",
                    str(path)], check=True)
    try:
        yield path
    finally:
        _unmount(path)


def fill_disk(disk: Path, leave: int) -> Path:
    """Write a filler file so that about ``leave`` bytes stay free on ``disk``; delete the
    returned file to give the space back."""
    filler = disk / "filler.bin"
    free = shutil.disk_usage(disk).free
    with filler.open("wb") as fh:
        remaining = max(free - leave, 0)
        chunk = b"\0" * MiB
        while remaining > 0:
            remaining -= fh.write(chunk[:remaining])
    return filler


@contextlib.contextmanager
def read_only(folder: Path) -> Iterator[Path]:
    """``folder`` bind-mounted read-only onto itself in this process (files opened before
    keep their access), unmounted afterwards."""
    require_root()
    subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True)
    try:
        subprocess.run(["mount", "-o", "remount,ro,bind", str(folder), str(folder)],
                       check=True)
        yield folder
    finally:
        _unmount(folder)


def read_only_for(folder: Path, argv: list[str]) -> list[str]:
    """``argv`` run in its own mount namespace where ``folder`` is read-only (gone with it)."""
    require_root()
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", _UNSHARE_RO, "sh",
            str(folder), *argv]


def as_nobody(argv: list[str]) -> list[str]:
    """``argv`` run as the ``nobody`` account, able to read everything but write only what
    ``nobody`` may."""
    require_root()
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search", *argv]


def station_cli(data_dir: Path, *args: str) -> list[str]:
    """``station-app --data-dir DATA_DIR ARGS`` as a command line for a child process."""
    return [sys.executable, "-m", "station_app.cli", "--data-dir", str(data_dir), *args]


def child_env() -> dict[str, str]:
    """The environment for a child that must import this checkout of ``station_app``."""
    root = str(Path(__file__).resolve().parents[2])
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root + (os.pathsep + path if path else "")}


class StrayWriter:
    """Another process holding the database's write lock (``BEGIN IMMEDIATE``), as a
    database browser with an unsaved edit or a hung script would, until :meth:`release`."""

    def __init__(self, db_path: Path) -> None:
        code = ("import sqlite3, sys\n"
                "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
                "c.execute('BEGIN IMMEDIATE')\n"
                "print('locked', flush=True)\n"
                "sys.stdin.read()\n"
                "c.execute('ROLLBACK')\n")
        self.proc = subprocess.Popen([sys.executable, "-c", code, str(db_path)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        out: IO[str] | None = self.proc.stdout
        assert out is not None and out.readline().strip() == "locked"

    def release(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin is not None
            self.proc.stdin.close()
            self.proc.wait(30)
        if self.proc.stdout is not None:
            self.proc.stdout.close()


@contextlib.contextmanager
def stray_writer(db_path: Path) -> Iterator[StrayWriter]:
    writer = StrayWriter(db_path)
    try:
        yield writer
    finally:
        writer.release()


def leftovers(folder: Path) -> list[Path]:
    """Temporary files an interrupted write would leave (``.NAME.XXXXXXXX.tmp``), anywhere
    under ``folder``."""
    return sorted(p for p in folder.rglob(".*.tmp") if p.is_file())


def assert_intact(db_path: Path, expected_ids: set[str], key: str | None = None) -> None:
    """The database holds exactly ``expected_ids``, each whole (its outbox entry and its
    "saved" history line), and passes ``integrity_check``; no temporary files are left."""
    if key is None:
        conn = sqlite3.connect(db_path)
    else:
        from station_app.store.engine import raw_connect

        conn = raw_connect(db_path, key=key)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        ids = {r[0] for r in conn.execute("SELECT id FROM submission")}
        assert ids == expected_ids, (len(ids), len(expected_ids))
        outbox = {r[0] for r in conn.execute("SELECT submission_id FROM outbox")}
        history = {r[0] for r in conn.execute("SELECT DISTINCT submission_id "
                                              "FROM status_history")}
        assert outbox == ids and history == ids
    finally:
        conn.close()
    assert leftovers(db_path.parent) == []
