"""Saving an intake: build the exact bytes the district will receive, then hand the store the
row and those bytes to commit together (DESIGN.md invariants 1 and 2).

The wire body is built here, at save time, once: retries resend the stored bytes unchanged, so
the district's content hash never moves. The store keeps bytes and rows and knows no wire
model; this module is where the two meet.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Engine

from station_app.store.coltypes import to_utc_text, utcnow
from station_app.store.models import Submission
from station_app.store.prepared import new_row
from station_app.store.refs import (
    id_last4,
    id_lookup_hmac,
    mask_name,
    new_submission_id,
    tracking_ref_for,
)
from station_app.store.submissions import SaveHook, TrackingRefTaken, insert_submission
from station_app.wire.canonical import canonical_json
from station_app.wire.protocol import WireMaterial, WireSubmission

_REF_TRIES = 5  # a tracking-ref collision is ~1 in 10^12 per pair on one day


@dataclass(frozen=True)
class ApplicantIndex:
    """What the case list may know about the applicant without the ID number in clear."""

    name_masked: str | None = None
    id_last4: str | None = None
    id_hmac: str | None = None

    @classmethod
    def of(cls, name: str | None, id_number: str | None, key: bytes) -> ApplicantIndex:
        """Derive the index values from the applicant's name and ID number."""
        if id_number is None:
            return cls(mask_name(name) if name else None)
        return cls(mask_name(name) if name else None, id_last4(id_number),
                   id_lookup_hmac(id_number, key))


@dataclass(frozen=True)
class NewSubmission:
    """A validated intake, ready to save. ``id``: the draft's id, or ``None`` for a new one.

    ``scans``: material name -> SHA-256 of its scanned files; they travel in the outbox body
    (the wire's ``materials[].attachments``) and are uploaded before the case is pushed.
    """

    item_code: str
    catalogue_version: str
    form_version: str
    payload: dict[str, Any]
    operator: str
    materials: Sequence[str] = ()
    bundle_code: str | None = None
    applicant: ApplicantIndex = field(default_factory=ApplicantIndex)
    promised_date: date | None = None
    id: str | None = None
    scans: Mapping[str, Sequence[str]] = field(default_factory=dict)


def wire_form_version(form_version: str) -> int:
    """The wire's form version: the store keeps ``"2"`` for an item and ``"2.1.3"`` for a
    bundle (one number per item, the first being ``item_code``'s); the wire names the form
    of ``item_code``, so it is that first number."""
    head = form_version.split(".", 1)[0]
    if not head.isascii() or not head.isdigit() or int(head) < 1:
        raise ValueError(f"form_version {form_version!r} does not start with a version number")
    return int(head)


def wire_materials(names: Sequence[str],
                   scans: Mapping[str, Sequence[str]] | None = None) -> list[WireMaterial]:
    """Materials received at the counter, each with the SHA-256 of its scanned files."""
    scans = scans or {}
    unknown = set(scans) - set(names)
    if unknown:
        raise ValueError(f"scans for materials not received: {sorted(unknown)}")
    return [WireMaterial(name=n, provided=True, attachments=sorted(set(scans.get(n, ()))))
            for n in names]


def wire_submission(sub: Submission,
                    scans: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
    """The submission as the district receives it (no local-only or index fields), checked
    against the protocol model so a body the district would refuse is never queued."""
    wire = WireSubmission(
        submission_id=sub.id, tracking_ref=sub.tracking_ref, item_code=sub.item_code,
        bundle_code=sub.bundle_code, catalogue_version=sub.catalogue_version,
        form_version=wire_form_version(sub.form_version), payload=sub.payload,
        materials=wire_materials(sub.materials, scans), operator=sub.operator,
        created_at=to_utc_text(sub.created_at))
    return wire.wire_dict()


def outbox_body(sub: Submission, scans: Mapping[str, Sequence[str]] | None = None) -> bytes:
    """The exact bytes queued for ``sub``: canonical JSON of its wire submission."""
    return canonical_json(wire_submission(sub, scans))


def build_row(new: NewSubmission, submission_id: str, now: datetime) -> Submission:
    """The submission row for ``new``; the payload is stored as its canonical JSON reads back,
    so the row and the body agree on every value. (Built as the ORM builds a row it reads:
    ``Submission(...)`` took a tenth of a save.)"""
    return new_row(Submission, dict(
        id=submission_id, tracking_ref=tracking_ref_for(submission_id),
        item_code=new.item_code, bundle_code=new.bundle_code,
        catalogue_version=new.catalogue_version, form_version=new.form_version,
        payload=json.loads(canonical_json(new.payload)), materials=list(new.materials),
        applicant_name_masked=new.applicant.name_masked, id_last4=new.applicant.id_last4,
        id_hmac=new.applicant.id_hmac, promised_date=new.promised_date,
        operator=new.operator, created_at=now, updated_at=now,
    ))


def save_submission(engine: Engine, new: NewSubmission) -> Submission:
    """Save a case with its outbox entry in one transaction; return after COMMIT.

    Saving the same id again with the same content returns the saved case (a double click
    is harmless); different content raises
    :class:`~station_app.store.submissions.DuplicateSubmissionId`.
    """
    return _save_submission(engine, new, hook=None)


def _save_submission(engine: Engine, new: NewSubmission, *,
                     hook: SaveHook | None) -> Submission:
    """:func:`save_submission` with a test hook called at each stage (crash tests)."""
    tries = 1 if new.id is not None else _REF_TRIES
    for attempt in range(tries):
        sub = build_row(new, new.id or new_submission_id(), utcnow())
        body = outbox_body(sub, new.scans)  # before BEGIN: a bad body fails early
        try:
            return insert_submission(engine, sub, body, hook=hook,
                                     may_have_draft=new.id is not None)
        except TrackingRefTaken:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")
