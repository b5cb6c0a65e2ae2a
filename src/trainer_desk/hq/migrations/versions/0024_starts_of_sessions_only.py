"""The index on a session's start (0023) holds sessions alone. It held a line for every record, most of them
registrations with no start, each placed by its random id: at national scale it was as large as the primary key
(433 MB for 5.6 million records) and cost every push a fourth random write per record, for 200,000 sessions.

A second index, on each session's unit then start, finds a unit's or a force's newest sessions without reading
the nation's: listing one force's newest thirty went from 300 ms to 30 ms."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024_starts_of_sessions_only"
down_revision = "0023_records_session_starts"
branch_labels = None
depends_on = None

SESSIONS = sa.text("entity = 'session'")


def upgrade() -> None:
    op.drop_index("ix_records_session_starts", table_name="records")
    op.create_index(
        "ix_records_session_starts",
        "records",
        ["session_starts", "uuid"],
        postgresql_where=SESSIONS,
        sqlite_where=SESSIONS,
    )
    op.create_index(
        "ix_records_session_unit_starts",
        "records",
        ["session_unit", "session_starts", "uuid"],
        postgresql_where=SESSIONS,
        sqlite_where=SESSIONS,
    )


def downgrade() -> None:
    op.drop_index("ix_records_session_unit_starts", table_name="records")
    op.drop_index("ix_records_session_starts", table_name="records")
    op.create_index("ix_records_session_starts", "records", ["entity", "session_starts", "uuid"])
