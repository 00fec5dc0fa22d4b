"""What the screens get from the services when the database refuses: one `StorageFailed` with a
Chinese line, never the store's or the driver's exceptions (the UI may not import either), and
what a saved intake hands the receipt step. Qt-free, on a real SQLite station."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import text

from station_app.domain.lifecycle import Rating
from station_app.services.case_list import CaseQuery, CaseSource
from station_app.services.case_record import load_case
from station_app.services.context import StationContext
from station_app.services.intake_session import IntakeSession, pending_draft
from station_app.services.ratings import rate_case
from station_app.services.storage_errors import StorageFailed
from tests.ui.test_main_window import RS04_VALUES

ID_CARD = "居民身份证或社会保障卡"


def _ready(ctx: StationContext) -> IntakeSession:
    session = IntakeSession(ctx, "RS04")
    for key, value in RS04_VALUES.items():
        session.set_value(key, value)
    session.set_ticked(ID_CARD, True)
    assert session.review().can_submit
    return session


def _drop(ctx: StationContext, table: str) -> None:
    with ctx.engine.begin() as conn:  # a real failure inside the next statement on it
        conn.execute(text(f"DROP TABLE {table}"))


def _count(ctx: StationContext, table: str) -> int:
    with sqlite3.connect(ctx.db_path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def test_a_saved_case_carries_its_reference_and_receipt(named_ctx: StationContext) -> None:
    session = _ready(named_ctx)
    case = session.submit()
    assert case.id == session.draft_id and case.tracking_ref
    assert case.receipt.tracking_ref == case.receipt.qr_text == case.tracking_ref
    assert case.receipt.applicant == "张*丰" and "002X" in case.receipt.applicant_id
    assert session.submit() is case  # asked twice, saved once
    assert _count(named_ctx, "submission") == 1


def test_a_refused_save_raises_storage_failed_and_commits_nothing(
        named_ctx: StationContext) -> None:
    session = _ready(named_ctx)
    _drop(named_ctx, "outbox")
    with pytest.raises(StorageFailed, match=r"^办件未能保存（.*outbox") as failed:
        session.submit()
    assert "outbox" in failed.value.detail and "Traceback" not in str(failed.value)
    assert session.submitted is None
    assert _count(named_ctx, "submission") == 0


def test_a_refused_draft_raises_storage_failed(named_ctx: StationContext) -> None:
    session = IntakeSession(named_ctx, "RS04")
    session.set_value("name", "张三丰")
    _drop(named_ctx, "draft")
    with pytest.raises(StorageFailed, match=r"^草稿未能保存"):
        session.autosave()


def test_a_draft_is_offered_with_its_answers_and_resumed_under_its_id(
        named_ctx: StationContext) -> None:
    first = IntakeSession(named_ctx, "RS04")
    first.set_value("name", "张三丰")
    first.set_ticked(ID_CARD, True)
    assert first.autosave()
    offer = pending_draft(named_ctx, "RS04")
    assert offer is not None and offer.id == first.draft_id
    assert offer.values["name"] == "张三丰" and offer.ticked == (ID_CARD,)
    assert offer.saved_at.tzinfo is not None
    resumed = IntakeSession(named_ctx, "RS04", offer)
    assert resumed.draft_id == first.draft_id and resumed.values["name"] == "张三丰"
    assert resumed.ticked == [ID_CARD] and resumed.restored


def test_reads_and_ratings_of_a_broken_database_raise_storage_failed(
        named_ctx: StationContext) -> None:
    case = _ready(named_ctx).submit()
    _drop(named_ctx, "status_history")
    with pytest.raises(StorageFailed, match=r"^办件详情暂时无法读取（.*status_history"):
        load_case(named_ctx, case.id)
    _drop(named_ctx, "audit_event")
    with pytest.raises(StorageFailed, match=r"^好差评未能保存"):
        rate_case(named_ctx, case.id, Rating.VERY_SATISFIED)
    with named_ctx.engine.begin() as conn:
        conn.execute(text("ALTER TABLE submission RENAME TO submission_elsewhere"))
    with pytest.raises(StorageFailed, match=r"^办件列表暂时无法读取"):
        CaseSource(named_ctx).counts(CaseQuery())
