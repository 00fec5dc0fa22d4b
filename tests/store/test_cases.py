"""Case list queries, status history, drafts, settings, catalogue versions and the audit
trail's append-only guarantee."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import Engine, exc, text, update
from sqlmodel import col

from station_app.domain.china_time import CHINA_TZ
from station_app.services.saving import save_submission
from station_app.store.audit import append_audit
from station_app.store.catalogue import (
    ItemDefinition,
    activate_catalogue_version,
    active_catalogue_version,
    add_catalogue_version,
    catalogue_item,
)
from station_app.store.coltypes import utcnow
from station_app.store.engine import StoreError, session_scope
from station_app.store.models import CatalogueSource, RatingRecord, Submission
from station_app.store.outbox import mark_acked
from station_app.store.queries import (
    CaseFilter,
    IdLookup,
    china_day_bounds,
    count_submissions,
    list_submissions,
)
from station_app.store.ratings import add_rating, open_followups, ratings_of
from station_app.store.records import (
    delete_draft,
    get_setting,
    list_drafts,
    load_draft,
    save_draft,
    set_setting,
)
from station_app.store.submissions import (
    apply_status_change,
    get_submission_by_ref,
    status_history,
)

if TYPE_CHECKING:
    from .conftest import MakeSubmission

PEOPLE = [  # name, ID number, item, Beijing date
    ("张三丰", "11010519491231002X", "RS01", date(2025, 3, 1)),
    ("张三", "440524188001010014", "RS02", date(2025, 3, 2)),
    ("李四", "420106198001011234", "RS01", date(2025, 3, 2)),
    ("欧阳明明", "420106199002025678", "MZ05", date(2025, 3, 5)),
]


@pytest.fixture
def cases(engine: Engine, make_submission: MakeSubmission) -> list[str]:
    ids = []
    for name, id_number, item, day in PEOPLE:
        sub = save_submission(engine, make_submission(item, name=name, id_number=id_number))
        at = datetime(day.year, day.month, day.day, 10, 0, tzinfo=CHINA_TZ)
        with session_scope(engine) as s:
            s.exec(update(Submission).where(col(Submission.id) == sub.id).values(created_at=at))
        ids.append(sub.id)
    return ids


def _ids(engine: Engine, flt: CaseFilter, *, offset: int = 0, limit: int = 100) -> list[str]:
    with session_scope(engine) as s:
        found = [c.id for c in list_submissions(s, flt, offset=offset, limit=limit)]
        assert count_submissions(s, flt) >= len(found)
        return found


def test_list_is_newest_first_and_paged(engine: Engine, cases: list[str]) -> None:
    newest_first = cases[::-1]
    assert _ids(engine, CaseFilter()) == newest_first
    assert _ids(engine, CaseFilter(), offset=1, limit=2) == newest_first[1:3]
    with session_scope(engine) as s:
        assert count_submissions(s) == 4


@pytest.mark.parametrize(("flt", "expected"), [
    (CaseFilter(item_code="RS01"), [2, 0]),
    (CaseFilter(search="002x"), [0]),  # last digits, lower-case x forgiven
    (CaseFilter(search="14"), [1]),
    (CaseFilter(search="张三"), [1]),  # exact name, compared masked
    (CaseFilter(search="张三丰"), [0]),
    (CaseFilter(search="张"), [1, 0]),  # surname
    (CaseFilter(search="欧阳明明"), [3]),
    (CaseFilter(search="王五"), []),
    (CaseFilter(sync_state="queued", item_code="MZ05"), [3]),
    (CaseFilter(status="受理"), []),
])
def test_filters(engine: Engine, cases: list[str], flt: CaseFilter, expected: list[int]) -> None:
    assert _ids(engine, flt) == [cases[i] for i in expected]
    with session_scope(engine) as s:
        assert count_submissions(s, flt) == len(expected)


def test_lookup_by_full_id_number_tells_apart_numbers_ending_alike(
        engine: Engine, cases: list[str], make_submission: MakeSubmission, id_key: bytes) -> None:
    """The index finds the cases ending in the same four characters; the HMAC picks the
    person's among them (and a number never saved finds nothing)."""
    twin = save_submission(engine, make_submission(name="王五", id_number="420106197507071234"))
    assert _ids(engine, CaseFilter(id_number=IdLookup.of("420106197507071234", id_key))) \
        == [twin.id]
    assert _ids(engine, CaseFilter(id_number=IdLookup.of("420106198001011234", id_key))) \
        == [cases[2]]
    assert _ids(engine, CaseFilter(id_number=IdLookup.of("420106196001011234", id_key))) == []
    assert _ids(engine, CaseFilter(search="1234")) == [twin.id, cases[2]]


def test_date_range_in_beijing_days(engine: Engine, cases: list[str]) -> None:
    start, end = china_day_bounds(date(2025, 3, 2))
    assert _ids(engine, CaseFilter(created_from=start, created_to=end)) == [cases[2], cases[1]]
    start, end = china_day_bounds(date(2025, 3, 1), date(2025, 3, 4))
    assert len(_ids(engine, CaseFilter(created_from=start, created_to=end))) == 3
    assert end - start == timedelta(days=4)


def test_exact_lookup_by_full_id_number_and_by_ref(engine: Engine, cases: list[str],
                                                   id_key: bytes) -> None:
    wanted = IdLookup.of("420106198001011234", id_key)
    assert _ids(engine, CaseFilter(id_number=wanted)) == [cases[2]]
    with session_scope(engine) as s:
        sub = s.get(Submission, cases[3])
        assert sub is not None
        typed = " " + sub.tracking_ref.lower().replace("-", " ") + " "
        found = get_submission_by_ref(s, typed)
        assert found is not None and found.id == cases[3]
        assert get_submission_by_ref(s, "HY-nonsense") is None
    # (one session at a time: the engine has a single connection)
    assert _ids(engine, CaseFilter(search=sub.tracking_ref)) == [cases[3]]


def test_status_changes_are_idempotent_and_ordered(engine: Engine, cases: list[str]) -> None:
    sid = cases[0]
    t0 = utcnow()
    with session_scope(engine) as s:
        mark_acked(s, sid, "R-100", at=t0)
        apply_status_change(s, receipt_no="R-100", status="审核中", at=t0 + timedelta(hours=1))
        apply_status_change(s, receipt_no="R-100", status="已办结", at=t0 + timedelta(hours=3),
                            note="结果已送达")
        # a retried pull repeats one, and an older change arrives late:
        apply_status_change(s, receipt_no="R-100", status="审核中", at=t0 + timedelta(hours=1))
        apply_status_change(s, submission_id=sid, status="补正材料", at=t0 + timedelta(hours=2))
        assert apply_status_change(s, receipt_no="R-unknown", status="受理", at=t0) is None
    with session_scope(engine) as s:
        sub = s.get(Submission, sid)
        assert sub is not None and sub.status == "已办结"
        assert [h.status for h in status_history(s, sid)] == \
            ["已保存", "受理", "审核中", "补正材料", "已办结"]
    assert _ids(engine, CaseFilter(status="已办结")) == [sid]
    with pytest.raises(ValueError, match="exactly one"), session_scope(engine) as s:
        apply_status_change(s, status="x", at=t0)


def _record(sid: str, rid: str, level: str, at: datetime) -> RatingRecord:
    return RatingRecord(id=rid, submission_id=sid, level=level, reason=None, words="",
                        rated_at=at, operator="王帮办")


def test_rating(engine: Engine, cases: list[str]) -> None:
    t0 = datetime(2026, 9, 18, 2, 0, tzinfo=UTC)
    with session_scope(engine) as s:
        assert add_rating(s, _record(cases[0], "r1", "very_satisfied", t0), b"{}", deadline=None)
        assert not add_rating(s, _record("missing", "r2", "satisfied", t0), b"{}",
                              deadline=None)
    with session_scope(engine) as s:
        assert (sub := s.get(Submission, cases[0])) is not None and sub.rating == 5
    with pytest.raises(ValueError), session_scope(engine) as s:  # not one of the five levels
        add_rating(s, _record(cases[0], "r3", "great", t0), b"{}", deadline=None)
    later = t0.replace(month=10)
    with session_scope(engine) as s:
        assert add_rating(s, _record(cases[0], "r4", "dissatisfied", later), b"{}",
                          deadline=date(2026, 10, 19))
    with session_scope(engine) as s:
        assert [r.id for r in ratings_of(s, cases[0])] == ["r4", "r1"]  # newest first
        assert (sub := s.get(Submission, cases[0])) is not None and sub.rating == 2
        (open_one,) = open_followups(s)
        assert (open_one.followup.rating_id, open_one.followup.deadline) == (
            "r4", date(2026, 10, 19))


def test_drafts(engine: Engine) -> None:
    with session_scope(engine) as s:
        save_draft(s, "d1", operator="w1", item_code="RS01", payload={"姓名": "张"})
        save_draft(s, "d2", operator="w2", payload={})
    with session_scope(engine) as s:
        save_draft(s, "d1", operator="w1", item_code="RS01", payload={"姓名": "张三"},
                   materials=["户口簿"])
    with session_scope(engine) as s:
        d1 = load_draft(s, "d1")
        assert d1 is not None and d1.payload == {"姓名": "张三"} and d1.materials == ["户口簿"]
        assert [d.id for d in list_drafts(s)] == ["d1", "d2"]
        assert [d.id for d in list_drafts(s, operator="w2")] == ["d2"]
        assert delete_draft(s, "d2") and not delete_draft(s, "d2")


def test_settings(engine: Engine) -> None:
    with session_scope(engine) as s:
        assert get_setting(s, "sync.cursor") is None
        assert get_setting(s, "sync.cursor", "0") == "0"
        set_setting(s, "sync.cursor", "17")
    with session_scope(engine) as s:
        set_setting(s, "sync.cursor", "18")
    with session_scope(engine) as s:
        assert get_setting(s, "sync.cursor") == "18"


def test_audit_rows_cannot_be_updated_or_deleted(engine: Engine) -> None:
    with session_scope(engine) as s:
        append_audit(s, "worker-01", "case.printed", "HY250314-AAAAAAAA", {"copies": 1})
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(exc.IntegrityError, match="审计记录只能追加"), engine.begin() as conn:
            conn.execute(text(statement))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT actor, detail FROM audit_event")).one()
    assert row == ("worker-01", '{"copies": 1}')


def test_catalogue_versions_swap_atomically(engine: Engine) -> None:
    items = [ItemDefinition("RS01", "城乡居民医保个人参保登记", "1", {"fields": []})]
    with session_scope(engine) as s:
        add_catalogue_version(s, "2025.1", items, header={"catalogue_version": "2025.1"},
                              source=CatalogueSource.BUNDLED)
        activate_catalogue_version(s, "2025.1")
        add_catalogue_version(s, "2025.2", items, header={"catalogue_version": "2025.2"},
                              source=CatalogueSource.PULLED, etag='"e2"')
    with session_scope(engine) as s:
        activate_catalogue_version(s, "2025.2")
        with pytest.raises(StoreError, match="2099"):
            activate_catalogue_version(s, "2099")
    with session_scope(engine) as s:
        active = active_catalogue_version(s)
        assert active is not None and active.version == "2025.2"
        item = catalogue_item(s, "2025.1", "RS01")
        assert item is not None and item.name == "城乡居民医保个人参保登记"
    with pytest.raises(exc.IntegrityError), engine.begin() as conn:  # never two active
        conn.execute(text("UPDATE catalogue_version SET active = 1"))
