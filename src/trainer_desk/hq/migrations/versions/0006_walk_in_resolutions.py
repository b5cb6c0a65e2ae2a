"""Walk-ins a person at HQ has matched to someone on the roster, or dismissed, with the reason."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_walk_in_resolutions"
down_revision = "0005_roster_joined"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "walk_in_resolutions",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("staff_number", sa.String(12)),
        sa.Column("dismissed", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("reason", sa.Text, nullable=False, server_default=""),
        sa.Column("decided_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("walk_in_resolutions")
