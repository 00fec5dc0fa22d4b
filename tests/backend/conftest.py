"""Fixtures for the backend tests: every test on SQLite and on PostgreSQL, an enrolled station
and valid submissions. The server itself (`backend`) is in tests/conftest.py, built on
tests/helpers/backend.py, and shared with the station-side sync tests."""

from __future__ import annotations

import pytest

from tests.helpers.backend import MakeSubmission, RunningBackend, StationClient, new_submission
from tests.helpers.postgres import DB_KINDS


@pytest.fixture(params=DB_KINDS)
def backend_db(request: pytest.FixtureRequest) -> str:
    """Every backend test runs on SQLite and, when REDSTATION_PG_URL reaches a server, on
    PostgreSQL (each test in a fresh schema)."""
    return str(request.param)


@pytest.fixture
def station(backend: RunningBackend) -> StationClient:
    return backend.enroll("QDK01")


@pytest.fixture
def make_submission() -> MakeSubmission:
    return new_submission
