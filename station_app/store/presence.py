"""Never recreate over data (DESIGN.md invariant 8): may a new, empty database be made here?

Only in a folder that never held one. Before this check, ``: > station.db`` followed by any
start rebuilt an empty schema and the cases were gone without a word. A folder has held a
database when any of these is there:

* the marker ``station.db.created``, written when the database is first created or first
  opened by a release with this check (so folders from older releases get it at their next
  start);
* a backup of it, or a database file kept aside by a restore or by the encryption upgrade;
* a non-empty ``station.db-wal`` (committed cases not yet written into the main file);
* data that only exists alongside a database, named by the caller (the attachments folder).

``settings.toml``, the station secret and ``keys.json`` are *not* signs: ``station-app setup``
and the first-run screen write them before the first database exists, and a start must then
still create it. A missing or empty file in a folder with any sign is refused with one line
that names the signs and the way out (``station-app restore``); nothing is created.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from station_app.domain.china_time import CHINA_TZ
from station_app.domain.files import atomic_write_text
from station_app.store.backup import ASIDE_MARK, list_backups
from station_app.store.coltypes import utcnow
from station_app.store.engine import RESTORE_HINT, SQLITE_HEADER, DatabaseUnusable

MARKER_SUFFIX = ".created"
_KEPT_ASIDE = (ASIDE_MARK, ".plaintext", ".corrupt-")  # restore; encryption upgrade; older name
_PAGE_MULTIPLE = 512  # the smallest SQLite page size: every sound file is a multiple of it


class DatabaseMissing(DatabaseUnusable):
    """``station.db`` is missing or empty in a folder that has held a database."""

    def __init__(self, db_path: Path, signs: list[str]) -> None:
        self.signs = signs
        if not db_path.exists():
            what = "不见了"
        elif db_path.stat().st_size == 0:
            what = "是空的（0 字节）"
        else:
            what = "是空的（没有任何数据表）"
        super().__init__(db_path, f"数据库文件 {db_path} {what}，但该文件夹曾存有数据"
                                  f"（{'、'.join(signs)}），为免覆盖，终端不会新建空数据库。"
                                  f"{RESTORE_HINT}。")


def marker_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + MARKER_SUFFIX)


def write_marker(db_path: Path, now: datetime | None = None) -> None:
    """Record that this folder holds a database (once; an existing marker is kept)."""
    marker = marker_path(db_path)
    if marker.exists():
        return
    when = (now or utcnow()).astimezone(CHINA_TZ).strftime("%Y-%m-%d %H:%M")
    atomic_write_text(marker, f"本文件夹自 {when} 起存有驿站数据库 {db_path.name}。\n"
                              "数据库丢失或为空时终端将拒绝新建空库，请用 station-app restore "
                              "从备份恢复。请勿删除本文件。\n")


def _non_empty(path: Path) -> bool:
    try:
        return path.stat().st_size > 0 if path.is_file() else any(path.iterdir())
    except OSError:
        return False


def signs_of_data(db_path: Path, backup_dir: Path, others: Sequence[Path] = ()) -> list[str]:
    """What shows that this folder has held a database, in words; empty for a new folder."""
    signs: list[str] = []
    if marker_path(db_path).exists():
        signs.append(f"建库标记 {marker_path(db_path).name}")
    backups = list_backups(db_path, backup_dir)
    if backups:
        signs.append(f"{len(backups)} 份备份")
    folder = db_path.parent
    if folder.is_dir():
        kept = sorted(p.name for p in folder.iterdir()
                      if p.name.startswith(db_path.name)
                      and any(mark in p.name for mark in _KEPT_ASIDE))
        if kept:
            signs.append(f"留存的旧数据库文件 {kept[0]}")
    if _non_empty(db_path.with_name(db_path.name + "-wal")):
        signs.append(f"未写回的日志 {db_path.name}-wal")
    signs.extend(f"文件夹 {other.name}" for other in others if _non_empty(other))
    return signs


def shape_problems(db_path: Path) -> list[str]:
    """What the file's length and header show without opening it (works without the key):
    a length that is not whole pages, or a header that counts more pages than there are."""
    size = db_path.stat().st_size
    if size % _PAGE_MULTIPLE:
        return [f"文件长度 {size} 字节不是整页，可能被截断"]
    with db_path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100 or header[:len(SQLITE_HEADER)] != SQLITE_HEADER:
        return []  # encrypted (no clear header), or too short: quick_check decides
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    valid = header[24:28] == header[92:96] and pages > 0  # SQLite trusts the count only then
    if valid and pages * page_size > size:
        return [f"文件只有 {size} 字节，文件头记载 {pages * page_size} 字节，已被截断"]
    return []


def has_content(db_path: Path) -> bool:
    """The file exists and is not 0 bytes (then it must pass the checks, never be replaced)."""
    return db_path.is_file() and db_path.stat().st_size > 0


def refuse_over_data(db_path: Path, backup_dir: Path, others: Sequence[Path] = ()) -> None:
    """Call before making a new database at ``db_path`` (missing, empty, or without tables):
    raises :class:`DatabaseMissing` when the folder shows it held one."""
    signs = signs_of_data(db_path, backup_dir, others)
    if signs:
        raise DatabaseMissing(db_path, signs)
