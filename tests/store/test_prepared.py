"""The ORM-free write path writes what the ORM would: the same column text, the same defaults."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, insert

from station_app.store.coltypes import utcnow
from station_app.store.models import Draft, Submission
from station_app.store.prepared import Prepared, new_row, table_of

NOW = utcnow()
CASE: dict[str, Any] = {"id": "c-1", "tracking_ref": "HY261206-AAAAAAAA", "item_code": "RS01",
        "catalogue_version": "2026.1", "form_version": "1", "operator": "worker-01",
        "payload": {"姓名": "张三丰", "地址": {"楼": "5栋"}}, "materials": ["户口簿"],
        "promised_date": date(2026, 12, 24), "created_at": NOW, "updated_at": NOW}


def _rows(db_path: Path, table: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
    finally:
        conn.close()


def test_new_row_is_the_instance_the_constructor_makes() -> None:
    assert new_row(Submission, CASE).model_dump() == Submission(**CASE).model_dump()
    one, two = new_row(Draft, {"id": "d1", "operator": "w"}), new_row(Draft, {"id": "d2",
                                                                             "operator": "w"})
    one.payload["x"] = 1
    assert two.payload == {} and one.updated_at is not two.updated_at  # factories run each time


def test_new_row_refuses_unknown_and_missing_fields() -> None:
    with pytest.raises(TypeError, match="colour"):
        new_row(Draft, {"id": "d1", "operator": "w", "colour": "red"})
    with pytest.raises(TypeError, match="operator"):
        new_row(Draft, {"id": "d1"})


def test_a_prepared_insert_writes_the_text_core_writes(engine: Engine, db_path: Path) -> None:
    cases = table_of(Submission)
    row = {column.key: getattr(new_row(Submission, CASE), column.key) for column in cases.columns}
    prepared = Prepared.insert(cases)
    with engine.begin() as conn:
        conn.execute(insert(cases), row)
        prepared.run(conn, {**row, "id": "c-2", "tracking_ref": "HY261206-BBBBBBBB"})
    by_core, by_prepared = _rows(db_path, "submission")
    assert by_core[2:] == by_prepared[2:]
    assert "张三丰" in str(by_core)  # JSON kept readable, times as fixed-width UTC text


def test_a_prepared_statement_refuses_other_parameters(engine: Engine) -> None:
    drafts = table_of(Draft)
    prepared = Prepared(insert(drafts), ["id", "operator", "payload", "materials",
                                         "updated_at", "item_code", "bundle_code"])
    with engine.begin() as conn, pytest.raises(KeyError, match="operator"):
        prepared.run(conn, {"id": "d1"})
