"""Reading which cases a database file holds, as far as it can be read.

A restore replaces a damaged file with an older backup; the cases saved after that backup are
named to the operator by tracking ref so they can be checked and entered again. A damaged file
often still yields most of its rows: each table is read row by row until the first error, the
tracking refs are read a second time from their own index (an index scan touches only the
index's pages), and the outbox (the exact bytes queued for the district, each naming its case)
is a third source. The store knows no wire format: it hands
the outbox bodies to the caller as bytes.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station_app.store.engine import driver_errors, raw_connect


@dataclass
class FoundCases:
    """What could be read. ``refs``: tracking ref -> sync state (None when the ref was read
    from an index only); ``ids``: submission id -> tracking ref; ``outbox``: submission id ->
    (body, outbox state); ``complete``: every read went to the end."""

    refs: dict[str, str | None] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)
    outbox: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    complete: bool = True


def _rows(conn: sqlite3.Connection, sql: str, errors: tuple[type[Exception], ...],
          found: FoundCases) -> Iterator[tuple[Any, ...]]:
    """The rows of ``sql`` up to the first error (which marks ``found`` incomplete)."""
    try:
        cursor = conn.execute(sql)
        while True:
            row = cursor.fetchone()
            if row is None:
                return
            yield tuple(row)
    except errors:
        found.complete = False


def _ref_index(conn: sqlite3.Connection) -> str | None:
    """The unique index on ``submission.tracking_ref``: its pages often survive the table's."""
    for row in conn.execute("PRAGMA index_list(submission)").fetchall():
        name = str(row[1])
        columns = [str(r[0]) for r in conn.execute("SELECT name FROM pragma_index_info(?)",
                                                    (name,)).fetchall()]
        if columns == ["tracking_ref"]:
            return name
    return None


def _read(conn: sqlite3.Connection, errors: tuple[type[Exception], ...]) -> FoundCases | None:
    try:
        tables = {str(r[0]) for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        index = _ref_index(conn) if "submission" in tables else None
    except errors:
        return None
    if "submission" not in tables:
        return None
    found = FoundCases()
    for sid, ref, state in _rows(conn, "SELECT id, tracking_ref, sync_state FROM submission",
                                 errors, found):
        found.ids[str(sid)] = str(ref)
        found.refs[str(ref)] = str(state)
    if index is not None:
        quoted = '"' + index.replace('"', '""') + '"'
        for (ref,) in _rows(conn, f"SELECT tracking_ref FROM submission INDEXED BY {quoted}",
                            errors, found):
            found.refs.setdefault(str(ref), None)
    if "outbox" in tables:
        for sid, body, state in _rows(conn, "SELECT submission_id, body, state FROM outbox",
                                      errors, found):
            found.outbox[str(sid)] = (bytes(body), str(state))
    return found


def read_cases(db_path: Path, *, key: str | None = None) -> FoundCases | None:
    """The cases readable in ``db_path``; None when nothing at all could be read (a missing,
    empty or foreign file, garbage, or the wrong key).

    ``writable_schema`` (on a read-only connection: nothing is written) lets SQLite read a
    file shorter than its header says, instead of refusing it whole.
    """
    if not db_path.is_file() or db_path.stat().st_size == 0:
        return None
    errors = driver_errors(key)
    try:
        conn = raw_connect(db_path, key=key, readonly=True)
    except errors:
        return None
    try:
        conn.execute("PRAGMA writable_schema = ON")
        return _read(conn, errors)
    except errors:
        return None
    finally:
        conn.close()


def count_cases(db_path: Path, *, key: str | None = None) -> int | None:
    """How many cases ``db_path`` holds; None when it cannot be read with ``key``."""
    errors = driver_errors(key)
    try:
        conn = raw_connect(db_path, key=key, readonly=True)
        try:
            row = conn.execute("SELECT count(*) FROM submission").fetchone()
        finally:
            conn.close()
    except errors:
        return None
    return int(row[0])
