"""Push handling: one result per item, exactly one row per (station, submission id).

The order of checks matters. An id already stored is answered from the stored row before
anything else is looked at, so a retry gets its original receipt even if the catalogue has
changed since. Rejection is reserved for what no retry can fix; missing attachments are
answered "retry" (see `_missing_attachments`). All items of a batch share one transaction
holding the station's row lock, which serializes a station's pushes and case events (the
change-feed cursor relies on that on PostgreSQL; SQLite serializes writers anyway).

Each item runs in its own savepoint: whatever one item does to the handler (a value the
database refuses, a bug met only by that item) rolls back that item alone, which is answered
"rejected" while the others go on (DESIGN invariant 8). Only a failing database (connection
lost, locked, disk full) fails the whole request, because then no item's outcome is known.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlmodel import Session, select

from district_backend.attachments import AttachmentStore
from district_backend.db import china_day, iso_utc
from district_backend.errors import crash_summary
from district_backend.models import CaseEvent, ReceiptCounter, ReceivedSubmission, Station
from station_app.domain.catalogue import FieldRef, FieldType, FormField
from station_app.domain.catalogue_loader import Catalogue
from station_app.wire.bounds import text_problem
from station_app.wire.canonical import canonical_json, content_sha256
from station_app.wire.protocol import (
    SHA256_PATTERN,
    UUID_PATTERN,
    PushEnvelope,
    PushItemResult,
    PushResponse,
    WireSubmission,
)

log = logging.getLogger(__name__)
_SHA256 = re.compile(SHA256_PATTERN)
_UUID = re.compile(UUID_PATTERN)
REASON_MAX = 500  # PushItemResult.reason's limit
ECHO_MAX = 64  # PushItemResult.submission_id's limit
ITEM_FAILED = "区后台处理此件时出错（已记录），此件未保存；请联系区里核查，其余办件不受影响"
_DATABASE_DOWN = (OperationalError, InterfaceError)  # the database, not the item
_ERRORS = {
    "missing": "缺少", "extra_forbidden": "不认识的字段", "string_type": "须为文本",
    "int_type": "须为整数", "bool_type": "须为 true/false", "dict_type": "须为键值表",
    "list_type": "须为列表", "model_type": "须为键值表", "string_pattern_mismatch": "格式不对",
    "string_too_short": "不能为空", "string_too_long": "太长", "too_long": "项数太多",
    "greater_than_equal": "数值太小", "less_than_equal": "数值太大",
    "string_type_unicode": "须为文本", "literal_error": "取值不对",
}


def receipt_number(station_id: str, day: str, seq: int) -> str:
    return f"HY-{station_id}-{day}-{seq:04d}"


class Ingest:
    def __init__(self, engine: Engine, attachments: AttachmentStore) -> None:
        self._engine = engine
        self._attachments = attachments

    def push(self, station_id: str, envelope: PushEnvelope, catalogue: Catalogue,
             now: float) -> PushResponse:
        results: list[PushItemResult] = []
        with Session(self._engine) as session, session.begin():
            station = session.exec(
                select(Station).where(Station.id == station_id).with_for_update()).one()
            for index, raw in enumerate(envelope.submissions):
                results.append(self._isolated(session, station_id, index, raw, catalogue, now))
            counts = Counter(r.outcome for r in results)
            station.duplicates += counts["duplicate"]
            station.conflicts += counts["conflict"]
            station.rejected += counts["rejected"]
            station.retries += counts["retry"]
            session.add(station)
        return PushResponse(results=results)

    def _isolated(self, session: Session, station_id: str, index: int, raw: Any,
                  catalogue: Catalogue, now: float) -> PushItemResult:
        """One item in its own savepoint; an unexpected failure rejects this item only."""
        try:
            with session.begin_nested():
                return self._item(session, station_id, index, raw, catalogue, now)
        except _DATABASE_DOWN:
            raise
        except Exception as e:  # whatever it is, it must not fail the batch
            # No exception text: a database error's text carries the item's values.
            log.error("push from station %s: item %d (%s) answered rejected after %s",
                      station_id, index, _echo_id(raw) or "no valid id", crash_summary(e))
            return _rejected(index, _echo_id(raw), ITEM_FAILED)

    def _item(self, session: Session, station_id: str, index: int, raw: Any,
              catalogue: Catalogue, now: float) -> PushItemResult:
        if not isinstance(raw, dict):
            return _rejected(index, "", "办件须为 JSON 对象")
        sid = _echo_id(raw)
        try:
            digest = content_sha256(raw)
        except (ValueError, UnicodeEncodeError, RecursionError):  # 1e400, a lone surrogate…
            return _rejected(index, sid, "办件含有无法编码的内容（超出范围的数值或非法字符）")
        if _UUID.match(sid):  # stored before? answer that, whatever today's rules say
            known = _answer_known(session, station_id, index, sid, digest)
            if known is not None:
                return known
        try:
            sub = WireSubmission.model_validate(raw)
        except ValidationError as e:
            return _rejected(index, sid, "办件格式不对：" + _explain(e))
        problem = _semantic_problem(sub, catalogue)
        if problem:
            return _rejected(index, sid, problem)
        needed = sub.attachment_hashes() | _payload_attachments(sub, catalogue)
        missing = self._attachments.missing(session, needed)
        if missing:
            return PushItemResult(
                index=index, submission_id=sid, outcome="retry", missing_attachments=missing,
                reason=f"有 {len(missing)} 个附件尚未上传，请先上传附件再重发此件")
        try:
            with session.begin_nested():
                receipt = _next_receipt(session, station_id, now)
                session.add(_row(station_id, sub, raw, digest, receipt, now))
                session.add(CaseEvent(station_id=station_id, receipt_no=receipt,
                                      submission_id=sub.submission_id, status="受理",
                                      at=iso_utc(now)))
        except IntegrityError:  # the same id committed concurrently: answer from that row
            known = _answer_known(session, station_id, index, sid, digest)
            if known is None:
                raise
            return known
        return PushItemResult(index=index, submission_id=sid, outcome="accepted",
                              receipt_no=receipt)


def _echo_id(raw: Any) -> str:
    """The item's submission_id as it can be echoed back: the station matches results by it,
    so a valid one is returned as sent; anything else is cut and made encodable."""
    sid = raw.get("submission_id") if isinstance(raw, dict) else None
    return _printable(sid[:ECHO_MAX]) if isinstance(sid, str) else ""


def _printable(text: str) -> str:
    """Text that can be encoded into the reply whatever the request held."""
    if text_problem(text) is None:
        return text
    cleaned = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() else "?" for c in cleaned)


def _rejected(index: int, sid: str, reason: str) -> PushItemResult:
    # Bounded: an over-long reason would make the whole reply unparsable for the station.
    return PushItemResult(index=index, submission_id=sid, outcome="rejected",
                          reason=_printable(reason)[:REASON_MAX])


def _explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p)[:40] for p in err["loc"][:6]) or "（整体）"
        if err["type"] == "value_error":  # our own bounds: their message is the reason
            what = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            what = _ERRORS.get(err["type"], err["msg"])
        parts.append(f"{where} {what}")
    return "；".join(parts)


def _answer_known(session: Session, station_id: str, index: int, sid: str,
                  digest: str) -> PushItemResult | None:
    row = session.exec(select(ReceivedSubmission).where(
        ReceivedSubmission.station_id == station_id,
        ReceivedSubmission.submission_id == sid)).first()
    if row is None:
        return None
    if row.content_sha256 == digest:
        return PushItemResult(index=index, submission_id=sid, outcome="duplicate",
                              receipt_no=row.receipt_no)
    return PushItemResult(
        index=index, submission_id=sid, outcome="conflict",
        reason=f"此办件编号已于 {row.received_at} 以不同内容受理（回执号 {row.receipt_no}），"
               "本次内容未保存；请核对后作为新办件提交")


def _semantic_problem(sub: WireSubmission, catalogue: Catalogue) -> str | None:
    if sub.item_code not in catalogue.items:
        return f"事项编码 {sub.item_code} 不在区里的事项目录中（目录版本 {catalogue.version}）"
    if sub.bundle_code is not None:
        try:
            bundle = catalogue.bundle(sub.bundle_code)
        except KeyError:
            return f"联办编码 {sub.bundle_code} 不在区里的事项目录中"
        if sub.item_code not in bundle.items:
            return f"事项 {sub.item_code} 不属于联办 {sub.bundle_code}"
    bad = _payload_attachments(sub, catalogue, invalid=True)
    if bad:
        return f"附件字段 {'、'.join(sorted(bad))} 的值不是 SHA-256"
    return None


def _payload_attachments(sub: WireSubmission, catalogue: Catalogue, *,
                         invalid: bool = False) -> set[str]:
    """SHA-256 values of the form's attachment fields (or, with invalid=True, the keys of
    attachment fields whose values are not SHA-256 strings)."""
    item = catalogue.items[sub.item_code]
    fields: list[FormField] = [
        catalogue.common_field(f.ref) if isinstance(f, FieldRef) else f for f in item.fields]
    found: set[str] = set()
    _collect(fields, sub.payload, found, invalid)
    return found


def _collect(fields: list[FormField], values: Any, found: set[str], invalid: bool) -> None:
    if not isinstance(values, dict):
        return
    for f in fields:
        value = values.get(f.key)
        if f.type is FieldType.GROUP and isinstance(value, list):
            for row in value:
                _collect(list(f.fields or ()), row, found, invalid)
        elif f.type is FieldType.ATTACHMENT and value not in (None, "", []):
            for v in value if isinstance(value, list) else [value]:
                sha = _attachment_sha(v)
                if invalid and sha is None:
                    found.add(f.key)
                elif not invalid and sha is not None:
                    found.add(sha)


def _attachment_sha(value: Any) -> str | None:
    """The SHA-256 an attachment field names: the station sends {sha256, filename, size, mime};
    a bare hash string is accepted too."""
    if isinstance(value, dict):
        value = value.get("sha256")
    if isinstance(value, str) and _SHA256.match(value) is not None:
        return value
    return None


def _next_receipt(session: Session, station_id: str, now: float) -> str:
    day = china_day(now)
    counter = session.get(ReceiptCounter, (station_id, day), with_for_update=True)
    if counter is None:
        counter = ReceiptCounter(station_id=station_id, day=day, last_seq=0)
    counter.last_seq += 1
    session.add(counter)
    session.flush()
    return receipt_number(station_id, day, counter.last_seq)


def _row(station_id: str, sub: WireSubmission, raw: dict[str, Any], digest: str,
         receipt: str, now: float) -> ReceivedSubmission:
    return ReceivedSubmission(
        station_id=station_id, submission_id=sub.submission_id, content_sha256=digest,
        receipt_no=receipt, item_code=sub.item_code, bundle_code=sub.bundle_code,
        catalogue_version=sub.catalogue_version, form_version=sub.form_version,
        tracking_ref=sub.tracking_ref, operator=sub.operator, created_at=sub.created_at,
        received_at=iso_utc(now), body=canonical_json(raw).decode("utf-8"))
