"""100,000 cases: opening the 办件 page and filtering stay a page of rows and a few bounded
queries, whatever the size of the station's history.

Timing belongs to the benchmark (tests/bench/bench_cases.py); here we prove the shape of the
work that the event loop waits for: at most one page per action, each read bounded by LIMIT
or by an index lookup of one case, never a read of all rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from station_app.services.case_list import ATTENTION_MARK
from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.ui.cases import CasesPage
from station_app.ui.cases.cases_model import PAGE_SIZE
from tests.helpers.statements import recorded

pytestmark = pytest.mark.slow
CASES = 100_000
NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
# A read is bounded when it returns at most a page, a count, the rows of one case, or the
# open 好差评 of the cases named (a page's, or the chosen case's).
BOUNDED = re.compile(r"LIMIT|count\(\*\)|WHERE submission\.id = |WHERE status_history\."
                     r"submission_id = |WHERE (rating|followup)\.submission_id = |"
                     r"WHERE anon_1\.sid IN \(", re.IGNORECASE)


@pytest.fixture(scope="session")
def big_station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StationContext]:
    """Generated once per test session: about a minute of bulk inserts."""
    ctx = open_station(tmp_path_factory.mktemp("cases100k") / "station", clock=lambda: NOW)
    assert fill_demo_cases(ctx, CASES, seed=1) == CASES
    yield ctx
    ctx.close()


def assert_bounded(seen: list[str], most: int) -> None:
    assert 0 < len(seen) <= most, seen
    for statement in seen:
        assert BOUNDED.search(statement), statement


def test_opening_and_filtering_100k_cases_loads_a_page_at_a_time(
        qtbot: QtBot, big_station: StationContext) -> None:
    ctx = big_station
    with recorded(ctx.engine, only_selects=True) as seen:
        page = CasesPage(ctx)
        qtbot.addWidget(page)
        page.resize(1366, 760)
        page.show()
        qtbot.waitExposed(page)
        QApplication.processEvents()
    assert page.model.total == CASES and page.model.rowCount() == PAGE_SIZE
    assert page.count.text() == f"共 {CASES} 件"
    # count + first page and its 好差评 + the chosen case, its history, 好差评 and follow-ups
    assert_bounded(seen, 8)

    someone = ctx.engine.raw_connection()
    try:
        name, id_number, ref = someone.cursor().execute(
            "SELECT json_extract(payload, '$.name'), json_extract(payload, '$.id_number'), "
            "tracking_ref FROM submission ORDER BY id LIMIT 1 OFFSET 4321").fetchone()
    finally:
        someone.close()
    f = page.filters

    def search(text: str) -> None:
        f.search.setText(text)
        f.search.returnPressed.emit()  # Enter: no waiting for the typing pause

    actions: list[Callable[[], object]] = [
        lambda: f.status.setCurrentIndex(f.status.findText("已办结")),
        lambda: f.status.setCurrentIndex(f.status.findText(ATTENTION_MARK)),
        lambda: f.status.setCurrentIndex(0),
        lambda: f.item.setCurrentIndex(f.item.findData("RS04")),
        lambda: f.item.setCurrentIndex(0),
        lambda: f.dates.setCurrentIndex(f.dates.findText("近 30 天")),
        lambda: f.dates.setCurrentIndex(0),
        lambda: search(name),
        lambda: search(id_number[-4:]),
        lambda: search(ref.lower()),
    ]
    for act in actions:
        with recorded(ctx.engine, only_selects=True) as seen:
            act()
            QApplication.processEvents()
        assert page.model.rowCount() <= min(PAGE_SIZE, page.model.total)
        assert_bounded(seen, 10)  # a count, a page and its 好差评, one case's detail
    assert page.model.total == 1 and page.detail.fields["tracking_ref"].text() == ref

    search("")
    for pages in (2, 3):  # the worker scrolls to the end twice: one more page each time
        with recorded(ctx.engine, only_selects=True) as seen:
            page.table.scrollToBottom()
            expected = pages * PAGE_SIZE
            qtbot.waitUntil(lambda: page.model.rowCount() == expected)  # noqa: B023
        assert_bounded(seen, 2)  # the page and its 好差评
    assert page.model.rowCount() == 3 * PAGE_SIZE
