"""Writing known rows without the ORM's unit of work: for the counter's save, where SQLite
itself takes tens of microseconds a row and the ORM's bookkeeping took far more.

- :func:`table_of`: the Core table behind a model.
- :func:`new_row`: a model instance built the way the ORM builds one it reads from a row
  (defaults filled in, no per-attribute events); ``Model(**values)`` costs ~20 times more.
- :class:`Prepared`: a Core statement compiled once per dialect, its parameters converted by
  the columns' own types — the SQL and the values SQLAlchemy would send, without building a
  cache key and an execution plan per call. Run with ``exec_driver_sql`` on a connection, or
  on the driver itself inside a :func:`~station_app.store.driver_transaction.
  driver_transaction` (the save); either way the statements pass through the engine's
  events (statement counting) and errors come as SQLAlchemy's (error translation, hidden
  parameters).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from copy import deepcopy
from functools import cache, partial
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, CursorResult, Table, inspect
from sqlalchemy import insert as sql_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import configure_mappers
from sqlalchemy.sql.expression import ClauseElement

from station_app.store.models import StoreModel

Model = TypeVar("Model", bound=StoreModel)
_Convert = Callable[[Any], Any] | None
_Order = list[tuple[str | None, _Convert, Any]]  # (parameter, its conversion) or (None, -, value)


def table_of(model: type[StoreModel]) -> Table:
    """The Core table behind a model."""
    return cast(Table, inspect(model).local_table)


def new_row(model: type[Model], values: Mapping[str, Any]) -> Model:
    """``model(**values)`` as the ORM builds an instance it loads: every field set from
    ``values`` or the field's default, nothing validated (table models never are), no
    attribute events. Transient until written; the writer may then mark it detached
    (``make_transient_to_detached``) as if read back."""
    defaults, factories, required = _defaults(model)
    unknown = values.keys() - defaults.keys() - factories.keys() - required
    missing = required - values.keys()
    if unknown or missing:
        raise TypeError(f"{model.__name__}: unknown fields {sorted(unknown)}, "
                        f"missing {sorted(missing)}")
    row = {**defaults, **{name: make() for name, make in factories.items()
                          if name not in values}, **values}
    mapper = inspect(model)
    if not mapper.configured:  # what the first ``Model(...)`` would have done
        configure_mappers()
    instance = cast(Model, mapper.class_manager.new_instance())
    instance.__dict__.update(row)
    return instance


@cache
def _defaults(model: type[StoreModel]) -> tuple[dict[str, Any], dict[str, Callable[[], Any]],
                                                 frozenset[str]]:
    """A model's plain defaults, default factories and required fields, by name."""
    defaults: dict[str, Any] = {}
    factories: dict[str, Callable[[], Any]] = {}
    required: set[str] = set()
    for name, info in model.model_fields.items():
        if info.default_factory is not None:
            factories[name] = cast(Callable[[], Any], info.default_factory)
        elif info.is_required():
            required.add(name)
        elif isinstance(info.default, list | dict | set):  # each instance gets its own copy
            factories[name] = partial(deepcopy, info.default)
        else:
            defaults[name] = info.default
    return defaults, factories, frozenset(required)


class Prepared:
    """``statement`` compiled once per dialect; :meth:`run` takes the named parameters.

    ``keys``: for an ``insert(table)`` without ``.values()``, the columns written (see
    :meth:`insert`). Every call must give exactly the statement's parameters: a missing or
    extra one is a programming error, refused rather than leaving a column unwritten.
    """

    @classmethod
    def insert(cls, table: Table, *, with_row_id: bool = False) -> Prepared:
        """An INSERT of every column of ``table``; its integer row id too only when
        ``with_row_id`` (otherwise SQLite assigns it)."""
        skip = None if with_row_id else table.autoincrement_column
        return cls(sql_insert(table), [c.key for c in table.columns if c is not skip])

    def __init__(self, statement: ClauseElement, keys: Sequence[str] | None = None) -> None:
        self._statement = statement
        self._keys = list(keys) if keys is not None else None
        self._compiled: WeakKeyDictionary[Dialect, tuple[str, _Order, frozenset[str]]] = \
            WeakKeyDictionary()

    def run(self, conn: Connection, params: Mapping[str, Any]) -> CursorResult[Any]:
        """Execute on ``conn`` (inside its transaction)."""
        return conn.exec_driver_sql(*self.bind(conn.dialect, params))

    def run_many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> None:
        """Execute once per row of ``rows`` as one ``executemany`` on ``conn`` (a sync
        batch's history and audit rows: the ORM's bulk insert cost several times more per
        row for the same statements). Nothing is sent when ``rows`` is empty."""
        if not rows:
            return
        sql = self.bind(conn.dialect, rows[0])[0]
        conn.exec_driver_sql(sql, [self.bind(conn.dialect, row)[1] for row in rows])

    def bind(self, dialect: Dialect, params: Mapping[str, Any]) -> tuple[str, tuple[Any, ...]]:
        """The SQL text for ``dialect`` and its positional values, converted by the columns'
        types (for :meth:`run`, or a :class:`~station_app.store.driver_transaction.
        DriverTransaction`)."""
        compiled = self._compiled.get(dialect)
        if compiled is None:
            compiled = self._compiled[dialect] = self._compile(dialect)
        sql, order, names = compiled
        if params.keys() != names:
            raise KeyError(f"parameters {sorted(params)} for a statement taking {sorted(names)}")
        values = []
        for key, convert, fixed in order:
            if key is None:
                values.append(fixed)
            else:
                value = params[key]
                values.append(value if convert is None else convert(value))
        return sql, tuple(values)

    def _compile(self, dialect: Dialect) -> tuple[str, _Order, frozenset[str]]:
        compiled = self._statement.compile(dialect=dialect, column_keys=self._keys)
        positions = getattr(compiled, "positiontup", None)
        if positions is None:
            raise TypeError(f"{dialect.name} does not use positional parameters")
        binds = getattr(compiled, "binds")  # noqa: B009 (SQLCompiler's, not on Compiled)
        order: _Order = []
        for name in positions:
            bind = binds[name]
            convert = bind.type.bind_processor(dialect)
            if bind.required:
                order.append((name, convert, None))
            else:  # a value written into the statement, e.g. ``id == 1``
                value = bind.effective_value
                order.append((None, None, value if convert is None else convert(value)))
        names = frozenset(name for name, _, _ in order if name is not None)
        return str(compiled), order, names
