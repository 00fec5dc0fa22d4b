"""Catalogue versions keep their header: the tables become the record of every catalogue a
case may have been filled with.

``catalogue_version`` and ``catalogue_item`` were created by 0001 but never written. A case
keeps only the number of the catalogue version it was filled with, so showing an older case
(its receipt reprint, its detail) needs that version's own item names, materials and time
limits, and for a 一事联办 case the bundle, which lives in the catalogue's header (so do the
common fields every form refers to). This column holds the header as JSON; the item rows hold
the items. Existing rows (there are none in practice) get an empty header.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Add ``catalogue_version.header`` (JSON, not null)."""
    op.add_column("catalogue_version",
                  sa.Column("header", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    op.drop_column("catalogue_version", "header")
