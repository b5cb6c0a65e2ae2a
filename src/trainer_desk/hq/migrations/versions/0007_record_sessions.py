"""Each record names its session in a column of its own (a session names itself), indexed: a session's
register is found without reading every registration HQ holds, which a session given to another trainer
needs (its older registrations are sent again), as does every view of one session's register."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007_record_sessions"
down_revision = "0006_walk_in_resolutions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.add_column(sa.Column("session_uuid", sa.String(36)))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE records SET session_uuid = CASE WHEN entity = 'session' THEN uuid"
            " WHEN jsonb_typeof(payload::jsonb -> 'session_uuid') = 'string'"
            " THEN left(payload::jsonb ->> 'session_uuid', 36) END"
        )
    else:
        op.execute(
            "UPDATE records SET session_uuid = CASE WHEN entity = 'session' THEN uuid"
            " WHEN json_valid(payload) AND json_type(payload, '$.session_uuid') = 'text'"
            " THEN substr(json_extract(payload, '$.session_uuid'), 1, 36) END"
        )
    op.create_index("ix_records_session_uuid", "records", ["session_uuid"])


def downgrade() -> None:
    op.drop_index("ix_records_session_uuid", "records")
    with op.batch_alter_table("records") as batch:
        batch.drop_column("session_uuid")
