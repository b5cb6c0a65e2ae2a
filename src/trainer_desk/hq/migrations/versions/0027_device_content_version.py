"""The lesson content version each laptop has said it holds, once installed: the console shows which laptops
have taken the newest. Laptops known before it, and those of an earlier release, have none until they say."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027_device_content_version"
down_revision = "0026_audit_by_action"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("devices", sa.Column("content_version", sa.Integer(), nullable=True))


def downgrade() -> None:
    op.drop_column("devices", "content_version")
