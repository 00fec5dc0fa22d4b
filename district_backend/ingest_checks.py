"""What the backend decides about a pushed item without asking the database.

Both ways of storing a batch (set-based in :mod:`district_backend.ingest_bulk`, one item at a
time in :mod:`district_backend.ingest`) answer through these functions, so an item gets the
same outcome and the same words whichever way its batch went. Rejection is reserved for what
no retry can fix; missing attachments are answered "retry".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from station_app.domain.catalogue import FieldRef, FieldType, FormField
from station_app.domain.catalogue_loader import Catalogue
from station_app.wire.bounds import text_problem
from station_app.wire.canonical import canonical_json
from station_app.wire.patterns import SHA256_PATTERN, UUID_PATTERN
from station_app.wire.protocol import PushItemResult, WireSubmission

_SHA256 = re.compile(SHA256_PATTERN)
_UUID = re.compile(UUID_PATTERN)
REASON_MAX = 500  # PushItemResult.reason's limit
ECHO_MAX = 64  # PushItemResult.submission_id's limit
ITEM_FAILED = "区后台处理此件时出错（已记录），此件未保存；请联系区里核查，其余办件不受影响"
_ERRORS = {
    "missing": "缺少", "extra_forbidden": "不认识的字段", "string_type": "须为文本",
    "int_type": "须为整数", "bool_type": "须为 true/false", "dict_type": "须为键值表",
    "list_type": "须为列表", "model_type": "须为键值表", "string_pattern_mismatch": "格式不对",
    "string_too_short": "不能为空", "string_too_long": "太长", "too_long": "项数太多",
    "greater_than_equal": "数值太小", "less_than_equal": "数值太大",
    "string_type_unicode": "须为文本", "literal_error": "取值不对",
}


@dataclass(frozen=True)
class Sent:
    """An item as received: its id as echoed back, its canonical JSON (stored as the body)
    and the SHA-256 of that JSON (which decides duplicate vs conflict)."""

    index: int
    raw: dict[str, Any]
    sid: str
    body: str
    digest: str

    @property
    def may_be_stored(self) -> bool:
        """Only a well-formed id can name a stored row, so only such ids are looked up."""
        return _UUID.match(self.sid) is not None


def receipt_number(station_id: str, day: str, seq: int) -> str:
    return f"HY-{station_id}-{day}-{seq:04d}"


def first_look(index: int, raw: Any) -> Sent | PushItemResult:
    """The item's id and content hash, or its rejection when it is not an object or holds
    what cannot be encoded (1e400, a lone surrogate…)."""
    if not isinstance(raw, dict):
        return rejected(index, "", "办件须为 JSON 对象")
    sid = echo_id(raw)
    try:
        encoded = canonical_json(raw)
    except (ValueError, UnicodeEncodeError, RecursionError):
        return rejected(index, sid, "办件含有无法编码的内容（超出范围的数值或非法字符）")
    return Sent(index, raw, sid, encoded.decode("utf-8"), hashlib.sha256(encoded).hexdigest())


@dataclass(frozen=True)
class Checked:
    """A submission that passed every check, with the attachments it needs stored."""

    sub: WireSubmission
    needed: set[str]


def checked(sent: Sent, catalogue: Catalogue) -> Checked | PushItemResult:
    """The validated submission, or its rejection (wire schema first, then the catalogue)."""
    try:
        sub = WireSubmission.model_validate(sent.raw)
    except ValidationError as e:
        return rejected(sent.index, sent.sid, "办件格式不对：" + explain(e))
    problem = _catalogue_problem(sub, catalogue)
    if problem:
        return rejected(sent.index, sent.sid, problem)
    hashes, bad = _attachment_fields(sub, catalogue)
    if bad:
        return rejected(sent.index, sent.sid,
                        f"附件字段 {'、'.join(sorted(bad))} 的值不是 SHA-256")
    return Checked(sub, sub.attachment_hashes() | hashes)


def retry(sent: Sent, missing: list[str]) -> PushItemResult:
    return PushItemResult(
        index=sent.index, submission_id=sent.sid, outcome="retry", missing_attachments=missing,
        reason=f"有 {len(missing)} 个附件尚未上传，请先上传附件再重发此件")


def accepted(sent: Sent, receipt_no: str) -> PushItemResult:
    return PushItemResult(index=sent.index, submission_id=sent.sid, outcome="accepted",
                          receipt_no=receipt_no)


def answer_stored(sent: Sent, digest: str, receipt_no: str, received_at: str) -> PushItemResult:
    """The answer for an id already stored: the original receipt when the content is the
    same, a conflict naming that receipt when it is not."""
    if digest == sent.digest:
        return PushItemResult(index=sent.index, submission_id=sent.sid, outcome="duplicate",
                              receipt_no=receipt_no)
    return PushItemResult(
        index=sent.index, submission_id=sent.sid, outcome="conflict",
        reason=f"此办件编号已于 {received_at} 以不同内容受理（回执号 {receipt_no}），"
               "本次内容未保存；请核对后作为新办件提交")


def row_values(station_id: str, sub: WireSubmission, sent: Sent, receipt_no: str,
               received_at: str) -> dict[str, Any]:
    """The submissions row of an accepted item (columns of ReceivedSubmission)."""
    return {
        "station_id": station_id, "submission_id": sub.submission_id,
        "content_sha256": sent.digest, "receipt_no": receipt_no, "item_code": sub.item_code,
        "bundle_code": sub.bundle_code, "catalogue_version": sub.catalogue_version,
        "form_version": sub.form_version, "tracking_ref": sub.tracking_ref,
        "operator": sub.operator, "created_at": sub.created_at, "received_at": received_at,
        "body": sent.body}


def echo_id(raw: Any) -> str:
    """The item's submission_id as it can be echoed back: the station matches results by it,
    so a valid one is returned as sent; anything else is cut and made encodable."""
    sid = raw.get("submission_id") if isinstance(raw, dict) else None
    return printable(sid[:ECHO_MAX]) if isinstance(sid, str) else ""


def printable(text: str) -> str:
    """Text that can be encoded into the reply whatever the request held."""
    if text_problem(text) is None:
        return text
    cleaned = text.encode("utf-8", "replace").decode("utf-8")
    return "".join(c if c.isprintable() else "?" for c in cleaned)


def rejected(index: int, sid: str, reason: str) -> PushItemResult:
    # Bounded: an over-long reason would make the whole reply unparsable for the station.
    return PushItemResult(index=index, submission_id=sid, outcome="rejected",
                          reason=printable(reason)[:REASON_MAX])


def explain(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p)[:40] for p in err["loc"][:6]) or "（整体）"
        if err["type"] == "value_error":  # our own bounds: their message is the reason
            what = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            what = _ERRORS.get(err["type"], err["msg"])
        parts.append(f"{where} {what}")
    return "；".join(parts)


def _catalogue_problem(sub: WireSubmission, catalogue: Catalogue) -> str | None:
    if sub.item_code not in catalogue.items:
        return f"事项编码 {sub.item_code} 不在区里的事项目录中（目录版本 {catalogue.version}）"
    if sub.bundle_code is not None:
        try:
            bundle = catalogue.bundle(sub.bundle_code)
        except KeyError:
            return f"联办编码 {sub.bundle_code} 不在区里的事项目录中"
        if sub.item_code not in bundle.items:
            return f"事项 {sub.item_code} 不属于联办 {sub.bundle_code}"
    return None


def _attachment_fields(sub: WireSubmission, catalogue: Catalogue) -> tuple[set[str], set[str]]:
    """The SHA-256 values of the form's attachment fields, and the keys of attachment fields
    whose values are not SHA-256 strings, found in one walk of the payload."""
    item = catalogue.items[sub.item_code]
    fields: list[FormField] = [
        catalogue.common_field(f.ref) if isinstance(f, FieldRef) else f for f in item.fields]
    hashes: set[str] = set()
    bad: set[str] = set()
    _collect(fields, sub.payload, hashes, bad)
    return hashes, bad


def _collect(fields: list[FormField], values: Any, hashes: set[str], bad: set[str]) -> None:
    if not isinstance(values, dict):
        return
    for f in fields:
        value = values.get(f.key)
        if f.type is FieldType.GROUP and isinstance(value, list):
            for row in value:
                _collect(list(f.fields or ()), row, hashes, bad)
        elif f.type is FieldType.ATTACHMENT and value not in (None, "", []):
            for v in value if isinstance(value, list) else [value]:
                sha = _attachment_sha(v)
                if sha is None:
                    bad.add(f.key)
                else:
                    hashes.add(sha)


def _attachment_sha(value: Any) -> str | None:
    """The SHA-256 an attachment field names: the station sends {sha256, filename, size, mime};
    a bare hash string is accepted too."""
    if isinstance(value, dict):
        value = value.get("sha256")
    if isinstance(value, str) and _SHA256.match(value) is not None:
        return value
    return None
