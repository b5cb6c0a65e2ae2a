"""The six-month follow-up: who was invited (and reminded, and has answered), kept apart from the answers,
which name no person."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015_follow_up"
down_revision = "0014_roster_email"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "follow_up_invitations",
        sa.Column("staff_number", sa.String(12), primary_key=True),
        sa.Column("programme_id", sa.String(80), primary_key=True),
        sa.Column("link_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("invited_on", sa.String(10), nullable=False),
        sa.Column("reminded_on", sa.String(10)),
        sa.Column("answered", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    op.create_table(
        "follow_up_answers",
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("programme_id", sa.String(80), nullable=False),
        sa.Column("answered_on", sa.String(10), nullable=False),
        sa.Column("answers", sa.Text, nullable=False),
    )
    op.create_index("ix_follow_up_answers_programme_id", "follow_up_answers", ["programme_id"])


def downgrade() -> None:
    op.drop_table("follow_up_answers")
    op.drop_table("follow_up_invitations")
