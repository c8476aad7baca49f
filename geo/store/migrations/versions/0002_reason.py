"""Schema 0002: every version says why it was written (a review note, a retraction's reason);
rows are read in their order through an index.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from geo.store.tables import KINDS

__all__: list[str] = []

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``reason`` (empty for the versions written before) and the order index."""
    for kind in KINDS:
        with op.batch_alter_table(kind) as batch:
            batch.add_column(sa.Column("reason", sa.Text, nullable=False, server_default=""))
        op.create_index(f"ix_{kind}_seq", kind, ["seq", "version"])


def downgrade() -> None:
    """Drop ``reason`` and the order index."""
    for kind in KINDS:
        op.drop_index(f"ix_{kind}_seq", kind)
        with op.batch_alter_table(kind) as batch:
            batch.drop_column("reason")
