"""Suite-wide fixtures: keep every test away from the real user's folders, and run the real
district backend on a loopback port for the backend and sync tests (the code behind them is in
tests/helpers/). Also loads the CI skip policy (tests/helpers/skip_policy.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.backend import RunningBackend, ServeBackend, serve_backend
from tests.helpers.catalogue import write_test_catalogue
from tests.helpers.postgres import backend_database
from tests.helpers.standin_reader import place_card, standin_libraries

pytest_plugins = ["tests.helpers.skip_policy"]
__all__ = ["place_card", "standin_libraries"]  # fixtures for every folder


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path_factory: pytest.TempPathFactory,
                        monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point HOME and the XDG folders at a temporary place for every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var, sub in (("XDG_CONFIG_HOME", ".config"), ("XDG_DATA_HOME", ".local/share"),
                     ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        monkeypatch.setenv(var, str(home / sub))
    monkeypatch.setenv("XDG_CONFIG_DIRS", str(home / "etc-xdg"))
    monkeypatch.setenv("XDG_DATA_DIRS", str(home / "usr-share"))
    # never the machine-wide /var/lib/red-station of the computer running the tests
    monkeypatch.setenv("REDSTATION_DATA_DIR", str(home / "station-data"))
    yield


# -- the reference district backend on 127.0.0.1, shared by tests/backend and tests/sync ------

@pytest.fixture
def backend_db() -> str:
    """The backend's database kind; test folders and modules that also run on PostgreSQL
    override it with ``params=DB_KINDS`` (tests/helpers/postgres.py)."""
    return "sqlite"


@pytest.fixture
def backend(tmp_path: Path, backend_db: str) -> Iterator[RunningBackend]:
    with backend_database(backend_db) as db_url, serve_backend(tmp_path, db_url=db_url) as running:
        yield running


@pytest.fixture
def backend_server() -> ServeBackend:
    """`serve_backend` itself, for tests that need a second backend or another clock."""
    return serve_backend


@pytest.fixture
def test_catalogue() -> Callable[[Path], Path]:
    """Writes the small test catalogue into a directory and returns it."""
    return write_test_catalogue
