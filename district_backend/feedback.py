"""好差评 at the district: ratings and follow-up closures, one row per (station, item id),
filed under the case's receipt number.

As for pushed submissions (ingest.py): an id already stored is answered from its row first
(``duplicate`` with the same receipt number, or ``conflict`` for other content); each item
runs in its own savepoint, so one bad item is answered ``rejected`` alone. A rating for a
case not received yet, or a closure for a rating not received yet, is answered ``retry``:
nothing is stored and the station resends the same bytes later (it normally waits for the
case's acknowledgement, so this only happens when the two sides disagree).
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from pydantic import TypeAdapter, ValidationError
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, col, select

from district_backend.db import iso_utc
from district_backend.errors import crash_summary
from district_backend.ingest_checks import ITEM_FAILED, explain, printable
from district_backend.models import (
    ReceivedClosure,
    ReceivedRating,
    ReceivedSubmission,
    Station,
)
from station_app.wire.canonical import content_sha256
from station_app.wire.feedback import (
    ClosureItem,
    FeedbackEnvelope,
    FeedbackItem,
    FeedbackItemResult,
    FeedbackResponse,
    RatingItem,
)
from station_app.wire.patterns import UUID_PATTERN

log = logging.getLogger(__name__)
_UUID = re.compile(UUID_PATTERN)
_ITEM: TypeAdapter[RatingItem | ClosureItem] = TypeAdapter(FeedbackItem)
_DATABASE_DOWN = (OperationalError, InterfaceError)


def _result(index: int, item_id: str, outcome: str, *, receipt: str | None = None,
            reason: str | None = None) -> FeedbackItemResult:
    return FeedbackItemResult.model_validate({
        "index": index, "item_id": item_id, "outcome": outcome, "receipt_no": receipt,
        "reason": None if reason is None else printable(reason)[:500]})


def _echo(raw: Any) -> str:
    iid = raw.get("item_id") if isinstance(raw, dict) else None
    return printable(iid[:64]) if isinstance(iid, str) else ""


def receive(engine: Engine, station_id: str, envelope: FeedbackEnvelope,
            now: float) -> FeedbackResponse:
    results: list[FeedbackItemResult] = []
    with Session(engine) as session, session.begin():
        session.exec(select(Station).where(Station.id == station_id).with_for_update()).one()
        for index, raw in enumerate(envelope.items):
            results.append(_isolated(session, station_id, index, raw, now))
    return FeedbackResponse(results=results)


def _isolated(session: Session, station_id: str, index: int, raw: Any,
              now: float) -> FeedbackItemResult:
    try:
        with session.begin_nested():
            return _item(session, station_id, index, raw, now)
    except _DATABASE_DOWN:
        raise
    except Exception as e:  # one item's trouble must not fail the batch
        log.error("feedback from station %s: item %d answered rejected after %s",
                  station_id, index, crash_summary(e))
        return _result(index, _echo(raw), "rejected", reason=ITEM_FAILED)


def _item(session: Session, station_id: str, index: int, raw: Any,
          now: float) -> FeedbackItemResult:
    if not isinstance(raw, dict):
        return _result(index, "", "rejected", reason="条目须为 JSON 对象")
    iid = _echo(raw)
    try:
        digest = content_sha256(raw)
    except (ValueError, UnicodeEncodeError, RecursionError):
        return _result(index, iid, "rejected", reason="条目含有无法编码的内容")
    if _UUID.match(iid):
        known = _known(session, station_id, index, iid, digest, raw.get("kind"))
        if known is not None:
            return known
    try:
        item = _ITEM.validate_python(raw)
    except ValidationError as e:
        return _result(index, iid, "rejected", reason="条目格式不对：" + explain(e))
    try:
        with session.begin_nested():
            if isinstance(item, RatingItem):
                return _rating(session, station_id, index, item, digest, now)
            return _closure(session, station_id, index, item, digest, now)
    except IntegrityError:  # the same id committed meanwhile: answer from that row
        known = _known(session, station_id, index, iid, digest, raw.get("kind"))
        if known is None:
            raise
        return known


def _known(session: Session, station_id: str, index: int, iid: str, digest: str,
           kind: Any) -> FeedbackItemResult | None:
    row: ReceivedRating | ReceivedClosure | None
    if kind == "closure":
        row = session.exec(select(ReceivedClosure).where(
            ReceivedClosure.station_id == station_id, ReceivedClosure.closure_id == iid)).first()
    else:
        row = session.exec(select(ReceivedRating).where(
            ReceivedRating.station_id == station_id, ReceivedRating.rating_id == iid)).first()
    if row is None:
        return None
    if row.content_sha256 == digest:
        return _result(index, iid, "duplicate", receipt=row.receipt_no)
    return _result(index, iid, "conflict", reason=f"此编号已于 {row.received_at} 以不同内容收到"
                   f"（回执号 {row.receipt_no}），本次未保存")


def _rating(session: Session, station_id: str, index: int, item: RatingItem, digest: str,
            now: float) -> FeedbackItemResult:
    case = session.exec(select(ReceivedSubmission).where(
        ReceivedSubmission.station_id == station_id,
        ReceivedSubmission.submission_id == item.submission_id)).first()
    if case is None:
        return _result(index, item.item_id, "retry",
                       reason="区后台尚未收到此评价所属的办件，请先上报办件再重发评价")
    if case.tracking_ref != item.tracking_ref:
        return _result(index, item.item_id, "rejected",
                       reason=f"受理编号 {item.tracking_ref} 与办件的受理编号不一致")
    session.add(ReceivedRating(
        station_id=station_id, rating_id=item.item_id, receipt_no=case.receipt_no,
        submission_id=item.submission_id, level=item.level.value,
        reason=item.reason.value if item.reason else None, words=item.words,
        rated_at=item.rated_at, operator=item.operator,
        followup_deadline=item.followup_deadline, legacy=item.legacy,
        needs_followup=item.level.is_negative and not item.legacy,
        content_sha256=digest, received_at=iso_utc(now)))
    session.flush()
    return _result(index, item.item_id, "accepted", receipt=case.receipt_no)


def _closure(session: Session, station_id: str, index: int, item: ClosureItem, digest: str,
             now: float) -> FeedbackItemResult:
    rating = session.exec(select(ReceivedRating).where(
        ReceivedRating.station_id == station_id,
        ReceivedRating.rating_id == item.rating_id)).first()
    if rating is None:
        return _result(index, item.item_id, "retry",
                       reason="区后台尚未收到此回访所属的评价，请先上报评价再重发")
    if rating.submission_id != item.submission_id or not rating.needs_followup:
        return _result(index, item.item_id, "rejected",
                       reason="此评价不是需要回访的差评，或不属于所述办件")
    closed = session.exec(select(ReceivedClosure).where(
        ReceivedClosure.station_id == station_id,
        ReceivedClosure.rating_id == item.rating_id)).first()
    if closed is not None:
        return _result(index, item.item_id, "conflict",
                       reason=f"此差评的回访已于 {closed.received_at} 办结（另一编号），本次未保存")
    session.add(ReceivedClosure(
        station_id=station_id, closure_id=item.item_id, rating_id=item.rating_id,
        receipt_no=rating.receipt_no, closed_at=item.closed_at, closed_by=item.closed_by,
        notes=item.notes, content_sha256=digest, received_at=iso_utc(now)))
    session.flush()
    return _result(index, item.item_id, "accepted", receipt=rating.receipt_no)


def feedback_stats(session: Session) -> dict[str, dict[str, Any]]:
    """Per station: ratings per level, and follow-ups open and closed."""
    out: dict[str, dict[str, Any]] = {}
    levels = session.exec(select(ReceivedRating.station_id, ReceivedRating.level, func.count())
                          .group_by(col(ReceivedRating.station_id),
                                    col(ReceivedRating.level))).all()
    for station, level, n in levels:
        out.setdefault(str(station), _empty())["ratings"][str(level)] = int(n)
    expected: Counter[str] = Counter(dict(session.exec(
        select(ReceivedRating.station_id, func.count())
        .where(col(ReceivedRating.needs_followup))
        .group_by(col(ReceivedRating.station_id))).all()))
    closed: Counter[str] = Counter(dict(session.exec(
        select(ReceivedClosure.station_id, func.count())
        .group_by(col(ReceivedClosure.station_id))).all()))
    for station in set(expected) | set(closed):
        entry = out.setdefault(str(station), _empty())
        entry["followups_closed"] = closed[station]
        entry["followups_open"] = expected[station] - closed[station]
    return out


def _empty() -> dict[str, Any]:
    return {"ratings": {}, "followups_open": 0, "followups_closed": 0}
