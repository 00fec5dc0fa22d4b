"""Case lifecycle at the district, the per-station change feed, and answer statistics.

Status changes are appended, never edited: the feed a station pulls is exactly this history,
read after a cursor, so a station that was offline for a week still sees every step.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Engine, bindparam, func
from sqlmodel import Session, col, select

from district_backend.audit_heads import alert_counts
from district_backend.db import iso_utc
from district_backend.feedback import feedback_stats
from district_backend.models import AdminEvent, CaseEvent, ReceivedSubmission, Station
from station_app.domain.lifecycle import (
    INITIAL_STATUS,
    CaseStatus,
    InvalidTransition,
    check_transition,
)
from station_app.wire.protocol import ChangeEvent, ChangesResponse

NOTE_MAX = 500  # ChangeEvent.note on the wire, and the column's length


class CaseError(Exception):
    """A status change that is not allowed; the message names the case and the reason."""


def advance(engine: Engine, receipt_no: str, status: str, note: str, *,
            now: float, actor: str = "system") -> ChangeEvent:
    """Append a status change after checking it follows the lifecycle; ``actor`` goes to the
    admin log in the same transaction."""
    try:
        new = CaseStatus(status)
    except ValueError:
        raise CaseError(f"未知的状态 {status}（可用：{'、'.join(CaseStatus)}）") from None
    if len(note) > NOTE_MAX:
        # Checked here, not left to the database: SQLite would store it and the change feed
        # could then never be served; PostgreSQL would refuse it with a bare driver error.
        raise CaseError(f"说明最多 {NOTE_MAX} 个字，本次 {len(note)} 个字")
    with Session(engine) as session, session.begin():
        sub = session.exec(select(ReceivedSubmission).where(
            ReceivedSubmission.receipt_no == receipt_no)).first()
        if sub is None:
            raise CaseError(f"没有回执号为 {receipt_no} 的办件")
        # Lock the station row: a station's events are then written one transaction at a
        # time, so on PostgreSQL no id can become visible after a larger one was read.
        session.exec(select(Station).where(Station.id == sub.station_id).with_for_update()).one()
        current = session.exec(select(CaseEvent.status).where(
            CaseEvent.receipt_no == receipt_no).order_by(col(CaseEvent.id).desc())).first()
        try:  # the domain's table is the one workflow, for the stations and the district
            check_transition(CaseStatus(current or INITIAL_STATUS), new)
        except InvalidTransition as e:
            raise CaseError(f"办件 {receipt_no}：{e}") from None
        event = CaseEvent(station_id=sub.station_id, receipt_no=receipt_no,
                          submission_id=sub.submission_id, status=new.value, at=iso_utc(now),
                          note=note)
        session.add(event)
        session.add(AdminEvent(at=iso_utc(now), actor=actor, action="case.advanced",
                               subject=receipt_no, detail=new.value))
        session.flush()
        return _wire(event)


def _wire(e: CaseEvent) -> ChangeEvent:
    assert e.id is not None
    return ChangeEvent.model_validate({
        "event_id": e.id, "receipt_no": e.receipt_no, "submission_id": e.submission_id,
        "status": e.status, "at": e.at, "note": e.note})


def changes(engine: Engine, station_id: str, cursor: int, limit: int) -> ChangesResponse:
    """This station's events with id > cursor, oldest first; `more` says whether to ask again."""
    with Session(engine) as session:
        rows = session.exec(
            select(CaseEvent)
            # 64-bit, whatever the id column is (INTEGER on PostgreSQL): any protocol cursor
            # compares, and one beyond every id simply finds nothing.
            .where(CaseEvent.station_id == station_id,
                   col(CaseEvent.id) > bindparam("cursor", cursor, type_=BigInteger))
            .order_by(col(CaseEvent.id))
            .limit(limit + 1)
        ).all()
        page = [_wire(r) for r in rows[:limit]]
    next_cursor = page[-1].event_id if page else cursor
    return ChangesResponse(changes=page, next_cursor=next_cursor, more=len(rows) > limit)


def stats(engine: Engine) -> list[dict[str, Any]]:
    """Per station: rows received, retries answered as duplicates, conflicts, rejections,
    audit alerts, and 好差评: ratings per level (wire names), follow-ups open and closed."""
    with Session(engine) as session:
        received = dict(session.exec(
            select(ReceivedSubmission.station_id, func.count())
            .group_by(col(ReceivedSubmission.station_id))).all())
        stations = session.exec(select(Station).order_by(col(Station.id))).all()
        alerts = alert_counts(session)
        feedback = feedback_stats(session)
        empty = {"ratings": {}, "followups_open": 0, "followups_closed": 0}
        return [
            {"station_id": s.id, "name": s.name, "received": received.get(s.id, 0),
             "duplicates": s.duplicates, "conflicts": s.conflicts, "rejected": s.rejected,
             "retries": s.retries, "audit_alerts": alerts.get(s.id, 0),
             **feedback.get(s.id, empty)}
            for s in stations
        ]
