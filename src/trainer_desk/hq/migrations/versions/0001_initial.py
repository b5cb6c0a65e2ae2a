"""HQ's first schema: devices and enrollment, records with their history, the roster, content versions."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "counters", sa.Column("name", sa.String(40), primary_key=True), sa.Column("value", sa.Integer, nullable=False)
    )
    op.bulk_insert(
        sa.table("counters", sa.column("name", sa.String), sa.column("value", sa.Integer)),
        [{"name": "seq", "value": 0}],
    )
    op.create_table(
        "devices",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("trainer", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("enrolled_at", sa.String(40), nullable=False),
        sa.Column("last_seen", sa.String(40)),
        sa.Column("revoked", sa.Boolean, nullable=False),
        sa.Column("lost", sa.Boolean, nullable=False),
    )
    op.create_table(
        "enrollment_codes",
        sa.Column("code_hash", sa.String(64), primary_key=True),
        sa.Column("trainer", sa.String(20), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("expires_at", sa.String(40), nullable=False),
        sa.Column("used_at", sa.String(40)),
    )
    op.create_table(
        "records",
        sa.Column("entity", sa.String(20), primary_key=True),
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("deleted", sa.Boolean, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("device_id", sa.String(36), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("received_at", sa.String(40), nullable=False),
        sa.Column("conflicted", sa.Boolean, nullable=False),
    )
    op.create_index("ix_records_seq", "records", ["seq"])
    op.create_table(
        "record_history",
        sa.Column("entity", sa.String(20), primary_key=True),
        sa.Column("uuid", sa.String(36), primary_key=True),
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("fingerprint", sa.String(64), nullable=False),
    )
    op.create_table(
        "roster",
        sa.Column("staff_number", sa.String(12), primary_key=True),
        sa.Column("forename", sa.String(80), nullable=False),
        sa.Column("surname", sa.String(80), nullable=False),
        sa.Column("unit", sa.String(40), nullable=False),
        sa.Column("previous_unit", sa.String(40)),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("rank", sa.String(60), nullable=False),
        sa.Column("removed", sa.Boolean, nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
    )
    op.create_index("ix_roster_unit", "roster", ["unit"])
    op.create_index("ix_roster_seq", "roster", ["seq"])
    op.create_table(
        "content_versions",
        sa.Column("version", sa.Integer, primary_key=True),
        sa.Column("seq", sa.Integer, nullable=False, unique=True),
        sa.Column("manifest", sa.Text, nullable=False),
        sa.Column("published_at", sa.String(40), nullable=False),
    )


def downgrade() -> None:
    for table in ("content_versions", "roster", "record_history", "records", "enrollment_codes", "devices", "counters"):
        op.drop_table(table)
