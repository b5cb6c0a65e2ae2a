"""Completions' session times in UTC. A session planned at HQ was stored with the force's offset
('2026-08-31T23:30:00+01:00'), and its completions copied that text: compared with a day's start in UTC, it
fell on the wrong side of a day or a month in the reports and the dashboard's trend. New completions are
written in UTC (`force_clock.utc_text`); this rewrites those written before."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0021_completion_times_in_utc"
down_revision = "0020_records_session_recorders"
branch_labels = None
depends_on = None

UTC_SUFFIX = "+00:00"


def _utc(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def _rewrite(table: str, keys: tuple[str, ...], column: str) -> None:
    conn = op.get_bind()
    key_list = ", ".join(keys)
    rows = conn.execute(
        sa.text(f"SELECT {key_list}, {column} FROM {table} WHERE {column} != '' AND {column} NOT LIKE :utc"),
        {"utc": f"%{UTC_SUFFIX}"},
    ).fetchall()
    where = " AND ".join(f"{k} = :k{n}" for n, k in enumerate(keys))
    for row in rows:
        fixed = _utc(str(row[-1]))
        if fixed != row[-1]:
            params = {f"k{n}": row[n] for n in range(len(keys))} | {"value": fixed}
            conn.execute(sa.text(f"UPDATE {table} SET {column} = :value WHERE {where}"), params)


def upgrade() -> None:
    _rewrite("completions", ("uuid",), "session_starts_at")
    _rewrite("people_completed", ("staff_number", "programme_id"), "first_completed")
    _rewrite("people_completed", ("staff_number", "programme_id"), "last_completed")


def downgrade() -> None:
    """The UTC text is the same moment: nothing to undo."""
