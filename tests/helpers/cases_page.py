"""The 办件 page as its widget tests open it: a station of demo cases at a fixed time, the
page shown at 1366×768, read-only SQL on the station's database file, and the page in the
main window with its list loaded (for the walks over the whole window)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pytestqt.qtbot import QtBot

from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.ui.cases import CasesPage
from station_app.ui.main_window import MainWindow
from station_app.ui.pages import PageKey

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # Wednesday 16:00 in Wuhan


@contextmanager
def demo_station(folder: Path, cases: int, seed: int) -> Iterator[StationContext]:
    ctx = open_station(folder, clock=lambda: NOW)
    fill_demo_cases(ctx, cases, seed=seed)
    try:
        yield ctx
    finally:
        ctx.close()


def shown_cases_page(qtbot: QtBot, ctx: StationContext) -> CasesPage:
    page = CasesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1366, 760)
    page.show()
    qtbot.waitExposed(page)
    return page


def sql(ctx: StationContext, query: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"{ctx.db_path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(query, args).fetchall()


def open_cases(qtbot: QtBot, window: MainWindow) -> CasesPage:
    """Go to the window's 办件 page and wait until it has listed the cases and selected the
    first one, which the walks then open dialogs for."""
    window.go_to(PageKey.CASES)
    cases = window.cases
    assert isinstance(cases, CasesPage)
    qtbot.waitUntil(lambda: cases.current_id() is not None)
    return cases
