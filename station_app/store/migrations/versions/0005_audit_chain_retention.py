"""Tamper-evident audit chain and retention bookkeeping.

``audit_event`` rows get ``prev_hash`` and ``hash`` (SHA-256 chain, see
``station_app.domain.audit_chain``); rows written before this revision are chained here, in id
order. ``audit_head`` holds the newest (seq, hash) in the same transaction as each append, so
a shortened tail is noticed even without the district. ``submission.purged_at`` marks a case
whose personal data the retention job removed.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from station_app.domain.audit_chain import GENESIS, row_hash

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TRIGGERS = {"audit_event_no_update": "UPDATE", "audit_event_no_delete": "DELETE"}


def _drop_triggers() -> None:
    for name in _TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")


def _create_triggers() -> None:
    for name, verb in _TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} BEFORE {verb} ON audit_event "
                   "BEGIN SELECT RAISE(ABORT, '审计记录只能追加，不能修改或删除'); END")


def upgrade() -> None:
    """Add the chain columns, chain the existing rows, add the head and ``purged_at``."""
    op.execute("ALTER TABLE audit_event ADD COLUMN prev_hash VARCHAR(64)")
    op.execute("ALTER TABLE audit_event ADD COLUMN hash VARCHAR(64)")
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_audit_head"),
        sa.CheckConstraint("id = 1", name="ck_audit_head_single"),
    )
    op.execute("ALTER TABLE submission ADD COLUMN purged_at VARCHAR(32)")
    conn = op.get_bind()
    _drop_triggers()
    prev, seq = GENESIS, 0
    rows = conn.execute(sa.text("SELECT id, at, actor, action, subject, detail "
                                "FROM audit_event ORDER BY id")).all()
    for rid, at, actor, action, subject, detail in rows:
        seq = int(rid)
        value = json.loads(detail) if isinstance(detail, str) else (detail or {})
        h = row_hash(prev, seq, str(at), str(actor), str(action), subject, value)
        conn.execute(sa.text("UPDATE audit_event SET prev_hash = :p, hash = :h WHERE id = :i"),
                     {"p": prev, "h": h, "i": rid})
        prev = h
    conn.execute(sa.text("INSERT INTO audit_head (id, seq, hash) VALUES (1, :s, :h)"),
                 {"s": seq, "h": prev})
    _create_triggers()


def downgrade() -> None:
    _drop_triggers()
    op.drop_table("audit_head")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("hash")
        batch.drop_column("prev_hash")
    _create_triggers()
    op.execute("ALTER TABLE submission DROP COLUMN purged_at")
