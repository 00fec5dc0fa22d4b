"""The 需处理 list, read as a UNION of its three parts, gives exactly the rows the plain OR
gives, page by page and with every other filter; and SQLite orders its matches from the
partial indexes alone (migration 0007), so a page reads only its own rows."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import ColumnElement, text
from sqlmodel import Session, col, select

from station_app.domain.feedback import RatingReason
from station_app.domain.lifecycle import ATTENTION_STATUS, Rating
from station_app.services.context import StationContext, open_station
from station_app.services.demo import fill_demo_cases
from station_app.services.ratings import rate_case
from station_app.store.coltypes import to_utc_text
from station_app.store.engine import session_scope
from station_app.store.models import Submission
from station_app.store.queries import CaseFilter, attention_condition, list_submissions

NOW = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
N = 900


@pytest.fixture(scope="module")
def station(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StationContext]:
    """Demo cases, some sent back (需补正), some refused by sync, some with an open 差评;
    a few share one created_at so that the order's tie-break (id) is exercised."""
    ctx = open_station(tmp_path_factory.mktemp("attention") / "station", clock=lambda: NOW)
    assert fill_demo_cases(ctx, N, seed=11) == N
    pick = random.Random(7)
    with ctx.engine.begin() as conn:
        ids = [sid for (sid,) in conn.execute(text("SELECT id FROM submission ORDER BY id"))]
        sent_back = pick.sample(ids, 40)
        for sid in sent_back:
            conn.execute(text("UPDATE submission SET status = :st WHERE id = :id").bindparams(
                st=ATTENTION_STATUS.label, id=sid))
        tied = pick.sample(ids, 6)
        same = to_utc_text(NOW - timedelta(days=3))
        for sid in tied:
            conn.execute(text("UPDATE submission SET created_at = :at, "
                              "sync_state = 'needs_attention' WHERE id = :id"
                              ).bindparams(at=same, id=sid))
    for sid in pick.sample(ids, 12):
        rate_case(ctx, sid, Rating.DISSATISFIED, RatingReason.SKILL)
    yield ctx
    ctx.close()


def _with_or(s: Session, flt: CaseFilter, offset: int, limit: int) -> list[str]:
    """The same page written the plain way: the OR of the three parts, sorted, sliced."""
    query = (select(Submission.id).where(attention_condition(), *_others(flt))
             .order_by(col(Submission.created_at).desc(), col(Submission.id).desc())
             .offset(offset).limit(limit))
    return list(s.exec(query).all())


def _others(flt: CaseFilter) -> list[ColumnElement[bool]]:
    from station_app.store.queries import _other_conditions

    return _other_conditions(flt)


FILTERS = [CaseFilter(attention=True),
           CaseFilter(attention=True, item_code="RS04"),
           CaseFilter(attention=True, created_from=NOW - timedelta(days=20)),
           CaseFilter(attention=True, search="*")]


@pytest.mark.parametrize("flt", FILTERS, ids=["alone", "item", "dates", "search"])
def test_every_page_holds_the_rows_the_or_gives(station: StationContext,
                                                flt: CaseFilter) -> None:
    with session_scope(station.engine) as s:
        total = len(_with_or(s, flt, 0, 10_000))
        assert flt != FILTERS[0] or total >= 40 + 6 + 12 - 3  # what the fixture made, at least
        for offset, limit in ((0, 7), (7, 7), (5, 50), (total - 3, 10), (total, 5)):
            got = [sub.id for sub in list_submissions(s, flt, offset=offset, limit=limit,
                                                      listing=True)]
            assert got == _with_or(s, flt, offset, limit), (offset, limit)


def test_listing_rows_read_the_form_only_when_asked(station: StationContext) -> None:
    with session_scope(station.engine) as s:
        (listed,) = list_submissions(s, CaseFilter(attention=True), limit=1, listing=True)
        assert "payload" not in listed.__dict__  # not read with the row
        stored = s.exec(select(Submission.payload).where(Submission.id == listed.id)).one()
        assert stored and listed.payload == stored  # read on demand, inside the session


def test_the_attention_page_orders_its_matches_from_the_partial_indexes(
        station: StationContext) -> None:
    from station_app.store.queries import _attention_page

    with station.engine.connect() as conn:
        compiled = _attention_page(CaseFilter(attention=True), 0, 200).compile(
            conn, compile_kwargs={"literal_binds": True})
        plan = " | ".join(str(r[-1]) for r in conn.exec_driver_sql(
            f"EXPLAIN QUERY PLAN {compiled}").all())
    for part in ("sync", "status"):
        assert f"COVERING INDEX ix_submission_attention_{part}" in plan, plan

