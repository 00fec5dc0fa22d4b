"""Fixtures for the tests that reach the real district backend through the fault proxy, on a
clock the test moves (test_fault_proxy.py, test_feedback_faults.py).

Not in the folder's conftest because they override ``backend``, ``backend_db`` and
``make_engine`` for the whole module that uses them: every other sync test keeps the real
clock and talks to the backend directly. A module takes them all by importing them and
naming them in its ``__all__`` (so the linter sees them used):

    from .proxy_fixtures import backend, backend_db, clock, make_engine, proxy, station
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from station_app.config import load_settings
from station_app.services.context import StationContext
from station_app.services.sync_service import build_engine
from station_app.sync.engine import SyncEngine
from tests.helpers.backend import RunningBackend, serve_backend
from tests.helpers.postgres import DB_KINDS, backend_database
from tests.helpers.station import configure
from tests.helpers.sync_harness import FakeClock

from .fault_proxy import FaultProxy, running_proxy


@pytest.fixture(params=DB_KINDS)
def backend_db(request: pytest.FixtureRequest) -> str:
    """SQLite, and PostgreSQL when REDSTATION_PG_URL is set."""
    return str(request.param)


@pytest.fixture
def clock() -> FakeClock:
    """The one clock of the backend, the proxy and the station's engines."""
    return FakeClock()


@pytest.fixture
def backend(tmp_path: Path, backend_db: str, clock: FakeClock) -> Iterator[RunningBackend]:
    """The real backend, on the clock the test moves."""
    with backend_database(backend_db) as url, \
            serve_backend(tmp_path, clock=clock.time, db_url=url) as running:
        yield running


@pytest.fixture
def proxy(backend: RunningBackend, clock: FakeClock) -> Iterator[FaultProxy]:
    with running_proxy(backend.base_url, clock=clock.time) as running:
        yield running


@pytest.fixture
def station(station_ctx: StationContext, station_secret: str,
            proxy: FaultProxy) -> StationContext:
    """The station, talking to the backend through the proxy."""
    configure(station_ctx.data_dir, proxy.url, station_secret)
    return station_ctx


@pytest.fixture
def make_engine(station: StationContext,
                clock: FakeClock) -> Iterator[Callable[..., SyncEngine]]:
    """Engines of the proxied station on the test's clock (keyword arguments reach
    SyncEngine); all closed afterwards."""
    made: list[SyncEngine] = []

    def make(**kw: Any) -> SyncEngine:
        engine = build_engine(station.data_dir, load_settings(station.data_dir), station.secret,
                              station.engine, clock=clock.now, monotonic=clock.monotonic,
                              sleep=clock.sleep, rng=random.Random(4).random, **kw)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()
