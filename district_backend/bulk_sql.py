"""Statements over many rows whose SQL text is the same whatever the number of rows
(PostgreSQL).

On PostgreSQL a multi-row ``VALUES`` list (or a long ``IN (…)`` list) is new SQL text for
each batch size, and psycopg parses every placeholder of a long statement again on each
execution (it caches only short ones). Here the rows travel as one JSON array instead, turned
back into rows by the server (``json_populate_recordset`` with the table's own row type, so
each value is converted, and a value too long for its column refused, as an insert would;
``WITH ORDINALITY`` keeps the given order, so serial ids grow in it). One parameter, one
text: psycopg keeps it parsed and PostgreSQL prepared, and the JSON is encoded in C (an array
parameter instead is quoted element by element in Python, slower than ``VALUES``).

SQLite keeps the plain forms: its statements are cheap to build, its driver caches them by
text, and measured there ``VALUES`` costs less than JSON.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    Text,
    any_,
    bindparam,
    cast,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.elements import ColumnClause

_PLAIN_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def insert_rows(table: Table, rows: list[dict[str, Any]], postgres: bool
                ) -> tuple[postgresql.Insert | sqlite.Insert,
                           list[dict[str, Any]] | dict[str, str]]:
    """An ``INSERT`` of ``rows`` (dicts with the same keys, in the same order) and the
    parameters to execute it with; the statement takes ``ON CONFLICT`` and ``RETURNING``
    like any dialect insert."""
    if not postgres:
        return sqlite.insert(table), rows
    columns = list(rows[0])
    assert _PLAIN_NAME.match(table.name), table.name  # written into the SQL as it is
    source = func.json_populate_recordset(
        literal_column(f"NULL::{table.name}"), _json(f"{table.name}_rows"),
    ).table_valued(*columns, with_ordinality="ordinality")
    ordered = select(*[source.c[name] for name in columns]).order_by(source.c.ordinality)
    return (postgresql.insert(table).from_select(columns, ordered),
            {f"{table.name}_rows": json.dumps(rows, ensure_ascii=False)})


def is_one_of(column: ColumnClause[Any], values: Sequence[str],
              postgres: bool) -> ColumnElement[bool]:
    """``column IN values``; on PostgreSQL ``column = ANY(ARRAY(…))`` from one JSON array, a
    form whose plan is an index lookup even when prepared (``IN (SELECT …)`` may be planned
    as a scan of the whole table once the statement is prepared)."""
    if not postgres:
        return column.in_(list(values))
    elements = select(func.json_array_elements_text(_json(f"{column.name}_list", list(values))))
    return column == any_(func.array(elements.scalar_subquery()))


def _json(name: str, value: Any = None) -> ColumnElement[Any]:
    """A parameter sent as text and read as ``json`` by the server."""
    text = None if value is None else json.dumps(value, ensure_ascii=False)
    return cast(bindparam(name, text, type_=Text), postgresql.JSON)
