"""HQ's audit trail looked up by action: the Devices page and each sync of a lost laptop ask when it was marked
lost and when it was told to wipe itself (`audit_trail.lost_devices`), which without an index reads the whole
trail, and the trail keeps years of entries."""

from __future__ import annotations

from alembic import op

revision = "0026_audit_by_action"
down_revision = "0025_content_version_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_hq_audit_action", "hq_audit", ["action"])


def downgrade() -> None:
    op.drop_index("ix_hq_audit_action", table_name="hq_audit")
