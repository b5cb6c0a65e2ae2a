"""Wrong passwords at sign-in are counted in the database rather than in each worker process's memory, so that
`--workers N` no longer allows N times the guesses (see hq/sign_in_limits.py)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0029_sign_in_failures"
down_revision = "0028_roster_name_key"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("username", sa.String(80), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("failed_at", sa.Float, nullable=False),
    )
    op.create_index("ix_sign_in_failures_failed_at", "sign_in_failures", ["failed_at"])
    op.create_index("ix_sign_in_failures_address", "sign_in_failures", ["address", "failed_at"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
