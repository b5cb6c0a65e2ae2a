"""Each record remembers the device that created it, so only that device (or one its session is assigned to)
may change it; each enrollment code remembers the device it enrolled, so a retried enrollment gets the same
answer. Records received before this kept only their last writer, which is the best guess at their creator."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_record_owners"
down_revision = "0002_roster_teams"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("created_by", sa.String(36), nullable=False, server_default=""))
    op.execute("UPDATE records SET created_by = device_id")
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.add_column(sa.Column("device_id", sa.String(36)))


def downgrade() -> None:
    with op.batch_alter_table("enrollment_codes") as batch:
        batch.drop_column("device_id")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("created_by")
