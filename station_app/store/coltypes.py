"""Column types shared by the store's tables.

SQLite has no timestamp type, and SQLAlchemy's ``DateTime`` on SQLite drops the UTC offset.
Every time in the store is therefore written as one fixed-width ISO 8601 text in UTC, so that
text order equals time order (range filters and ``ORDER BY`` work on the index) and values
read back are timezone-aware.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

_FORMAT = "%Y-%m-%dT%H:%M:%S.%f+00:00"


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def to_utc_text(value: datetime) -> str:
    """Fixed-width UTC text for an aware datetime; a naive one is a programming error.

    The last value's text is kept: saving a case writes its one timestamp seven times (case,
    outbox, history, audit row and hash, wire body), and ``strftime`` is the costly part.
    """
    kept, kept_text = _LAST_TEXT[0]  # one tuple, swapped whole: safe across threads
    if kept is value:
        return kept_text
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: the store keeps aware UTC times only")
    text = value.astimezone(UTC).strftime(_FORMAT)
    _LAST_TEXT[0] = (value, text)
    return text


_LAST_TEXT: list[tuple[datetime | None, str]] = [(None, "")]


class UTCDateTime(TypeDecorator[datetime]):
    """An aware datetime stored as ``YYYY-MM-DDTHH:MM:SS.ffffff+00:00`` text."""

    impl = String(32)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> str | None:
        return None if value is None else to_utc_text(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> datetime | None:
        return None if value is None else datetime.fromisoformat(value)
