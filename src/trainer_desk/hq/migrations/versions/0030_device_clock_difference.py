"""How far each laptop's clock was from HQ's when it last pushed (seconds, HQ's time less the laptop's): the
console says so beside the times that laptop recorded, which HQ keeps as sent. Laptops known before it, and
those of an earlier release, have none until they say."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030_device_clock_difference"
down_revision = "0029_sign_in_failures"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("clock_difference_s", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "clock_difference_s")
