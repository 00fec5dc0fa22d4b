"""Turning a plaintext station database (from a release before encryption) into an encrypted
one, without a moment where the cases exist nowhere safe.

Order, each step verified before the next: export into a new SQLCipher file beside the old one
(``sqlcipher_export``), check it with ``integrity_check`` and compare row counts table by table,
fsync, swap it in by rename, then destroy the plaintext: the old file is overwritten with zeros
before it is unlinked (so its pages do not linger in the free space a file system reuses), and
every plaintext backup is re-encrypted the same way. A crash at any point leaves either the
plaintext database (the next start repeats the upgrade) or the encrypted one (done).
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

from station_app.store.backup import list_backups
from station_app.store.engine import (
    SQLITE_HEADER,
    StoreError,
    dbapi_module,
    key_pragma,
    raw_connect,
)

log = logging.getLogger(__name__)
_SIDECARS = ("-wal", "-shm", "-journal")


class EncryptionFailed(StoreError):
    """The encrypted copy did not verify; the plaintext file is left as it was."""


def is_plaintext(db_path: Path) -> bool:
    """True when ``db_path`` is an ordinary SQLite file (an encrypted one has no header)."""
    try:
        with db_path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except FileNotFoundError:
        return False


def _counts(db_path: Path, key: str | None) -> dict[str, int]:
    conn = raw_connect(db_path, key=key, readonly=True)
    try:
        names = [str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0])
                for n in names}
    finally:
        conn.close()


def _export(plain: Path, target: Path, key: str) -> None:
    conn = dbapi_module(key).connect(str(plain))  # SQLCipher's driver, no key: reads plain
    conn.isolation_level = None
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"ATTACH DATABASE ? AS encrypted KEY {key_pragma(key).split('=', 1)[1]}",
                     (str(target),))
        conn.execute("SELECT sqlcipher_export('encrypted')")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        conn.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        conn.execute("DETACH DATABASE encrypted")
    finally:
        conn.close()


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def shred(path: Path) -> None:
    """Overwrite a file with zeros, flush, then unlink it (best effort on journaling and
    copy-on-write file systems; docs/security.md says what this does not reach)."""
    if not path.exists():
        return
    size = path.stat().st_size
    with path.open("r+b") as fh:
        remaining = size
        block = b"\0" * (1 << 20)
        while remaining > 0:
            n = min(remaining, len(block))
            fh.write(block[:n])
            remaining -= n
        fh.flush()
        os.fsync(fh.fileno())
    path.unlink()


def encrypt_file(plain: Path, key: str) -> None:
    """Replace the plaintext database ``plain`` by an encrypted copy under ``key``."""
    target = plain.with_name(plain.name + ".encrypting")
    for p in (target, *(Path(f"{target}{s}") for s in _SIDECARS)):
        p.unlink(missing_ok=True)
    try:
        before = _counts(plain, None)
        _export(plain, target, key)
        after = _counts(target, key)
        conn = raw_connect(target, key=key, readonly=True)
        try:
            check = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
        if check != ["ok"] or before != after:
            raise EncryptionFailed(f"数据库 {plain} 加密后的副本未通过校验，原文件未改动；"
                                   "请检查磁盘空间后重新启动终端。")
        _fsync(target)
    except Exception:
        target.unlink(missing_ok=True)
        raise
    aside = plain.with_name(plain.name + ".plaintext")
    os.replace(plain, aside)
    os.replace(target, plain)
    _fsync(plain.parent)
    for p in (aside, *(Path(f"{plain}{s}") for s in _SIDECARS)):
        with contextlib.suppress(FileNotFoundError):
            shred(p)


def encrypt_database_and_backups(db_path: Path, backup_dir: Path, key: str) -> int:
    """Encrypt the database and every plaintext backup of it; return how many files changed.

    Safe to call at every start: encrypted files are left alone."""
    changed = 0
    leftover = db_path.with_name(db_path.name + ".plaintext")
    if leftover.exists() and not is_plaintext(db_path):
        shred(leftover)  # a crash between the swap and the shredding
    if is_plaintext(db_path):
        encrypt_file(db_path, key)
        changed += 1
    for backup in list_backups(db_path, backup_dir):
        if is_plaintext(backup):
            encrypt_file(backup, key)
            changed += 1
    if changed:
        log.info("encrypted %d database file(s) in %s", changed, db_path.parent)
    return changed
