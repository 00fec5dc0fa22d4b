"""The 需处理 list reads one page of rows, not every case that needs attention.

需处理 is "sync state needs attention, or status 补正材料, or an open 好差评": an OR over three
indexes, for which SQLite fetched every matching row to sort them (about 2,500 rows on as
many pages at 100,000 cases, each page decrypted by SQLCipher). Two partial indexes hold the
(created_at, id) of exactly the cases in the first two parts, so the list orders the matches
from them alone and then reads only the page's rows (``store.queries.list_submissions``).

Partial, because they hold only the few cases that need attention: a new case (queued, no
status yet) is in neither, so saving one writes no more pages than before, and the status
index keeps its size for counting the many 已办结 cases.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Frozen: the two values below are the domain's names as of this revision.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PARTS = (("ix_submission_attention_sync", "sync_state", "sync_state = 'needs_attention'"),
          ("ix_submission_attention_status", "status", "status = '补正材料'"))


def upgrade() -> None:
    """Add the two partial (column, created_at, id) indexes (the column first, so that the
    planner sees them serve the equality and prefers them, being covering)."""
    for name, column, where in _PARTS:
        op.create_index(name, "submission", [column, "created_at", "id"],
                        sqlite_where=sa.text(where), postgresql_where=sa.text(where))


def downgrade() -> None:
    for name, _, _ in _PARTS:
        op.drop_index(name, table_name="submission")
