"""When each person first completed each programme, beside when they last did: the console's completion over
time counts people by their first completion (a refresher is not a new person trained). Filled here from the
completions table; kept up by `completions._recount` from then on."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_first_completed"
down_revision = "0009_completions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("people_completed") as table:
        table.add_column(sa.Column("first_completed", sa.String(40), nullable=False, server_default=""))
    op.execute(
        "UPDATE people_completed SET first_completed = coalesce((SELECT min(c.session_starts_at) FROM completions c"
        " WHERE c.staff_number = people_completed.staff_number AND c.programme_id = people_completed.programme_id"
        " AND c.counts = true), last_completed)"
    )
    op.create_index("ix_people_completed_first", "people_completed", ["programme_id", "first_completed"])


def downgrade() -> None:
    op.drop_index("ix_people_completed_first", "people_completed")
    with op.batch_alter_table("people_completed") as table:
        table.drop_column("first_completed")
