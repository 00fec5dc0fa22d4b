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


def insert_rows(table: Table, columns: Sequence[str], postgres: bool
                ) -> postgresql.Insert | sqlite.Insert:
    """An ``INSERT`` of rows holding ``columns``, executed with :func:`rows_param`; it takes
    ``ON CONFLICT`` and ``RETURNING`` like any dialect insert. It holds no values, so it can
    be built once and kept (building it cost more CPU than running it)."""
    if not postgres:
        return sqlite.insert(table)
    assert _PLAIN_NAME.match(table.name), table.name  # written into the SQL as it is
    source = func.json_populate_recordset(
        literal_column(f"NULL::{table.name}"), _json(_rows_name(table)),
    ).table_valued(*columns, with_ordinality="ordinality")
    ordered = select(*[source.c[name] for name in columns]).order_by(source.c.ordinality)
    return postgresql.insert(table).from_select(list(columns), ordered)


def rows_param(table: Table, rows: list[dict[str, Any]], postgres: bool
               ) -> list[dict[str, Any]] | dict[str, str]:
    """The parameters that give :func:`insert_rows` its ``rows`` (dicts with the statement's
    columns as keys, in its order)."""
    if not postgres:
        return rows
    return {_rows_name(table): json.dumps(rows, ensure_ascii=False)}


def is_one_of(column: ColumnClause[Any], postgres: bool) -> ColumnElement[bool]:
    """``column IN`` the values given by :func:`one_of_param`; on PostgreSQL
    ``column = ANY(ARRAY(…))`` from one JSON array, a form whose plan is an index lookup even
    when prepared (``IN (SELECT …)`` may be planned as a scan of the whole table once the
    statement is prepared). It holds no values, like :func:`insert_rows`."""
    if not postgres:
        return column.in_(bindparam(_list_name(column), expanding=True))
    elements = select(func.json_array_elements_text(_json(_list_name(column))))
    return column == any_(func.array(elements.scalar_subquery()))


def one_of_param(column: ColumnClause[Any], values: Sequence[str],
                 postgres: bool) -> dict[str, Any]:
    """The parameter of :func:`is_one_of` holding ``values``."""
    return {_list_name(column): json.dumps(list(values), ensure_ascii=False) if postgres
            else list(values)}


def _rows_name(table: Table) -> str:
    return f"{table.name}_rows"


def _list_name(column: ColumnClause[Any]) -> str:
    return f"{column.name}_list"


def _json(name: str) -> ColumnElement[Any]:
    """A parameter sent as text and read as ``json`` by the server."""
    return cast(bindparam(name, type_=Text), postgresql.JSON)
