"""Case-list indexes that serve a filter and the newest-first order together.

With one index per column SQLite had to sort every matching row to show one page (461 ms for
"已办结" over 100,000 cases); an index on (filter column, created_at) reads the page directly.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAIRS = ("status", "item_code", "sync_state", "applicant_name_masked")
_REPLACED = ("status", "item_code", "sync_state")


def upgrade() -> None:
    """Add (column, created_at) indexes; drop the single-column ones they make redundant."""
    for column in _PAIRS:
        op.create_index(f"ix_submission_{column}_created_at", "submission",
                        [column, "created_at"])
    for column in _REPLACED:
        op.drop_index(f"ix_submission_{column}", table_name="submission")


def downgrade() -> None:
    for column in _REPLACED:
        op.create_index(f"ix_submission_{column}", "submission", [column])
    for column in _PAIRS:
        op.drop_index(f"ix_submission_{column}_created_at", table_name="submission")
