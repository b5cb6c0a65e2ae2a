"""HQ's console: staff accounts (argon2 password hashes, a role granted on a node of the unit tree) and HQ's
own audit trail (sign-ins, failed ones too, downloads and administration)."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008_console"
down_revision = "0007_record_sessions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "staff",
        sa.Column("username", sa.String(80), primary_key=True),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False, server_default=""),
        sa.Column("disabled", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("password_set_at", sa.String(40), nullable=False),
    )
    op.create_table(
        "hq_audit",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(40), nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
    )
    op.create_index("ix_hq_audit_at", "hq_audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_hq_audit_at", "hq_audit")
    op.drop_table("hq_audit")
    op.drop_table("staff")
