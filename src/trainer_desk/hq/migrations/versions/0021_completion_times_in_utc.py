"""Completions' session times in UTC. A session planned at HQ was stored with the force's offset
('2026-08-31T23:30:00+01:00'), and its completions copied that text: compared with a day's start in UTC, it
fell on the wrong side of a day or a month in the reports and the dashboard's trend. New completions are
written in UTC (`force_clock.utc_text`); this rewrites those written before, and works each affected
person's first and last completion out again from them (rewritten one by one, the earliest and latest of text
with mixed offsets could come out the wrong way round)."""

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
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    except (ValueError, OverflowError):
        return text


def upgrade() -> None:
    conn = op.get_bind()
    not_utc = {"utc": f"%{UTC_SUFFIX}"}
    rows = conn.execute(
        sa.text(
            "SELECT uuid, staff_number, programme_id, session_starts_at FROM completions"
            " WHERE session_starts_at != '' AND session_starts_at NOT LIKE :utc"
        ),
        not_utc,
    ).fetchall()
    people = set()
    for uuid, staff_number, programme_id, starts in rows:
        if (fixed := _utc(str(starts))) != starts:
            conn.execute(
                sa.text("UPDATE completions SET session_starts_at = :value WHERE uuid = :uuid"),
                {"value": fixed, "uuid": uuid},
            )
            people.add((staff_number, programme_id))
    people |= {
        (r[0], r[1])
        for r in conn.execute(
            sa.text(
                "SELECT staff_number, programme_id FROM people_completed"
                " WHERE last_completed NOT LIKE :utc OR (first_completed != '' AND first_completed NOT LIKE :utc)"
            ),
            not_utc,
        )
    }
    for staff_number, programme_id in sorted(people):
        found = conn.execute(
            sa.text(
                "SELECT min(session_starts_at), max(session_starts_at) FROM completions"
                " WHERE staff_number = :s AND programme_id = :p AND counts"
            ),
            {"s": staff_number, "p": programme_id},
        ).fetchone()
        if found is not None and found[1] is not None:
            conn.execute(
                sa.text(
                    "UPDATE people_completed SET first_completed = :first, last_completed = :last"
                    " WHERE staff_number = :s AND programme_id = :p"
                ),
                {"first": found[0], "last": found[1], "s": staff_number, "p": programme_id},
            )


def downgrade() -> None:
    """The UTC text is the same moment: nothing to undo."""
