"""Fixtures for the Qt-free service tests: the use cases the screens and the CLI share, run on
a real station folder (SQLite file, bundled catalogue) in tmp_path, without a widget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from station_app.services.context import StationContext, open_station


@pytest.fixture
def station_ctx(tmp_path: Path) -> Iterator[StationContext]:
    """An opened, unconfigured station in a temporary folder."""
    ctx = open_station(tmp_path / "station")
    try:
        yield ctx
    finally:
        ctx.close()
