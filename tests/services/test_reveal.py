"""Reading a resident's full record is possible, and never unnoticed."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import col, select

from station_app.services.case_record import reveal_case
from station_app.services.context import open_station
from station_app.services.saving import ApplicantIndex, NewSubmission, save_submission
from station_app.store.engine import session_scope
from station_app.store.models import AuditEvent


def test_revealing_a_case_is_audited_with_who_and_why(tmp_path: Path) -> None:
    ctx = open_station(tmp_path / "station", operator="李强（W002）")
    try:
        sub = save_submission(ctx.engine, NewSubmission(
            item_code="RS04", catalogue_version="2026.11.1", form_version="1",
            payload={"name": "欧阳秀英", "id_number": "420105195803150026"},
            operator=ctx.operator, applicant=ApplicantIndex.of("欧阳秀英", None, b"k" * 32)))
        full = reveal_case(ctx, sub.id, purpose="resident_check")
        assert full["id_number"] == "420105195803150026"
        assert reveal_case(ctx, "no-such-case", purpose="resident_check") == {}
        with session_scope(ctx.engine) as s:
            rows = s.exec(select(AuditEvent).where(AuditEvent.action == "case.revealed")
                          .order_by(col(AuditEvent.id))).all()
            seen = [(r.actor, r.subject, r.detail) for r in rows]
    finally:
        ctx.close()
    assert seen == [("李强（W002）", sub.tracking_ref, {"purpose": "resident_check"})]
