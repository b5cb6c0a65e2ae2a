"""Each session record keeps its unit and its start (UTC, ISO text) beside its payload, with an index on the
start: the console lists every session a person may see by start, newest first, a page at a time, by the index
rather than by reading every session HQ holds. This fills them in for the sessions received before."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0023_records_session_starts"
down_revision = "0022_staff_password_issued"
branch_labels = None
depends_on = None


def _utc(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    except (ValueError, OverflowError):
        return text


def upgrade() -> None:
    with op.batch_alter_table("records") as table:
        table.add_column(sa.Column("session_unit", sa.String(40)))
        table.add_column(sa.Column("session_starts", sa.String(40)))
    op.create_index("ix_records_session_starts", "records", ["entity", "session_starts", "uuid"])
    conn = op.get_bind()
    found = []
    for uuid, payload in conn.execute(sa.text("SELECT uuid, payload FROM records WHERE entity = 'session'")):
        try:
            session = json.loads(payload)
        except ValueError:
            session = None
        if isinstance(session, dict):
            unit, starts = str(session.get("unit_code") or ""), _utc(str(session.get("starts_at") or ""))
            found.append({"u": unit[:40], "s": starts[:40], "id": uuid})
    for start in range(0, len(found), 1000):
        conn.execute(
            sa.text(
                "UPDATE records SET session_unit = :u, session_starts = :s WHERE entity = 'session' AND uuid = :id"
            ),
            found[start : start + 1000],
        )


def downgrade() -> None:
    op.drop_index("ix_records_session_starts", table_name="records")
    with op.batch_alter_table("records") as table:
        table.drop_column("session_starts")
        table.drop_column("session_unit")
