"""Wire format of 好差评 (``POST /v1/feedback``): ratings and closed follow-ups, per item.

The same guarantees as the push of submissions: each item has a client id (UUIDv7) made at
the station when it was saved, its bytes are stored then and resent unchanged, and the
district keeps one row per (station, item id): the same id with the same content answers
``duplicate`` with the same receipt number, with other content ``conflict``. The receipt
number in each answer is the case's, so a rating is filed with its case at the district.

Ordering: the station sends a rating only after its case was acknowledged, and a closure
only after its rating was; a district that still lacks the case or the rating answers
``retry`` (nothing stored; resend the same bytes later), never ``rejected``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Final, Literal

from pydantic import Field, model_validator

from station_app.domain.feedback import MAX_NOTES, MAX_WORDS, RatingReason
from station_app.domain.lifecycle import Rating
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import (
    IsoTime,
    StationId,
    SubmissionId,
    WireText,
    _Wire,
)

MAX_FEEDBACK_ITEMS: Final = 100
MAX_FEEDBACK_BYTES: Final = 512 * 1024  # a rating is a few hundred bytes

FeedbackOutcome = Literal["accepted", "duplicate", "rejected", "conflict", "retry"]
WireRating = Annotated[Rating, Field(strict=False)]
WireReason = Annotated[RatingReason, Field(strict=False)]


class RatingItem(_Wire):
    """One resident's rating of one visit. ``legacy``: rated before reasons were asked (the
    station's older records), so a 差评 may lack its reason and has no follow-up."""

    kind: Literal["rating"]
    item_id: SubmissionId  # the rating's own id
    submission_id: SubmissionId
    tracking_ref: WireText = Field(min_length=1, max_length=64)
    level: WireRating
    reason: WireReason | None = None
    words: WireText = Field(default="", max_length=MAX_WORDS)
    rated_at: IsoTime
    operator: WireText = Field(min_length=1, max_length=64)
    followup_deadline: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    legacy: bool = False

    @model_validator(mode="after")
    def _reason_with_negative(self) -> RatingItem:
        if self.level.is_negative and self.reason is None and not self.legacy:
            raise ValueError("差评须有原因")
        if not self.level.is_negative and (self.reason is not None or self.words):
            raise ValueError("只有差评带原因")
        if self.followup_deadline is not None and (not self.level.is_negative or self.legacy):
            raise ValueError("回访期限只随有原因的差评")
        return self


class ClosureItem(_Wire):
    """A follow-up (回访整改) closed by the station's administrator, with the callback notes."""

    kind: Literal["closure"]
    item_id: SubmissionId  # the closure's own id
    rating_id: SubmissionId
    submission_id: SubmissionId
    closed_at: IsoTime
    closed_by: WireText = Field(min_length=1, max_length=64)
    notes: WireText = Field(min_length=1, max_length=MAX_NOTES)


FeedbackItem = Annotated[RatingItem | ClosureItem, Field(discriminator="kind")]


class FeedbackRequest(_Wire):
    """What the station sends; like :func:`~station_app.wire.protocol.push_body`, it is
    joined from the stored item bodies by :func:`feedback_body`, never re-serialised."""

    station_id: StationId
    items: list[FeedbackItem] = Field(min_length=1, max_length=MAX_FEEDBACK_ITEMS)


class FeedbackEnvelope(_Wire):
    """Parsed first by the district; items are checked one by one."""

    station_id: str = Field(max_length=64)
    items: list[Any] = Field(min_length=1)


class FeedbackItemResult(_Wire):
    """The district's answer for one item; ``receipt_no`` is the case's receipt number."""

    index: int = Field(ge=0, lt=MAX_FEEDBACK_ITEMS)
    item_id: str = Field(max_length=64)
    outcome: FeedbackOutcome
    receipt_no: str | None = Field(default=None, max_length=64)
    reason: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _consistent(self) -> FeedbackItemResult:
        acked = self.outcome in ("accepted", "duplicate")
        if acked != (self.receipt_no is not None):
            raise ValueError("receipt_no is required exactly for accepted and duplicate")
        if not acked and not self.reason:
            raise ValueError(f"{self.outcome} needs a reason")
        return self


class FeedbackResponse(_Wire):
    results: list[FeedbackItemResult]


def feedback_body(station_id: str, item_bodies: Sequence[bytes]) -> bytes:
    """The POST /v1/feedback body from stored item bodies; equal to the canonical JSON of the
    whole request (``items`` sorts before ``station_id``)."""
    return (b'{"items":[' + b",".join(item_bodies) + b'],"station_id":'
            + canonical_json(station_id) + b"}")
