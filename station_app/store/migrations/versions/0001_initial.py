"""Initial schema: catalogue, submissions, outbox, status history, audit, settings.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

Frozen DDL: this file must not import the models, whose later shape differs.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TEXT = sa.String(32)  # coltypes.UTCDateTime stores fixed-width UTC text

_AUDIT_TRIGGERS = {
    "audit_event_no_update": "UPDATE",
    "audit_event_no_delete": "DELETE",
}


def _catalogue() -> None:
    op.create_table(
        "catalogue_version",
        sa.Column("version", sa.String(), nullable=False),
        sa.Column("loaded_at", UTC_TEXT, nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("etag", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("version", name="pk_catalogue_version"),
        sa.CheckConstraint("source IN ('bundled', 'pulled')", name="ck_catalogue_version_source"),
    )
    op.create_index("uq_catalogue_version_one_active", "catalogue_version", ["active"],
                    unique=True, sqlite_where=sa.text("active = 1"))
    op.create_table(
        "catalogue_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("catalogue_version", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("form_version", sa.String(), nullable=False),
        sa.Column("definition", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_catalogue_item"),
        sa.UniqueConstraint("catalogue_version", "code",
                            name="uq_catalogue_item_catalogue_version_code"),
        sa.ForeignKeyConstraint(["catalogue_version"], ["catalogue_version.version"],
                                name="fk_catalogue_item_catalogue_version_catalogue_version"),
    )


def _submission() -> None:
    op.create_table(
        "submission",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("tracking_ref", sa.String(), nullable=False),
        sa.Column("item_code", sa.String(), nullable=False),
        sa.Column("bundle_code", sa.String(), nullable=True),
        sa.Column("catalogue_version", sa.String(), nullable=False),
        sa.Column("form_version", sa.String(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("applicant_name_masked", sa.String(), nullable=True),
        sa.Column("id_last4", sa.String(), nullable=True),
        sa.Column("id_hmac", sa.String(), nullable=True),
        sa.Column("status", sa.String(), nullable=True),
        sa.Column("sync_state", sa.String(), nullable=False),
        sa.Column("receipt_no", sa.String(), nullable=True),
        sa.Column("attention_reason", sa.String(), nullable=True),
        sa.Column("promised_date", sa.Date(), nullable=True),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("updated_at", UTC_TEXT, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_submission"),
        sa.UniqueConstraint("tracking_ref", name="uq_submission_tracking_ref"),
        sa.UniqueConstraint("receipt_no", name="uq_submission_receipt_no"),
        sa.CheckConstraint(
            "sync_state IN ('queued', 'sending', 'synced', 'needs_attention')",
            name="ck_submission_sync_state",
        ),
    )
    for column in ("item_code", "id_last4", "id_hmac", "status", "sync_state", "created_at"):
        op.create_index(f"ix_submission_{column}", "submission", [column])


def _outbox_and_history() -> None:
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("body_sha256", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_TEXT, nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("acked_at", UTC_TEXT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("submission_id", name="uq_outbox_submission_id"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name="fk_outbox_submission_id_submission"),
        sa.CheckConstraint("state IN ('pending', 'acked', 'needs_attention')",
                           name="ck_outbox_state"),
    )
    op.create_index("ix_outbox_state", "outbox", ["state"])
    op.create_table(
        "status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("submission_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("at", UTC_TEXT, nullable=False),
        sa.Column("note", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_status_history"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name="fk_status_history_submission_id_submission"),
        sa.CheckConstraint("source IN ('local', 'district')", name="ck_status_history_source"),
    )
    op.create_index("ix_status_history_submission_id", "status_history", ["submission_id"])


def _audit_and_settings() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC_TEXT, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_event"),
    )
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
    for name, verb in _AUDIT_TRIGGERS.items():
        op.execute(
            f"CREATE TRIGGER {name} BEFORE {verb} ON audit_event "
            "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改或删除'); END"
        )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_setting"),
    )


def upgrade() -> None:
    """Create the initial tables, indexes and the audit triggers."""
    _catalogue()
    _submission()
    _outbox_and_history()
    _audit_and_settings()


def downgrade() -> None:
    """Drop everything 0001 created (children first)."""
    for name in _AUDIT_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    for table in ("setting", "audit_event", "status_history", "outbox", "submission",
                  "catalogue_item", "catalogue_version"):
        op.drop_table(table)
