"""Saving a case writes fewer index pages; every query keeps an index.

Each index a new case enters is one more page to encrypt and write at every save (about 20 µs
each with SQLCipher, a tenth of what a raw two-row commit costs). Three did not earn it:

- ``ix_audit_event_at``: no query reads the audit trail by time (it is read in chain order,
  by id); dropped.
- ``ix_submission_id_last4`` and ``ix_submission_id_hmac``: one ``(id_last4, id_hmac)`` index
  serves both the search by last digits (its first column) and the exact lookup by the full
  ID number, which now names the last four characters too (``store.queries.IdLookup``).
- ``ix_submission_status_created_at``: a new case has no district status yet; the index now
  holds only cases that have one (``status IS NOT NULL``), which every status filter implies,
  so the 办件 list and its counts use it as before and a new case is not in it.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_HAS_STATUS = "status IS NOT NULL"


def upgrade() -> None:
    op.drop_index("ix_audit_event_at", table_name="audit_event")
    op.drop_index("ix_submission_id_last4", table_name="submission")
    op.drop_index("ix_submission_id_hmac", table_name="submission")
    op.create_index("ix_submission_id_last4_id_hmac", "submission", ["id_last4", "id_hmac"])
    op.drop_index("ix_submission_status_created_at", table_name="submission")
    op.create_index("ix_submission_status_created_at", "submission", ["status", "created_at"],
                    sqlite_where=sa.text(_HAS_STATUS), postgresql_where=sa.text(_HAS_STATUS))


def downgrade() -> None:
    op.drop_index("ix_submission_status_created_at", table_name="submission")
    op.create_index("ix_submission_status_created_at", "submission", ["status", "created_at"])
    op.drop_index("ix_submission_id_last4_id_hmac", table_name="submission")
    op.create_index("ix_submission_id_hmac", "submission", ["id_hmac"])
    op.create_index("ix_submission_id_last4", "submission", ["id_last4"])
    op.create_index("ix_audit_event_at", "audit_event", ["at"])
