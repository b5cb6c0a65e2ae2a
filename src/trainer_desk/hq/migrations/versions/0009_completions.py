"""Completions kept in a table of their own, one row per registration, kept up with the records: the console's
dashboard and HQ's reports count them with an index instead of reading every registration's payload. The table
starts empty, with its mark at 0, and HQ fills it from the stored records the first time it opens after this
upgrade (`completions.catch_up`), with the same code that keeps it up to date."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009_completions"
down_revision = "0008_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "completions",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("staff_number", sa.String(20), nullable=False),
        sa.Column("attendee_unit", sa.String(40), nullable=False),
        sa.Column("programme_id", sa.String(80), nullable=False),
        sa.Column("session_uuid", sa.String(36), nullable=False),
        sa.Column("session_unit", sa.String(40), nullable=False),
        sa.Column("session_starts_at", sa.String(40), nullable=False),
        sa.Column("counts", sa.Boolean, nullable=False),
    )
    op.create_index("ix_completions_person", "completions", ["staff_number", "programme_id"])
    op.create_index("ix_completions_session_uuid", "completions", ["session_uuid"])
    op.create_table(
        "people_completed",
        sa.Column("staff_number", sa.String(20), primary_key=True),
        sa.Column("programme_id", sa.String(80), primary_key=True),
        sa.Column("last_completed", sa.String(40), nullable=False),
    )
    op.execute("INSERT INTO counters (name, value) VALUES ('completions_seq', 0)")


def downgrade() -> None:
    op.drop_table("people_completed")
    op.drop_table("completions")
    op.execute("DELETE FROM counters WHERE name = 'completions_seq'")
