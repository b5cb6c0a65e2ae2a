"""Which devices record in a session, found from the index: a person is checked against a session's whole
register only when more than one laptop records in it (`register_once.recorded_elsewhere`), and asking whether any
other device has lines there must not read every line of a large session at every push. The index on the
session alone is replaced by one on the session and the device that created each record, which serves every
lookup by session as before."""

from __future__ import annotations

from alembic import op

revision = "0020_records_session_recorders"
down_revision = "0019_staff_signed_out"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_records_session_created_by", "records", ["session_uuid", "created_by"])
    op.drop_index("ix_records_session_uuid", "records")


def downgrade() -> None:
    op.create_index("ix_records_session_uuid", "records", ["session_uuid"])
    op.drop_index("ix_records_session_created_by", "records")
