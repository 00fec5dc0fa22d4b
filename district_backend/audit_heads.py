"""The district's memory of each station's audit chain.

Every head a station reports is kept. A report is checked against what was seen before: the
anchor (the chain hash at a position the district already knows) must match, the head at an
already-seen position must match, and the chain must not be shorter than the longest one
seen. A mismatch is recorded as an alert — the report is still taken, since service must go
on — and counted in ``district-backend stats``.
"""

from __future__ import annotations

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from district_backend.db import iso_utc
from district_backend.models import AuditAlert, AuditHeadSeen
from station_app.wire.protocol import AuditHeadReply, AuditHeadReport


def record(engine: Engine, station_id: str, report: AuditHeadReport,
           now: float) -> AuditHeadReply:
    at = iso_utc(now)
    with Session(engine) as session, session.begin():
        seen = {row.seq: row.hash for row in session.exec(
            select(AuditHeadSeen).where(col(AuditHeadSeen.station_id) == station_id)
            .where(col(AuditHeadSeen.seq).in_([report.seq, report.anchor_seq])))}
        longest = session.exec(select(func.max(AuditHeadSeen.seq)).where(
            col(AuditHeadSeen.station_id) == station_id)).one() or 0
        alerts: list[tuple[str, str]] = []
        if seen.get(report.anchor_seq, report.anchor_hash) != report.anchor_hash:
            alerts.append(("rewritten", f"第 {report.anchor_seq} 条处的链哈希与此前报送的不同"))
        if seen.get(report.seq, report.hash) != report.hash:
            alerts.append(("rewritten", f"第 {report.seq} 条处的链哈希与此前报送的不同"))
        if report.seq < longest:
            alerts.append(("truncated",
                           f"审计记录只剩 {report.seq} 条，此前已报送到第 {longest} 条"))
        for kind, detail in alerts:
            session.add(AuditAlert(station_id=station_id, at=at, kind=kind, detail=detail))
        if report.seq not in seen and not alerts:
            session.add(AuditHeadSeen(station_id=station_id, seq=report.seq, hash=report.hash,
                                      at=at))
        return AuditHeadReply(known_seq=max(longest, report.seq if not alerts else longest))


def alert_counts(session: Session) -> dict[str, int]:
    rows = session.exec(select(AuditAlert.station_id, func.count())
                        .group_by(col(AuditAlert.station_id))).all()
    return {str(s): int(n) for s, n in rows}
