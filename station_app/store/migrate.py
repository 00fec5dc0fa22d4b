"""Bring the database file to the current schema at start-up, safely.

Order matters: refuse a missing or empty file where a database was held (never recreate over
data), check the file (a damaged file is reported, never migrated or replaced), take a verified
backup when a migration is pending, then migrate in one transaction. Alembic is
driven in code; no ``alembic.ini`` is needed at run time. It is imported only when a
migration is due: which revisions exist is read from the migration files' own
``revision``/``down_revision`` lines, so an ordinary start does not pay for Alembic.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

from station_app.store.backup import backup_database
from station_app.store.clean_close import take_clean_close
from station_app.store.engine import (
    DatabaseCorrupt,
    StoreError,
    ensure_healthy,
    open_engine,
    raw_connect,
)
from station_app.store.presence import (
    has_content,
    refuse_over_data,
    shape_problems,
    write_marker,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
_REVISION_LINE = re.compile(r'^(down_)?revision: str(?: \| None)? = (?:"([^"]*)"|None)\s*$',
                            re.MULTILINE)


class SchemaTooNew(StoreError):
    """The file was migrated by a newer program; this one must not touch it."""


class ForeignDatabase(StoreError):
    """The file is SQLite but was not created by this program."""


@dataclass(frozen=True)
class PrepareReport:
    """What :func:`prepare_database` did, for the start-up log and ``doctor``."""

    db_path: Path
    created: bool
    from_revision: str | None
    to_revision: str
    backup: Path | None

    @property
    def migrated(self) -> bool:
        """True when the schema changed (a new file counts as migrated from nothing)."""
        return self.from_revision != self.to_revision

    def summary(self) -> str:
        """One Chinese line for the log."""
        if self.created:
            return f"已新建数据库 {self.db_path}（结构版本 {self.to_revision}）"
        if not self.migrated:
            return f"数据库 {self.db_path} 检查通过（结构版本 {self.to_revision}）"
        return (f"数据库 {self.db_path} 已从结构版本 {self.from_revision} 升级到 "
                f"{self.to_revision}，升级前备份：{self.backup}")


def alembic_config() -> Config:
    """An in-memory Alembic configuration pointing at the packaged migrations."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    return config


@cache
def known_revisions() -> dict[str, str | None]:
    """Each migration's revision and the one it follows, from the files' own lines."""
    known: dict[str, str | None] = {}
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {bool(m[1]): m[2] for m in _REVISION_LINE.finditer(
            path.read_text(encoding="utf-8"))}
        if False in found:  # a revision line (a helper module has none)
            known[str(found[False])] = found.get(True)
    return known


def head_revision() -> str:
    """The newest schema revision this program knows: the one no other revision follows."""
    known = known_revisions()
    heads = set(known) - {down for down in known.values() if down}
    if len(heads) != 1:
        raise RuntimeError(f"expected one migration head in {MIGRATIONS_DIR}, found {heads}")
    return heads.pop()


def current_revision(engine: Engine) -> str | None:
    """The revision recorded in the database, ``None`` for a database Alembic never touched."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run the migrations up to ``revision`` in one transaction on ``engine``."""
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def _is_known(revision: str) -> bool:
    return revision in known_revisions()


def _recorded_revision(db_path: Path, key: str | None) -> tuple[str | None, bool]:
    """(revision, has tables), read without the engine so a refused file stays untouched."""
    conn = raw_connect(db_path, key=key, readonly=True)
    try:
        tables = {str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables:
            return None, bool(tables)
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    finally:
        conn.close()
    return (None if row is None else str(row[0])), True


def _classify(db_path: Path, key: str | None, head: str) -> str | None:
    """The file's revision, after refusing files that are newer or not ours."""
    current, has_tables = _recorded_revision(db_path, key)
    if current is None and has_tables:
        raise ForeignDatabase(f"文件 {db_path} 不是本程序的数据库（没有结构版本记录）。"
                              "请检查数据目录设置，文件未被改动。")
    if current is not None and current != head and not _is_known(current):
        raise SchemaTooNew(f"数据库 {db_path} 的结构版本 {current} 比本程序新（最高支持 {head}）。"
                           "请安装最新版本的 station-app，数据库未被改动。")
    return current


def check_database(db_path: Path, *, key: str | None = None,
                   thorough: bool = True) -> str | None:
    """The revision of a file with content, read-only; raises :class:`DatabaseCorrupt` for a
    damaged file, :class:`SchemaTooNew` or :class:`ForeignDatabase` for one this program must
    not use. ``None``: a sound SQLite file without tables. ``thorough``: read every page
    (else the header, key and schema; see :mod:`station_app.store.clean_close`)."""
    problems = shape_problems(db_path)
    if problems:
        raise DatabaseCorrupt(db_path, problems)
    ensure_healthy(db_path, key=key, thorough=thorough)
    return _classify(db_path, key, head_revision())


def prepare_database(db_path: Path, backup_dir: Path, *, key: str | None = None,
                     others: Sequence[Path] = (), now: datetime | None = None) -> PrepareReport:
    """Check, back up if needed, and migrate ``db_path`` to head; report what was done.

    Every page is read unless the last session closed cleanly and the file is as it left it
    (:mod:`station_app.store.clean_close`). A new database is made only where none was ever
    held (:mod:`station_app.store.presence`; ``others``: folders whose content shows that one
    was). Raises :class:`DatabaseMissing`
    or :class:`DatabaseCorrupt` (nothing created, the file untouched), :class:`SchemaTooNew`,
    :class:`ForeignDatabase` or ``BackupFailed`` (no migration was attempted).
    """
    head = head_revision()
    thorough = not take_clean_close(db_path)  # read whole unless a clean close just did
    current = check_database(db_path, key=key, thorough=thorough) \
        if has_content(db_path) else None
    if current == head:
        write_marker(db_path, now)
        return PrepareReport(db_path, False, current, head, None)
    backup = None
    if current is None:
        refuse_over_data(db_path, backup_dir, others)
    else:
        backup = backup_database(db_path, backup_dir, f"pre-{head}", key=key, now=now)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    engine = open_engine(db_path, key=key)
    try:
        upgrade(engine, "head")
    finally:
        engine.dispose()
    write_marker(db_path, now)
    return PrepareReport(db_path, current is None, current, head, backup)
