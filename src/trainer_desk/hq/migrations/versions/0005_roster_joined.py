"""The roster keeps when each person joined, where HR records it, for new joiners' due dates."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_roster_joined"
down_revision = "0004_units"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster") as batch:
        batch.add_column(sa.Column("joined", sa.String(10)))


def downgrade() -> None:
    with op.batch_alter_table("roster") as batch:
        batch.drop_column("joined")
