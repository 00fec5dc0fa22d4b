"""Tables of the reference backend, in their own SQLModel registry.

A separate registry keeps these tables out of `SQLModel.metadata`, which the station's own
store uses; both can be imported into one process (the tests do) without clashing.
The UNIQUE(station_id, submission_id) key is permanent: it is what makes "exactly once" hold
however long a station stays offline.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel


class _Table(SQLModel, registry=registry()):
    pass


metadata = _Table.metadata


class Station(_Table, table=True):
    """An enrolled station, its sealed HMAC secret and its answer counters for `stats`."""

    __tablename__ = "stations"

    id: str = Field(primary_key=True, max_length=16)
    name: str = Field(max_length=100)
    secret_sealed: str = Field(max_length=200)  # see district_backend.stations.SecretBox
    enrolled_at: str = Field(max_length=40)
    duplicates: int = 0  # retries answered with the original receipt
    conflicts: int = 0
    rejected: int = 0
    retries: int = 0  # items answered "retry" (attachments missing)


class ReceivedSubmission(_Table, table=True):
    """One accepted submission, stored as received; never updated, never duplicated."""

    __tablename__ = "submissions"
    __table_args__ = (UniqueConstraint("station_id", "submission_id", name="uq_station_sub"),)

    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(foreign_key="stations.id", max_length=16)
    submission_id: str = Field(max_length=36)
    content_sha256: str = Field(max_length=64)
    receipt_no: str = Field(unique=True, max_length=64)
    item_code: str = Field(max_length=8)
    bundle_code: str | None = Field(default=None, max_length=8)
    catalogue_version: str = Field(max_length=32)
    form_version: int
    tracking_ref: str = Field(max_length=64, index=True)  # the progress page's lookup
    operator: str = Field(max_length=64)
    created_at: str = Field(max_length=40)
    received_at: str = Field(max_length=40)
    body: str = Field(sa_column=Column(Text, nullable=False))  # canonical JSON as received


class ReceiptCounter(_Table, table=True):
    """Per-station, per-day receipt sequence (the 0007 of HY-QDK01-20261125-0007)."""

    __tablename__ = "receipt_counters"

    station_id: str = Field(primary_key=True, max_length=16)
    day: str = Field(primary_key=True, max_length=8)
    last_seq: int = 0


class CaseEvent(_Table, table=True):
    """Append-only status history; `id` is the change-feed cursor, so it must only grow."""

    __tablename__ = "case_events"
    __table_args__ = (
        Index("ix_case_events_station_id_id", "station_id", "id"),
        {"sqlite_autoincrement": True},
    )

    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(max_length=16)
    receipt_no: str = Field(index=True, max_length=64)
    submission_id: str = Field(max_length=36)
    status: str = Field(max_length=8)
    at: str = Field(max_length=40)
    note: str = Field(default="", max_length=500)


class Nonce(_Table, table=True):
    """Nonces seen inside the signing window; older ones are pruned (timestamps reject them)."""

    __tablename__ = "nonces"

    station_id: str = Field(primary_key=True, max_length=16)
    nonce: str = Field(primary_key=True, max_length=32)
    seen_at: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))


class Attachment(_Table, table=True):
    """A content-addressed file; a row exists only once its file is complete on disk."""

    __tablename__ = "attachments"

    sha256: str = Field(primary_key=True, max_length=64)
    size: int = Field(sa_column=Column(BigInteger, nullable=False))
    path: str = Field(max_length=300)
    created_at: str = Field(max_length=40)


class AdminEvent(_Table, table=True):
    """Who did what at the district's command line: enrolments, key rotations, status changes.
    Written in the same transaction as the change it records."""

    __tablename__ = "admin_events"

    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=40)
    actor: str = Field(max_length=100)
    action: str = Field(max_length=40)
    subject: str = Field(max_length=64)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class AuditHeadSeen(_Table, table=True):
    """Every audit chain head a station reported: the station's history as the district saw
    it, kept so a later rewrite or truncation of that history shows."""

    __tablename__ = "audit_heads"

    station_id: str = Field(primary_key=True, max_length=16)
    seq: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False},
                     sa_type=BigInteger)
    hash: str = Field(max_length=64)
    at: str = Field(max_length=40)


class AuditAlert(_Table, table=True):
    """A station's reported audit history does not extend what the district saw before."""

    __tablename__ = "audit_alerts"

    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(max_length=16, index=True)
    at: str = Field(max_length=40)
    kind: str = Field(max_length=20)  # rewritten | truncated
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ReceivedRating(_Table, table=True):
    """One 好差评 as received, filed under its case's receipt number; one row per
    (station, rating id), never updated."""

    __tablename__ = "ratings"
    __table_args__ = (UniqueConstraint("station_id", "rating_id", name="uq_station_rating"),)

    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(foreign_key="stations.id", max_length=16)
    rating_id: str = Field(max_length=36)
    receipt_no: str = Field(index=True, max_length=64)
    submission_id: str = Field(max_length=36)
    level: str = Field(max_length=20)
    reason: str | None = Field(default=None, max_length=20)
    words: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    rated_at: str = Field(max_length=40)
    operator: str = Field(max_length=64)
    followup_deadline: str | None = Field(default=None, max_length=10)
    legacy: bool = False
    needs_followup: bool = False  # a 差评 with its reason: a closure is expected
    content_sha256: str = Field(max_length=64)
    received_at: str = Field(max_length=40)


class ReceivedClosure(_Table, table=True):
    """A follow-up (回访整改) the station closed, with its callback notes."""

    __tablename__ = "followup_closures"
    __table_args__ = (UniqueConstraint("station_id", "closure_id", name="uq_station_closure"),
                      UniqueConstraint("station_id", "rating_id", name="uq_station_closed"))

    id: int | None = Field(default=None, primary_key=True)
    station_id: str = Field(foreign_key="stations.id", max_length=16)
    closure_id: str = Field(max_length=36)
    rating_id: str = Field(max_length=36)
    receipt_no: str = Field(index=True, max_length=64)
    closed_at: str = Field(max_length=40)
    closed_by: str = Field(max_length=64)
    notes: str = Field(sa_column=Column(Text, nullable=False))
    content_sha256: str = Field(max_length=64)
    received_at: str = Field(max_length=40)
