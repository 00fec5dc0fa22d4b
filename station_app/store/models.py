"""Tables of the station database.

The models use their own SQLAlchemy registry and metadata (not SQLModel's global one), so the
district backend's tables never mix into the station's migrations, and a naming convention
gives every constraint and index a stable name that later migrations can refer to.
The schema itself is created by the Alembic migrations; these classes must match them (a test
compares them).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Index, MetaData, UniqueConstraint, text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from station_app.domain.catalogue_origin import CatalogueSource as CatalogueSource
from station_app.domain.lifecycle import ATTENTION_STATUS, ATTENTION_SYNC, SyncState
from station_app.store.coltypes import UTCDateTime, utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
store_registry = registry(metadata=MetaData(naming_convention=NAMING_CONVENTION))


class StoreModel(SQLModel, registry=store_registry):
    """Base of the station tables: binds them to the store's own metadata."""


class OutboxState(StrEnum):
    """Delivery state of one outbox entry; only an explicit ack leaves ``pending``."""

    PENDING = "pending"
    ACKED = "acked"
    NEEDS_ATTENTION = "needs_attention"


class HistorySource(StrEnum):
    """Who recorded a status: this station or the district backend."""

    LOCAL = "local"
    DISTRICT = "district"


def _in(column: str, values: type[StrEnum]) -> str:
    return f"{column} IN ({', '.join(repr(v.value) for v in values)})"


class CatalogueVersion(StoreModel, table=True):
    """A catalogue version the station has used; exactly one is active (partial unique
    index). Its items are :class:`CatalogueItemRow` rows; ``header`` holds the rest of the
    catalogue (categories, departments, common fields, 一事联办 bundles) as JSON."""

    __tablename__ = "catalogue_version"
    __table_args__ = (
        CheckConstraint(_in("source", CatalogueSource), name="source"),
        Index("uq_catalogue_version_one_active", "active", unique=True,
              sqlite_where=text("active = 1")),
    )

    version: str = Field(primary_key=True)
    loaded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    source: str
    etag: str | None = None
    active: bool = False
    header: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class CatalogueItemRow(StoreModel, table=True):
    """One service item's definition inside a catalogue version, as JSON."""

    __tablename__ = "catalogue_item"
    __table_args__ = (UniqueConstraint("catalogue_version", "code"),)

    id: int | None = Field(default=None, primary_key=True)
    catalogue_version: str = Field(foreign_key="catalogue_version.version")
    code: str
    name: str
    form_version: str
    definition: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Submission(StoreModel, table=True):
    """A case filled at the station; its id is the idempotency key at the district."""

    __tablename__ = "submission"
    __table_args__ = (
        CheckConstraint(_in("sync_state", SyncState), name="sync_state"),
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating"),
        # (filter, created_at): one page of a filtered, newest-first list without a sort;
        # the status one holds only cases with a status, so a new case is not in it (0008)
        Index("ix_submission_status_created_at", "status", "created_at",
              sqlite_where=text("status IS NOT NULL"),
              postgresql_where=text("status IS NOT NULL")),
        Index("ix_submission_item_code_created_at", "item_code", "created_at"),
        Index("ix_submission_sync_state_created_at", "sync_state", "created_at"),
        # the 需处理 list orders its matches from these alone (migration 0007); partial: only
        # the few cases that need attention, never a new one
        Index("ix_submission_attention_sync", "sync_state", "created_at", "id",
              sqlite_where=text(f"sync_state = '{ATTENTION_SYNC.value}'"),
              postgresql_where=text(f"sync_state = '{ATTENTION_SYNC.value}'")),
        Index("ix_submission_attention_status", "status", "created_at", "id",
              sqlite_where=text(f"status = '{ATTENTION_STATUS.label}'"),
              postgresql_where=text(f"status = '{ATTENTION_STATUS.label}'")),
        Index("ix_submission_applicant_name_masked_created_at", "applicant_name_masked",
              "created_at"),
        # search by last digits, and exact lookup by the full number (store.queries.IdLookup)
        Index("ix_submission_id_last4_id_hmac", "id_last4", "id_hmac"),
    )

    id: str = Field(primary_key=True)
    tracking_ref: str = Field(unique=True)
    item_code: str
    bundle_code: str | None = None
    catalogue_version: str
    form_version: str
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    materials: list[str] = Field(default_factory=list, sa_type=JSON)
    applicant_name_masked: str | None = None
    id_last4: str | None = None
    id_hmac: str | None = None
    status: str | None = None
    sync_state: str = SyncState.QUEUED
    receipt_no: str | None = Field(default=None, unique=True)
    attention_reason: str | None = None
    promised_date: date | None = None
    rating: int | None = None
    operator: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    purged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class OutboxEntry(StoreModel, table=True):
    """The exact bytes to push for one submission; retries resend these bytes unchanged."""

    __tablename__ = "outbox"
    __table_args__ = (CheckConstraint(_in("state", OutboxState), name="state"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", unique=True)
    body: bytes
    body_sha256: str
    state: str = Field(default=OutboxState.PENDING, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class StatusHistory(StoreModel, table=True):
    """Timeline of a case: local steps and the district's status changes."""

    __tablename__ = "status_history"
    __table_args__ = (CheckConstraint(_in("source", HistorySource), name="source"),)

    id: int | None = Field(default=None, primary_key=True)
    submission_id: str = Field(foreign_key="submission.id", index=True)
    status: str
    at: datetime = Field(sa_type=UTCDateTime)
    note: str | None = None
    source: str


class AuditEvent(StoreModel, table=True):
    """Append-only record of who did what; triggers reject UPDATE and DELETE, and each row is
    chained to the previous by SHA-256 (``id`` is the chain's sequence number)."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)  # read in id order
    actor: str
    action: str
    subject: str | None = None
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    prev_hash: str | None = Field(default=None, max_length=64)
    hash: str | None = Field(default=None, max_length=64)


class AuditHead(StoreModel, table=True):
    """The newest chain position, written in the same transaction as every append, so a
    shortened tail shows; the district keeps its own copy of every head it was sent."""

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single"),)

    id: int = Field(default=1, primary_key=True)
    seq: int
    hash: str = Field(max_length=64)


class Draft(StoreModel, table=True):
    """An autosaved intake form; its id becomes the submission's id when it is submitted."""

    __tablename__ = "draft"

    id: str = Field(primary_key=True)
    item_code: str | None = None
    bundle_code: str | None = None
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    materials: list[str] = Field(default_factory=list, sa_type=JSON)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    operator: str


class Setting(StoreModel, table=True):
    """Small key/value pairs: the sync cursor, station settings."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True)
    value: str


class RatingRecord(StoreModel, table=True):
    """One resident's 好差评 of one visit (一次一评). A case rated again later (the resident
    came back) gets another record; the newest is the case's rating. ``legacy``: converted
    from the single rating column of older releases, which asked no reason."""

    __tablename__ = "rating"
    __table_args__ = (
        CheckConstraint("level IN ('very_satisfied', 'satisfied', 'fairly_satisfied', "
                        "'dissatisfied', 'very_dissatisfied')", name="level"),
        Index("ix_rating_submission_id_rated_at", "submission_id", "rated_at"),
    )

    id: str = Field(primary_key=True)
    submission_id: str = Field(foreign_key="submission.id")
    level: str
    reason: str | None = None
    words: str = ""
    rated_at: datetime = Field(sa_type=UTCDateTime)
    operator: str
    legacy: bool = False


class FollowUp(StoreModel, table=True):
    """回访整改 of a 差评: due by ``deadline`` (working days, None when that year's holiday
    schedule is not loaded); open until an administrator closes it with the callback notes."""

    __tablename__ = "followup"

    rating_id: str = Field(primary_key=True, foreign_key="rating.id")
    submission_id: str = Field(foreign_key="submission.id", index=True)
    deadline: date | None = None
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    closed_by: str | None = None
    closure_id: str | None = Field(default=None, unique=True)
    notes: str | None = None


class FeedbackEntry(StoreModel, table=True):
    """The exact bytes of one rating or closure for ``POST /v1/feedback``; like the outbox,
    only an explicit per-item answer changes ``state``. ``after``: the item that must be
    acknowledged first (a closure waits for its rating; a rating waits for its case)."""

    __tablename__ = "feedback_outbox"
    __table_args__ = (
        CheckConstraint(_in("state", OutboxState), name="state"),
        CheckConstraint("kind IN ('rating', 'closure')", name="kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    item_id: str = Field(unique=True)
    kind: str
    submission_id: str = Field(foreign_key="submission.id", index=True)
    after: str | None = None
    body: bytes
    body_sha256: str
    state: str = Field(default=OutboxState.PENDING, index=True)
    attempts: int = 0
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_error: str | None = None
    receipt_no: str | None = None
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    acked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
