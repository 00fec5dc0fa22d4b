"""Wire format of the station <-> district sync API, defined once for both sides.

Every model is strict and forbids unknown keys: a reply that does not match exactly is
"unparsable", which the station treats as "outcome unknown" (DESIGN invariant 3) instead of
guessing. Bytes on the wire are canonical JSON so that a retry resends identical bytes and both
sides compute the same content hash (invariant 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    JsonValue,
    model_validator,
)

from station_app.domain.lifecycle import CaseStatus
from station_app.wire.bounds import MAX_EVENT_ID, MAX_FORM_VERSION, check_payload, check_text
from station_app.wire.canonical import canonical_json, content_sha256
from station_app.wire.patterns import SHA256_PATTERN, STATION_ID_PATTERN, UUID_PATTERN

PROTOCOL_VERSION: Final = 1
API_PREFIX: Final = "/v1"
MAX_BATCH_ITEMS: Final = 100
MAX_BATCH_BYTES: Final = 2 * 1024 * 1024  # whole POST /v1/push body
MAX_ATTACHMENT_BYTES: Final = 20 * 1024 * 1024
MAX_CHANGES_LIMIT: Final = 500



def _aware_iso8601(v: str) -> str:
    # Kept as written (not re-rendered) so that hashes over it stay stable.
    try:
        parsed = datetime.fromisoformat(v)
    except ValueError:
        raise ValueError("须为 ISO 8601 时间") from None
    if parsed.tzinfo is None:
        raise ValueError("时间须带时区")
    return v


IsoTime = Annotated[str, Field(min_length=10, max_length=40), AfterValidator(_aware_iso8601)]
SubmissionId = Annotated[str, Field(pattern=UUID_PATTERN)]
Sha256Hex = Annotated[str, Field(pattern=SHA256_PATTERN)]
StationId = Annotated[str, Field(pattern=STATION_ID_PATTERN)]
# Free text that is stored in a column and hashed: no control characters, no lone surrogates
# (station_app.wire.bounds says why each limit exists).
WireText = Annotated[str, AfterValidator(check_text)]
Payload = Annotated[dict[str, JsonValue], BeforeValidator(check_payload)]
EventId = Annotated[int, Field(ge=1, le=MAX_EVENT_ID)]

# Case statuses travel as the values of station_app.domain.lifecycle.CaseStatus (受理, 审核中,
# …); the vocabulary and its transitions are defined there, once, for both programs.
WireCaseStatus = Annotated[CaseStatus, Field(strict=False)]

# accepted/duplicate: stored, ack with receipt_no.  rejected/conflict: permanent, needs a
# person.  retry: nothing stored; fix what `missing_attachments` names and resend the same bytes.
PushOutcome = Literal["accepted", "duplicate", "rejected", "conflict", "retry"]


class _Wire(BaseModel):
    # defer_build: the validators are built at first use (a save, a sync), not when the
    # terminal imports this module at start-up (~10 ms)
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True, defer_build=True)


class WireMaterial(_Wire):
    """One material of the checklist: whether it was seen at the counter, and its scans."""

    name: WireText = Field(min_length=1, max_length=100)
    provided: bool
    attachments: list[Sha256Hex] = Field(default_factory=list, max_length=50)
    note: WireText | None = Field(default=None, max_length=200)


class WireSubmission(_Wire):
    """One intake form as filled at the station, with the catalogue and form version used."""

    submission_id: SubmissionId
    tracking_ref: WireText = Field(min_length=1, max_length=64)
    item_code: str = Field(pattern=r"^[A-Z]{2}[0-9]{2}$")
    bundle_code: str | None = Field(default=None, pattern=r"^BD[0-9]{2}$")
    catalogue_version: WireText = Field(min_length=1, max_length=32)
    form_version: int = Field(ge=1, le=MAX_FORM_VERSION)
    payload: Payload
    materials: list[WireMaterial] = Field(max_length=100)
    operator: WireText = Field(min_length=1, max_length=64)
    created_at: IsoTime

    def wire_dict(self) -> dict[str, Any]:
        """The JSON object to send; store it in the outbox and resend it unchanged."""
        return self.model_dump(mode="json")

    def content_sha256(self) -> str:
        """The backend hashes each item exactly as received, so this matches what it computes
        for `wire_dict()` (and keeps matching after either side adds optional fields)."""
        return content_sha256(self.wire_dict())

    def attachment_hashes(self) -> set[str]:
        """Every attachment this submission needs on the backend before it can be accepted."""
        return {h for m in self.materials for h in m.attachments}


class PushRequest(_Wire):
    """What the station sends: at most MAX_BATCH_ITEMS items and MAX_BATCH_BYTES encoded.

    The station never builds one: it joins the item bodies it stored at save time with
    :func:`push_body`, whose bytes parse as this model. The model documents the request (the
    OpenAPI page) and is what tests check those bytes against.
    """

    station_id: StationId
    submissions: list[WireSubmission] = Field(min_length=1, max_length=MAX_BATCH_ITEMS)


def push_body(station_id: str, item_bodies: Sequence[bytes]) -> bytes:
    """The POST /v1/push body from item bodies as stored (canonical JSON of each
    ``WireSubmission.wire_dict()``), joined and never re-serialised, so a retry sends the
    same bytes. Equal to ``canonical_json`` of the whole request, because ``station_id``
    sorts before ``submissions``. The batch limits are the caller's to keep (the sync push
    step fills batches up to them; the backend refuses what exceeds them)."""
    return (b'{"station_id":' + canonical_json(station_id) + b',"submissions":['
            + b",".join(item_bodies) + b"]}")


class PushEnvelope(_Wire):
    """What the backend parses first; items are checked one by one so one bad item cannot
    fail the batch (a PushRequest is always a valid PushEnvelope)."""

    station_id: str = Field(max_length=64)
    submissions: list[Any] = Field(min_length=1)


class PushItemResult(_Wire):
    """The backend's answer for one item; `index` is the item's position in the request."""

    index: int = Field(ge=0, lt=MAX_BATCH_ITEMS)
    submission_id: str = Field(max_length=64)
    outcome: PushOutcome
    receipt_no: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=500)
    missing_attachments: list[Sha256Hex] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> PushItemResult:
        acked = self.outcome in ("accepted", "duplicate")
        if acked != (self.receipt_no is not None):
            raise ValueError("receipt_no is required exactly for accepted and duplicate")
        if not acked and not self.reason:
            raise ValueError(f"{self.outcome} needs a reason")
        if (self.outcome == "retry") != bool(self.missing_attachments):
            raise ValueError("missing_attachments goes with outcome retry only")
        return self


class PushResponse(_Wire):
    results: list[PushItemResult]


class ChangeEvent(_Wire):
    """One status change of one of the station's cases; event_id is the feed cursor."""

    event_id: EventId
    receipt_no: str = Field(max_length=64)
    submission_id: SubmissionId
    status: WireCaseStatus
    at: IsoTime
    note: str = Field(default="", max_length=500)


class ChangesResponse(_Wire):
    changes: list[ChangeEvent]
    next_cursor: int = Field(ge=0, le=MAX_EVENT_ID)
    more: bool


class CatalogueResponse(_Wire):
    """The district's catalogue; header and items validate with station_app.domain.catalogue.
    Sent with a strong ETag; the station swaps it in only after validating it whole."""

    schema_version: int
    catalogue_version: str
    published: str | None
    header: dict[str, JsonValue]
    items: list[dict[str, JsonValue]]


class HealthResponse(_Wire):
    status: Literal["ok"]
    server_time: IsoTime  # for clock-skew checks
    server_unix: int
    protocol_version: int


class AttachmentResult(_Wire):
    sha256: Sha256Hex
    size: int = Field(ge=0, le=MAX_ATTACHMENT_BYTES)
    status: Literal["created", "exists"]


class ErrorBody(_Wire):
    """Every non-2xx reply: a stable machine code and a Chinese reason for the operator."""

    error: str = Field(max_length=64)
    reason: str = Field(max_length=2000)


class AuditHeadReport(_Wire):
    """The station's audit chain head after a sync run (``POST /v1/audit-head``), with the
    chain hash at ``anchor_seq``: the newest position the district said it had seen. The
    district keeps every head it is sent, so a history rewritten or shortened after it was
    reported shows there, even to someone who holds the station's keys."""

    seq: int = Field(ge=0, le=2**53)
    hash: Sha256Hex
    anchor_seq: int = Field(ge=0, le=2**53)
    anchor_hash: Sha256Hex


class AuditHeadReply(_Wire):
    """The newest chain position the district has seen from this station; the next report
    anchors there."""

    known_seq: int = Field(ge=0, le=2**53)
