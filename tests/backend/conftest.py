"""Fixtures for the backend tests; the server itself (`backend`, `StationClient`) lives in
tests/conftest.py, shared with the station-side sync tests."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import DB_KINDS


@pytest.fixture(params=DB_KINDS)
def backend_db(request: pytest.FixtureRequest) -> str:
    """Every backend test runs on SQLite and, when REDSTATION_PG_URL reaches a server, on
    PostgreSQL (each test in a fresh schema)."""
    return str(request.param)


@pytest.fixture
def station(backend: Any) -> Any:
    return backend.enroll("QDK01")


def new_submission(**overrides: Any) -> dict[str, Any]:
    """A valid RS04 (养老金资格认证) submission as a station would send it."""
    sub: dict[str, Any] = {
        "submission_id": str(uuid.uuid4()),
        "tracking_ref": "QDK01-000001",
        "item_code": "RS04",
        "bundle_code": None,
        "catalogue_version": "2026.11.1",
        "form_version": 1,
        "payload": {
            "name": "测试居民", "id_number": "11010519491231002X", "phone": "13800000000",
            "address": "汉阳区琴断口街道测试小区1栋1单元101", "apply_by": "本人办理",
            "benefit_type": "企业职工基本养老保险", "auth_method": "柜台人脸识别",
            "auth_result": "认证通过", "next_due_date": "2027-11-25",
        },
        "materials": [{"name": "居民身份证或社会保障卡", "provided": True, "attachments": [],
                       "note": None}],
        "operator": "王帮办",
        "created_at": "2026-11-25T09:30:00+08:00",
    }
    sub.update(overrides)
    return sub


@pytest.fixture
def make_submission() -> Callable[..., dict[str, Any]]:
    return new_submission
