"""Each roster entry keeps its name folded for searching (`walk_in_candidates.name_key`), with an index: the
walk-ins page offers the people whose name matches the name a walk-in gave, and at national scale (300,000 on
the roster) it must find them by the index rather than fold every name on the roster for each page. This fills
it in for the roster imported before."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from trainer_desk.hq.walk_in_candidates import name_key

revision = "0028_roster_name_key"
down_revision = "0027_device_content_version"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("roster") as table:
        table.add_column(sa.Column("name_key", sa.String(200)))
    op.create_index("ix_roster_name_key", "roster", ["name_key"])
    conn = op.get_bind()
    found = [
        {"k": name_key(forename, surname), "n": number}
        for number, forename, surname in conn.execute(sa.text("SELECT staff_number, forename, surname FROM roster"))
    ]
    for start in range(0, len(found), 1000):
        conn.execute(sa.text("UPDATE roster SET name_key = :k WHERE staff_number = :n"), found[start : start + 1000])


def downgrade() -> None:
    op.drop_index("ix_roster_name_key", table_name="roster")
    with op.batch_alter_table("roster") as table:
        table.drop_column("name_key")
