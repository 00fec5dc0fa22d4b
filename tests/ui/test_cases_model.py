"""The case list model over a real SQLite file of 5,000 demo cases: lazy pages, filters, roles.

The answers are checked against plain SQL on the same file, so the model cannot agree with
itself and be wrong.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester

from station_app.domain.china_time import CHINA_TZ
from station_app.services.case_list import ATTENTION, ATTENTION_MARK, CaseQuery, CaseSource
from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.store.queries import china_day_bounds
from station_app.ui.cases.cases_model import (
    PAGE_SIZE,
    AttentionRole,
    CasesModel,
    Column,
    SubmissionIdRole,
)
from tests.helpers.statements import recorded

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)  # 16:00 in Wuhan
TODAY = NOW.astimezone(CHINA_TZ).date()
CASES = 5000


@pytest.fixture(scope="module")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StationContext]:
    c = open_station(tmp_path_factory.mktemp("cases") / "station", clock=lambda: NOW)
    fill_demo_cases(c, CASES, seed=11)
    yield c
    c.close()


@pytest.fixture
def model(ctx: StationContext) -> CasesModel:
    m = CasesModel(CaseSource(ctx))
    m.set_query(CaseQuery())
    return m


def sql(ctx: StationContext, query: str, *args: object) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"{ctx.db_path.as_uri()}?mode=ro", uri=True) as conn:
        return conn.execute(query, args).fetchall()


def column(model: CasesModel, col: Column, role: int = Qt.ItemDataRole.DisplayRole) -> list[Any]:
    return [model.index(r, col).data(role) for r in range(model.rowCount())]


def load_all(model: CasesModel) -> None:
    while model.canFetchMore():
        model.fetchMore()


def test_model_tester_initially_after_fetch_more_and_after_a_filter(
        qtmodeltester: ModelTester, model: CasesModel) -> None:
    qtmodeltester.check(model)
    model.fetchMore()
    qtmodeltester.check(model)
    model.set_query(CaseQuery(status=ATTENTION))
    qtmodeltester.check(model)
    model.set_query(CaseQuery(search="没有这个人"))
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_rows_arrive_a_page_at_a_time_and_never_all_at_once(ctx: StationContext) -> None:
    m = CasesModel(CaseSource(ctx))
    with recorded(ctx.engine, only_selects=True) as seen:
        m.set_query(CaseQuery())
    assert (m.total, m.rowCount()) == (CASES, PAGE_SIZE)
    # one COUNT, one page, and the page's open 好差评 (named by the page's own ids)
    assert len(seen) == 3 and "LIMIT" in seen[1].upper() and "GROUP BY" in seen[2].upper()
    for pages in (2, 3, 4):
        with recorded(ctx.engine, only_selects=True) as seen:
            m.fetchMore()
        assert m.rowCount() == pages * PAGE_SIZE < CASES
        assert len(seen) == 2 and "LIMIT" in seen[0].upper()  # one bounded query per page
        assert seen[1].count("?") >= PAGE_SIZE  # …and its 好差评, by the page's ids
    assert m.canFetchMore()


def test_newest_first_and_no_row_twice_across_pages(model: CasesModel,
                                                    ctx: StationContext) -> None:
    for _ in range(3):
        model.fetchMore()
    ids = column(model, Column.REF, SubmissionIdRole)
    expected = [r[0] for r in sql(ctx, "SELECT id FROM submission "
                                       "ORDER BY created_at DESC, id DESC LIMIT ?", len(ids))]
    assert ids == expected


def test_filter_by_status(model: CasesModel, ctx: StationContext) -> None:
    model.set_query(CaseQuery(status="不予受理"))
    load_all(model)
    assert model.total == sql(ctx, "SELECT COUNT(*) FROM submission WHERE status='不予受理'")[0][0]
    assert model.total > 0 and set(column(model, Column.STATUS)) == {"不予受理"}
    model.set_query(CaseQuery(status="queued"))
    assert set(column(model, Column.SYNC)) == {"待上报"}


def test_filter_by_item(model: CasesModel, ctx: StationContext) -> None:
    model.set_query(CaseQuery(item_code="LL27"))
    expected = sql(ctx, "SELECT COUNT(*) FROM submission WHERE item_code='LL27'")[0][0]
    assert model.total == expected > PAGE_SIZE
    assert set(column(model, Column.TITLE)) == {ctx.catalogue.item("LL27").name}


@pytest.mark.parametrize("days", [1, 7, 30])
def test_filter_by_date(model: CasesModel, ctx: StationContext, days: int) -> None:
    first = TODAY - timedelta(days=days - 1)
    model.set_query(CaseQuery(first_day=first, last_day=TODAY))
    load_all(model)
    start, end = china_day_bounds(first, TODAY)
    expected = sql(ctx, "SELECT COUNT(*) FROM submission WHERE created_at >= ? AND created_at < ?",
                   start.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
                   end.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"))[0][0]
    assert model.total == expected > 0
    shown = {datetime.strptime(t, "%Y-%m-%d %H:%M").date() for t in column(model, Column.CREATED)}
    assert min(shown) >= first and max(shown) <= TODAY


def _someone(ctx: StationContext) -> tuple[str, str, str, str]:
    sid, name, id_number, ref = sql(ctx, """
        SELECT id, json_extract(payload, '$.name'), json_extract(payload, '$.id_number'),
               tracking_ref FROM submission WHERE length(json_extract(payload, '$.name')) = 3
        ORDER BY id LIMIT 1 OFFSET 17""")[0]
    return sid, name, id_number, ref


def test_search_by_name(model: CasesModel, ctx: StationContext) -> None:
    sid, name, _, _ = _someone(ctx)
    model.set_query(CaseQuery(search=name))
    load_all(model)
    assert sid in column(model, Column.REF, SubmissionIdRole)
    assert set(column(model, Column.APPLICANT)) == {name[0] + "*" + name[-1]}


def test_search_by_last_four_id_digits(model: CasesModel, ctx: StationContext) -> None:
    sid, _, id_number, _ = _someone(ctx)
    model.set_query(CaseQuery(search=id_number[-4:].lower()))
    load_all(model)
    assert sid in column(model, Column.REF, SubmissionIdRole)
    assert model.total == sql(ctx, "SELECT COUNT(*) FROM submission WHERE id_last4 = ?",
                              id_number[-4:])[0][0]


def test_search_by_tracking_ref_as_typed(model: CasesModel, ctx: StationContext) -> None:
    sid, _, _, ref = _someone(ctx)
    model.set_query(CaseQuery(search=" " + ref.lower().replace("-", " ") + " "))
    assert column(model, Column.REF, SubmissionIdRole) == [sid]
    assert column(model, Column.REF) == [ref]


def test_filters_combine(model: CasesModel, ctx: StationContext) -> None:
    model.set_query(CaseQuery(status="已办结", item_code="RS04",
                              first_day=TODAY - timedelta(days=29), last_day=TODAY))
    start, end = china_day_bounds(TODAY - timedelta(days=29), TODAY)
    expected = sql(ctx, "SELECT COUNT(*) FROM submission WHERE status='已办结' AND "
                        "item_code='RS04' AND created_at >= ? AND created_at < ?",
                   start.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"),
                   end.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00"))[0][0]
    assert model.total == expected > 0


def test_attention_rows_carry_the_text_marker_and_the_role(model: CasesModel,
                                                           ctx: StationContext) -> None:
    model.set_query(CaseQuery(status=ATTENTION))
    load_all(model)
    expected = sql(ctx, "SELECT COUNT(*) FROM submission WHERE sync_state='needs_attention' "
                        "OR status='补正材料'")[0][0]
    assert model.total == expected > 0
    assert all(t.startswith(ATTENTION_MARK) for t in column(model, Column.STATUS))
    assert set(column(model, Column.STATUS, AttentionRole)) == {True}
    texts = set(column(model, Column.STATUS))
    assert f"{ATTENTION_MARK} · 补正材料" in texts and f"{ATTENTION_MARK} · 上报被退回" in texts
    tips = column(model, Column.STATUS, Qt.ItemDataRole.ToolTipRole)
    assert any("原因：区后台退回" in t for t in tips)


def test_ordinary_rows_have_no_marker(model: CasesModel) -> None:
    for text, flagged in zip(column(model, Column.STATUS),
                             column(model, Column.STATUS, AttentionRole), strict=True):
        assert text.startswith(ATTENTION_MARK) == flagged


def test_roles_for_screen_readers_and_styling(model: CasesModel, ctx: StationContext) -> None:
    idx = model.index(0, Column.APPLICANT)
    assert idx.data(Qt.ItemDataRole.AccessibleTextRole).startswith("申请人：")
    assert model.headerData(Column.CREATED, Qt.Orientation.Horizontal) == "受理时间"
    sid = idx.data(SubmissionIdRole)
    assert sql(ctx, "SELECT COUNT(*) FROM submission WHERE id = ?", sid)[0][0] == 1
    assert model.index(0, Column.REF).data(Qt.ItemDataRole.DisplayRole).startswith("HY")
    assert "*" in idx.data() or len(idx.data()) == 1  # names are masked
