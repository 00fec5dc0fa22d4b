"""The 需处理 list reads one page of rows, not every case that needs attention.

需处理 is "sync state needs attention, or status 需补正, or an open 好差评": an OR over three
indexes, for which SQLite fetched every matching row to sort them (about 2,500 rows on as
many pages at 100,000 cases, each page decrypted by SQLCipher). With ``id`` in the
(status, created_at) and (sync_state, created_at) indexes, the list first orders the
matching (created_at, id) pairs from the indexes alone and then reads only the page's rows
(``store.queries.list_submissions``).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COVERED = ("status", "sync_state")


def upgrade() -> None:
    """(column, created_at) becomes (column, created_at, id), under the same name."""
    for column in _COVERED:
        name = f"ix_submission_{column}_created_at"
        op.drop_index(name, table_name="submission")
        op.create_index(name, "submission", [column, "created_at", "id"])


def downgrade() -> None:
    for column in _COVERED:
        name = f"ix_submission_{column}_created_at"
        op.drop_index(name, table_name="submission")
        op.create_index(name, "submission", [column, "created_at"])
