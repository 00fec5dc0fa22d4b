"""Fixtures for the store tests: real SQLite files under tmp_path, engines always disposed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from station_app.services.saving import ApplicantIndex, NewSubmission
from station_app.store.engine import open_engine
from station_app.store.migrate import prepare_database

ID_KEY = b"station-test-key-0123456789abcdef"
SAMPLE_ID = "11010519491231002X"

MakeSubmission = Callable[..., NewSubmission]


@pytest.fixture
def id_key() -> bytes:
    """The station key used for the ID-number lookup HMAC in these tests."""
    return ID_KEY


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "station.db"


@pytest.fixture
def backup_dir(tmp_path: Path) -> Path:
    return tmp_path / "backups"


@pytest.fixture
def engine(db_path: Path, backup_dir: Path) -> Iterator[Engine]:
    prepare_database(db_path, backup_dir)
    eng = open_engine(db_path)
    yield eng
    eng.dispose()


@pytest.fixture
def make_submission() -> MakeSubmission:
    def make(item_code: str = "RS01", *, name: str = "张三丰", id_number: str = SAMPLE_ID,
             **overrides: Any) -> NewSubmission:
        fields: dict[str, Any] = {
            "item_code": item_code,
            "catalogue_version": "2025.1",
            "form_version": "1",
            "payload": {"姓名": name, "身份证号": id_number, "手机": "13800138000"},
            "materials": ["居民身份证", "户口簿"],
            "operator": "worker-01",
            "applicant": ApplicantIndex.of(name, id_number, ID_KEY),
        }
        fields.update(overrides)
        return NewSubmission(**fields)

    return make
