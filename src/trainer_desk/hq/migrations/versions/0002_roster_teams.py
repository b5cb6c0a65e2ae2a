"""The roster keeps each person's team, so compliance can be read team by team."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_roster_teams"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster") as batch:
        batch.add_column(sa.Column("team", sa.String(60), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("roster") as batch:
        batch.drop_column("team")
