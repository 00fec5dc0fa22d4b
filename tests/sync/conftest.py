"""Fixtures for the station-side sync tests: a configured station folder talking to the real
backend on 127.0.0.1 (tests/conftest.py), and a scripted HTTP server for replies the real
backend never gives (scripted_server.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station_app.services import intake
from station_app.services.context import StationContext, open_station
from station_app.services.sync_service import build_engine
from station_app.store.models import Submission
from station_app.sync.engine import SyncEngine
from tests.helpers.backend import RunningBackend
from tests.helpers.station import RS04_TICKED, RS04_VALUES, STATION_ID, configure
from tests.helpers.sync_harness import MakeEngine, Submit

from .scripted_server import ScriptedServer
from .scripted_server import scripted_server as serve_scripted


@pytest.fixture
def station_secret(backend: RunningBackend) -> str:
    secret: str = backend.enroll(STATION_ID).secret
    return secret


@pytest.fixture
def station_ctx(tmp_path: Path, backend: RunningBackend,
                station_secret: str) -> Iterator[StationContext]:
    """A station folder set up for the test backend, opened like the terminal opens it."""
    data_dir = tmp_path / "station"
    configure(data_dir, backend.base_url, station_secret)
    ctx = open_station(data_dir)
    yield ctx
    ctx.close()


@pytest.fixture
def make_engine(station_ctx: StationContext) -> Iterator[MakeEngine]:
    """Engines for the station (keyword arguments reach SyncEngine); all closed afterwards."""
    made: list[SyncEngine] = []

    def make(**kw: Any) -> SyncEngine:
        engine = build_engine(station_ctx.data_dir, station_ctx.settings, station_ctx.secret,
                              station_ctx.engine, **kw)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.close()


@pytest.fixture
def submit(station_ctx: StationContext) -> Submit:
    """Save an RS04 case through the intake use case (as the GUI does)."""
    form = intake.open_form(station_ctx, "RS04")

    def save(**values: Any) -> Submission:
        return intake.submit(station_ctx, form, {**RS04_VALUES, **values}, RS04_TICKED)

    return save


@pytest.fixture
def scripted_server() -> Iterator[ScriptedServer]:
    """An HTTP server on 127.0.0.1 answering with the scripted replies, in order."""
    with serve_scripted() as server:
        yield server
