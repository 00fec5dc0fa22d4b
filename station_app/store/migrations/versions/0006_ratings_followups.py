"""好差评 records, follow-ups (回访整改) and their queue to the district.

``rating`` keeps every rating of a case (one per visit; the newest is the case's rating),
``followup`` the 回访整改 of each 差评, ``feedback_outbox`` the exact bytes of each rating and
closure to send, with the same bookkeeping as ``outbox``. ``submission.rating`` stays, as the
newest rating's score, written with each record.

Ratings of older releases (the ``submission.rating`` column, no reason asked) become records
marked ``legacy`` and are queued for the district as such; a legacy 差评 gets no follow-up,
since without a reason it cannot be followed up (counter-research.md §3).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06

Frozen: the body below is the wire form of a rating as of this revision.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
import uuid6
from alembic import op

from station_app.domain.canonical import canonical_json

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TEXT = sa.String(32)
_LEVELS = {5: "very_satisfied", 4: "satisfied", 3: "fairly_satisfied", 2: "dissatisfied",
           1: "very_dissatisfied"}


def _tables() -> None:
    op.create_table(
        "rating",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("submission_id", sa.String(), nullable=False),
        sa.Column("level", sa.String(), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("words", sa.String(), nullable=False),
        sa.Column("rated_at", UTC_TEXT, nullable=False),
        sa.Column("operator", sa.String(), nullable=False),
        sa.Column("legacy", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rating"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name="fk_rating_submission_id_submission"),
        sa.CheckConstraint("level IN ('very_satisfied', 'satisfied', 'fairly_satisfied', "
                           "'dissatisfied', 'very_dissatisfied')", name="ck_rating_level"),
    )
    op.create_index("ix_rating_submission_id_rated_at", "rating", ["submission_id", "rated_at"])
    op.create_table(
        "followup",
        sa.Column("rating_id", sa.String(), nullable=False),
        sa.Column("submission_id", sa.String(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("closed_at", UTC_TEXT, nullable=True),
        sa.Column("closed_by", sa.String(), nullable=True),
        sa.Column("closure_id", sa.String(), nullable=True),
        sa.Column("notes", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("rating_id", name="pk_followup"),
        sa.UniqueConstraint("closure_id", name="uq_followup_closure_id"),
        sa.ForeignKeyConstraint(["rating_id"], ["rating.id"],
                                name="fk_followup_rating_id_rating"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name="fk_followup_submission_id_submission"),
    )
    op.create_index("ix_followup_submission_id", "followup", ["submission_id"])
    op.create_index("ix_followup_closed_at", "followup", ["closed_at"])
    op.create_table(
        "feedback_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("submission_id", sa.String(), nullable=False),
        sa.Column("after", sa.String(), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.Column("body_sha256", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", UTC_TEXT, nullable=True),
        sa.Column("last_error", sa.String(), nullable=True),
        sa.Column("receipt_no", sa.String(), nullable=True),
        sa.Column("created_at", UTC_TEXT, nullable=False),
        sa.Column("acked_at", UTC_TEXT, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feedback_outbox"),
        sa.UniqueConstraint("item_id", name="uq_feedback_outbox_item_id"),
        sa.ForeignKeyConstraint(["submission_id"], ["submission.id"],
                                name="fk_feedback_outbox_submission_id_submission"),
        sa.CheckConstraint("state IN ('pending', 'acked', 'needs_attention')",
                           name="ck_feedback_outbox_state"),
        sa.CheckConstraint("kind IN ('rating', 'closure')", name="ck_feedback_outbox_kind"),
    )
    op.create_index("ix_feedback_outbox_submission_id", "feedback_outbox", ["submission_id"])
    op.create_index("ix_feedback_outbox_state", "feedback_outbox", ["state"])


def _convert_old_ratings() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(
        "SELECT id, tracking_ref, rating, updated_at, operator FROM submission "
        "WHERE rating IS NOT NULL ORDER BY created_at, id")).all()
    for sid, ref, score, at, operator in rows:
        rid = str(uuid6.uuid7())
        level = _LEVELS[int(score)]
        conn.execute(sa.text(
            "INSERT INTO rating (id, submission_id, level, reason, words, rated_at, operator,"
            " legacy) VALUES (:id, :sid, :level, NULL, '', :at, :op, 1)"),
            {"id": rid, "sid": sid, "level": level, "at": at, "op": operator})
        body = canonical_json({
            "kind": "rating", "item_id": rid, "submission_id": sid, "tracking_ref": ref,
            "level": level, "reason": None, "words": "", "rated_at": str(at),
            "operator": str(operator)[:64], "followup_deadline": None, "legacy": True})
        conn.execute(sa.text(
            "INSERT INTO feedback_outbox (item_id, kind, submission_id, after, body,"
            " body_sha256, state, attempts, created_at) VALUES (:id, 'rating', :sid, NULL,"
            " :body, :sha, 'pending', 0, :at)"),
            {"id": rid, "sid": sid, "body": body, "sha": hashlib.sha256(body).hexdigest(),
             "at": at})


def upgrade() -> None:
    """Create the three tables; turn each old rating into a legacy record, queued."""
    _tables()
    _convert_old_ratings()


def downgrade() -> None:
    for index, table in (("ix_feedback_outbox_state", "feedback_outbox"),
                         ("ix_feedback_outbox_submission_id", "feedback_outbox"),
                         ("ix_followup_closed_at", "followup"),
                         ("ix_followup_submission_id", "followup"),
                         ("ix_rating_submission_id_rated_at", "rating")):
        op.drop_index(index, table_name=table)
    for table in ("feedback_outbox", "followup", "rating"):
        op.drop_table(table)
