"""The SQL an engine sends while a block runs: for tests that hold a code path to a number of
statements (set-based writes, bounded reads), whatever the data size."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event


@contextmanager
def recorded(engine: Engine, *, only_selects: bool = False) -> Iterator[list[str]]:
    """Every statement (or only the SELECTs) sent through ``engine`` inside the block, in
    order and whitespace-folded; an executemany counts once."""
    seen: list[str] = []

    def before(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        folded = " ".join(statement.split())
        if not only_selects or folded.upper().startswith("SELECT"):
            seen.append(folded)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", before)
