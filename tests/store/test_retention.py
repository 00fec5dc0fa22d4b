"""Retention with a fake clock: old finished cases lose their personal data down to the file's
bytes, keep a minimal record, and nothing unsynced or unfinished is ever touched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import select

from station_app.domain.lifecycle import CaseStatus, SyncState
from station_app.services.retention import run_retention
from station_app.services.saving import save_submission
from station_app.store.audit import verify_chain
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent, Draft, OutboxEntry, StatusHistory, Submission
from station_app.store.outbox import mark_acked
from station_app.store.records import save_draft
from station_app.store.submissions import apply_status_change
from tests.store.conftest import MakeSubmission

T0 = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
DAYS = 180
PEOPLE = {  # name, ID number (valid checksums), phone
    "old_done": ("欧阳秀英", "420105195803150026", "13971234567"),
    "old_open": ("司马建国", "420105195205060012", "13871234568"),
    "old_unsynced": ("诸葛红梅", "420105194911110048", "13771234569"),
    "recent_done": ("上官志强", "420105196302020010", "13671234560"),
}


def _case(engine: Engine, make: MakeSubmission, key: str, *, synced: bool,
          statuses: list[CaseStatus], at: datetime) -> str:
    name, id_number, phone = PEOPLE[key]
    sub = save_submission(engine, make(name=name, id_number=id_number,
                                       payload={"姓名": name, "身份证号": id_number,
                                                "手机": phone}))
    with session_scope(engine) as s:
        if synced:
            mark_acked(s, sub.id, f"R-{key}", at=at)
        for i, status in enumerate(statuses):
            apply_status_change(s, submission_id=sub.id, status=status, at=at + timedelta(
                days=i + 1), note=f"请{name}本人来领取")
    return sub.id


def _file_bytes(db_path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db_path.parent.iterdir() if p.is_file())


def test_old_finished_cases_are_purged_to_the_bytes_and_nothing_else_is(
        engine: Engine, db_path: Path, make_submission: MakeSubmission) -> None:
    done = [CaseStatus.REVIEWING, CaseStatus.COMPLETED]
    ids = {
        "old_done": _case(engine, make_submission, "old_done", synced=True, statuses=done, at=T0),
        "old_open": _case(engine, make_submission, "old_open", synced=True,
                          statuses=[CaseStatus.REVIEWING], at=T0),
        "old_unsynced": _case(engine, make_submission, "old_unsynced", synced=False,
                              statuses=[], at=T0),
        "recent_done": _case(engine, make_submission, "recent_done", synced=True, statuses=done,
                             at=T0 + timedelta(days=DAYS)),
    }
    with session_scope(engine) as s:
        save_draft(s, "d-old", operator="w", payload={"姓名": "草稿甲"})
        s.get_one(Draft, "d-old").updated_at = T0
        save_draft(s, "d-new", operator="w", payload={"姓名": "草稿乙"})
    now = T0 + timedelta(days=DAYS + 5)
    report = run_retention(engine, now=now, retention_days=DAYS, compact=True)
    assert (report.cases, report.drafts) == (1, 1)

    raw = _file_bytes(db_path)
    name, id_number, phone = PEOPLE["old_done"]
    for secret in (name, id_number, phone, "草稿甲"):
        assert secret.encode() not in raw, secret
    for key in ("old_open", "old_unsynced", "recent_done"):
        assert PEOPLE[key][1].encode() in raw  # still there: not due

    with session_scope(engine) as s:
        purged = s.get_one(Submission, ids["old_done"])
        assert purged.payload == {} and purged.id_last4 is None and purged.id_hmac is None
        assert purged.purged_at is not None and purged.status == CaseStatus.COMPLETED
        assert purged.sync_state == SyncState.SYNCED and purged.receipt_no == "R-old_done"
        assert purged.applicant_name_masked and purged.tracking_ref
        assert s.get_one(OutboxEntry, 1).body == b""
        assert all(h.note is None for h in s.exec(select(StatusHistory).where(
            StatusHistory.submission_id == ids["old_done"])))
        for key in ("old_open", "old_unsynced", "recent_done"):
            assert s.get_one(Submission, ids[key]).payload["身份证号"] == PEOPLE[key][1]
        assert s.get(Draft, "d-new") is not None
        audit = s.exec(select(AuditEvent).where(AuditEvent.action == "retention.purged")).one()
        assert audit.detail["cases"] == 1
        assert verify_chain(s)[1] is None

    again = run_retention(engine, now=now + timedelta(days=1), retention_days=DAYS)
    assert (again.cases, again.drafts) == (0, 0)


def test_the_daily_run_happens_once_a_day(tmp_path: Path) -> None:
    from station_app.services.context import open_station
    from station_app.services.retention import purge_if_due

    ctx = open_station(tmp_path / "station")
    try:
        morning = datetime(2026, 12, 7, 0, 30, tzinfo=UTC)  # 08:30 in Wuhan
        assert purge_if_due(ctx, morning) is not None
        assert purge_if_due(ctx, morning + timedelta(hours=8)) is None  # same China day
        assert purge_if_due(ctx, morning + timedelta(days=1)) is not None
    finally:
        ctx.close()
