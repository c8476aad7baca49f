"""Schema 0001: one versioned table per kind, and the store's meta.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.tables import KINDS, base_columns

__all__: list[str] = []

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the tables of schema 0001."""
    for kind in KINDS:
        op.create_table(kind, *base_columns(kind))
        op.create_index(f"ix_{kind}_row_version", kind, ["row_id", "version"], unique=True)
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(50), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop every table."""
    op.drop_table("store_meta")
    for kind in KINDS:
        op.drop_table(kind)
