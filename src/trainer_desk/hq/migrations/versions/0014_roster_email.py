"""The roster's optional email column, kept at HQ alone for the six-month follow-up invitation: it is not in
what laptops pull, and laptops never store it."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014_roster_email"
down_revision = "0013_hq_secrets"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster") as table:
        table.add_column(sa.Column("email", sa.String(254)))


def downgrade() -> None:
    with op.batch_alter_table("roster") as table:
        table.drop_column("email")
