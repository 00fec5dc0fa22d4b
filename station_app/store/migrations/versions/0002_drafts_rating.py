"""Autosaved intake drafts and the resident's service rating (好差评).

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-15
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add the draft table and ``submission.rating`` (1–5)."""
    op.create_table(
        "draft",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("item_code", sa.String(), nullable=True),
        sa.Column("bundle_code", sa.String(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.String(32), nullable=False),
        sa.Column("operator", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_draft"),
    )
    op.create_index("ix_draft_updated_at", "draft", ["updated_at"])
    # Plain ADD COLUMN keeps the table (a batch copy would have to drop `submission`, which
    # the outbox and history reference, and foreign keys cannot be switched off in a
    # transaction); SQLite accepts a CHECK on an added column.
    op.execute(
        "ALTER TABLE submission ADD COLUMN rating INTEGER "
        "CONSTRAINT ck_submission_rating CHECK (rating IS NULL OR rating BETWEEN 1 AND 5)"
    )


def downgrade() -> None:
    """Remove the draft table and the rating column."""
    op.drop_column("submission", "rating")
    op.drop_index("ix_draft_updated_at", table_name="draft")
    op.drop_table("draft")
