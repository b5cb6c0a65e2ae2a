"""When each person left the roster (the day an HR export first no longer listed them), so that HQ can keep
their records for as long as the force's retention schedule says and no longer. People already marked as left
are dated the day of this upgrade: their retention period starts now, never earlier than it should."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0012_roster_left_at"
down_revision = "0011_faq_dismissals"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster") as table:
        table.add_column(sa.Column("left_at", sa.String(10)))
    today = datetime.now(UTC).date().isoformat()
    op.execute(sa.text("UPDATE roster SET left_at = :today WHERE removed = true").bindparams(today=today))


def downgrade() -> None:
    with op.batch_alter_table("roster") as table:
        table.drop_column("left_at")
