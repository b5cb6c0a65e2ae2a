"""Each record names the force its session was held in, where HQ serves several forces: a laptop's pull then
reads its own force's records by an index, not the whole nation's. An HQ with one force leaves it empty;
importing a unit tree with several forces fills it (`units.assign_forces`)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016_records_force"
down_revision = "0015_follow_up"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as table:
        table.add_column(sa.Column("force", sa.String(40)))
    op.create_index("ix_records_force_seq", "records", ["force", "seq"])


def downgrade() -> None:
    op.drop_index("ix_records_force_seq", table_name="records")
    with op.batch_alter_table("records") as table:
        table.drop_column("force")
