"""Keep personal data on the laptop no longer than needed.

A closed session whose every record HQ has acknowledged is removed once its acknowledgement is older than
the period IT sets (90 days by default). Nothing that HQ has not confirmed is ever removed; instead the
trainer is told when unsynced records are getting old. Deletion runs with `secure_delete` on (set on every
connection), so removed rows are overwritten, not left in free pages.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from trainer_desk.core.counted import counted
from trainer_desk.store import audit
from trainer_desk.store.connection import Database

UNSYNCED_WARNING_DAYS = 7

_FULLY_ACKNOWLEDGED = """
SELECT s.uuid FROM sessions s
WHERE s.status IN ('closed', 'cancelled') AND s.acked_at IS NOT NULL AND s.acked_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.session_uuid = s.uuid AND a.acked_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM feedback f WHERE f.session_uuid = s.uuid AND f.acked_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM section_timings t WHERE t.session_uuid = s.uuid AND t.acked_at IS NULL)
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.entity_uuid = s.uuid
                  OR o.entity_uuid IN (SELECT uuid FROM attendance WHERE session_uuid = s.uuid))
"""


_KEEP_COMPLETIONS = (
    "INSERT OR IGNORE INTO hq_completions (uuid, staff_number, programme_id, session_uuid, session_starts_at,"
    " plan_version) SELECT a.uuid, a.staff_number, a.programme_id, a.session_uuid, s.starts_at, s.plan_version"
    " FROM attendance a JOIN sessions s ON s.uuid = a.session_uuid"
    " WHERE a.session_uuid = ? AND a.status IN ('present', 'late') AND a.deleted = 0"
)


def purge_acknowledged(db: Database, now: datetime, keep_days: int) -> int:
    """Remove closed, fully acknowledged sessions older than `keep_days`; returns how many were removed."""
    cutoff = (now - timedelta(days=keep_days)).isoformat()
    with db.atomic():
        doomed = [row[0] for row in db.execute(_FULLY_ACKNOWLEDGED, {"cutoff": cutoff})]
        for session_uuid in doomed:
            # Who completed it stays known, as HQ's record does (HQ does not send a laptop its own back).
            db.execute(_KEEP_COMPLETIONS, [session_uuid])
            # attendance, feedback, timings, checklists and corrections go with it (ON DELETE CASCADE)
            db.execute("DELETE FROM sessions WHERE uuid = ?", [session_uuid])
        # People who left are kept only while a register on this laptop names them: then they go too, with
        # their search terms (ON DELETE CASCADE).
        leavers = db.execute(
            "DELETE FROM people WHERE removed = 1"
            " AND NOT EXISTS (SELECT 1 FROM attendance a WHERE a.staff_number = people.staff_number)"
            " AND NOT EXISTS (SELECT 1 FROM session_trainers t WHERE t.staff_number = people.staff_number)"
        ).rowcount
        db.execute("DELETE FROM faq_questions WHERE acked_at IS NOT NULL AND acked_at < ?", [cutoff])
        db.execute("DELETE FROM audit_log WHERE acked_at IS NOT NULL AND acked_at < ?", [cutoff])
        if doomed or leavers:
            detail = f"{counted(len(doomed), 'synced session')} older than {keep_days} days"
            detail += f", {counted(leavers, 'leaver')} no register names" if leavers else ""
            audit.record(db, "purge", "retention", detail, now)
    return len(doomed)


def oldest_unsynced(db: Database) -> datetime | None:
    row = db.execute("SELECT min(created_at) FROM outbox").fetchone()
    return datetime.fromisoformat(row[0]) if row and row[0] else None


def unsynced_warning(db: Database, now: datetime) -> str | None:
    """A sentence for the trainer when records have waited too long for HQ; None while all is well."""
    oldest = oldest_unsynced(db)
    if oldest is None or now - oldest < timedelta(days=UNSYNCED_WARNING_DAYS):
        return None
    days = (now - oldest).days
    return (
        f"Some records have waited {days} days to reach HQ. Connect this laptop to the network so they "
        "are sent; they stay safe here until then."
    )
