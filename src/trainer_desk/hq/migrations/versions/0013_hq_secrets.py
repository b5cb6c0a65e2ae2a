"""HQ's own secrets that must survive a move or a restore with its data: the secret laptops' feedback-link
keys are derived from (a file beside the database would be lost with a restore, and every classroom's links
with it)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013_hq_secrets"
down_revision = "0012_roster_left_at"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "hq_secrets",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("hq_secrets")
