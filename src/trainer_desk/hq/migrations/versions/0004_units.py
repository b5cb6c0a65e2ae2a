"""The force's unit tree, which laptops receive like the roster."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_units"
down_revision = "0003_record_owners"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "units",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("parent", sa.String(40)),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("retired", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_units_seq", "units", ["seq"])


def downgrade() -> None:
    op.drop_index("ix_units_seq", "units")
    op.drop_table("units")
