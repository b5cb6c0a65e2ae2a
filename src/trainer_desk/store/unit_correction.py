"""Putting right the unit of a session HQ refused for it.

HQ takes a new session from a laptop only for the unit the laptop is enrolled for, and refuses every record
in a session it does not hold; a session recorded for another unit (a laptop not enrolled yet, a unit picked by
mistake) was held back for good, with its register. Put right, the session gets a new version in the enrolled
unit, and it and everything recorded in it go to HQ again, the session first.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.sessions import Session
from trainer_desk.store import audit, sessions, units
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import enrolled_unit


def refused_sessions(db: Database) -> dict[str, str]:
    """The sessions whose own record HQ did not take, with HQ's latest answer for each."""
    rows = db.execute(
        "SELECT entity_uuid, last_error FROM outbox WHERE entity = 'session' AND last_error != '' ORDER BY seq"
    ).fetchall()
    return {str(uuid): str(answer) for uuid, answer in rows}


def never_at_hq(db: Database) -> set[str]:
    """The sessions recorded on this laptop that HQ has not taken yet: their first version is still in the
    outbox, waiting or refused (a session HQ planned, or took once, has none there)."""
    rows = db.execute("SELECT DISTINCT entity_uuid FROM outbox WHERE entity = 'session' AND base_version IS NULL")
    return {str(uuid) for (uuid,) in rows.fetchall()}


@dataclass(frozen=True, slots=True)
class UnitsHqTakes:
    """Read once for a whole list of sessions: the unit this laptop records for (None before it enrolls), the
    units under it, which HQ takes sessions for from it too (a BCU's laptop records for its teams), and the
    sessions HQ has not taken yet (`never_at_hq`)."""

    home: str | None
    never_taken: frozenset[str]
    under: frozenset[str] = frozenset()

    @classmethod
    def read(cls, db: Database, home: str | None = None) -> UnitsHqTakes:
        unit = home if home is not None else enrolled_unit(db)
        under = frozenset(u.code for u, _depth in units.tree_under(db, unit)) if unit is not None else frozenset()
        return cls(unit, frozenset(never_at_hq(db)), under)

    def needs_put_right(self, session: Session) -> bool:
        """Recorded here, not yet at HQ, and for a unit other than the one this laptop records for or one under
        it: HQ will refuse it (or has), and moving it to this laptop's unit is what HQ will take."""
        return (
            session.uuid in self.never_taken
            and self.home is not None
            and session.unit_code != self.home
            and session.unit_code not in self.under
        )


def for_other_units(db: Database, home: str | None = None) -> list[Session]:
    """The sessions HQ will refuse from this laptop, or has, for their unit; none on a laptop not enrolled.
    With `home`: those it would refuse once enrolled for that unit."""
    takes = UnitsHqTakes.read(db, home)
    return [s for s in sessions.list_sessions(db) if takes.needs_put_right(s)]


def other_units_warning(count: int, home_name: str, where: str = " in Sessions") -> str:
    """Said at enrollment and in Sessions, before the sessions are refused: '' when there are none."""
    if count == 0:
        return ""
    which = (
        "1 session on this laptop is for another unit"
        if count == 1
        else f"{count} sessions on this laptop are for other units"
    )
    them, their = ("it", "its") if count == 1 else ("them", "their")
    return f"{which}: HQ will not take {them} from a laptop enrolled for {home_name}; put {their} unit right{where}."


SESSIONS_NAMED = 6  # in the enrollment's warning, before "and 3 more"


def enrolling_warning(unit_in_words: str, sessions_named: list[str]) -> str:
    """Said in the Enroll dialog before the trainer enrolls, naming each session (title, date and unit) HQ will
    then refuse; '' when there are none. The trainer can still enroll, and put the sessions right after."""
    if not sessions_named:
        return ""
    one = len(sessions_named) == 1
    shown = [f"• {named}" for named in sessions_named[:SESSIONS_NAMED]]
    if (more := len(sessions_named) - SESSIONS_NAMED) > 0:
        shown.append(f"• and {more} more")
    which = "this session, recorded here for another unit" if one else "these sessions, recorded here for other units"
    it, its = ("it", "its") if one else ("them", "their")
    return (
        f"This code enrolls this laptop for {unit_in_words}. HQ will not take {which}, nor the registers taken in "
        f"{it}:\n"
        + "\n".join(shown)
        + f"\nYou can still enroll, and put {its} unit right afterwards in Sessions (Put the "
        "unit right…)."
    )


def records_in(db: Database, session_uuid: str) -> int:
    """How many records of the session (registrations, feedback, timings, questions) wait for HQ."""
    return int(
        db.execute(
            "SELECT count(*) FROM outbox WHERE entity != 'session' AND json_extract(payload, '$.session_uuid') = ?",
            [session_uuid],
        ).fetchone()[0]
    )


def put_unit_right(db: Database, session_uuid: str, actor: str, now: datetime) -> Session:
    """Move a session HQ refused (or will refuse) for its unit to the unit this laptop is enrolled for, as a new
    version, and queue it and its records to be sent again, after it; HQ never held it, so its earlier versions
    waiting or refused are dropped (the new one carries all of it)."""
    home = enrolled_unit(db)
    if home is None:
        raise UserFacingError("This laptop is not enrolled with HQ yet: enroll it first, then put the unit right.")
    with db.atomic():
        session = sessions.get_session(db, session_uuid)
        if session is None:
            raise UserFacingError("That session is no longer on this laptop.")
        if session.uuid not in never_at_hq(db):
            raise UserFacingError("HQ already holds this session: its unit is changed there, by its training lead.")
        if session.unit_code == home:
            return session
        changed = replace(session, unit_code=home, version=session.version + 1)
        db.execute(
            "UPDATE sessions SET unit_code = ?, version = ?, updated_at = ?, acked_at = NULL WHERE uuid = ?",
            [home, changed.version, now.isoformat(), session.uuid],
        )
        db.execute("DELETE FROM outbox WHERE entity = 'session' AND entity_uuid = ?", [session.uuid])
        sessions.queue_version(db, session, changed, now)
        _send_again_after_it(db, session.uuid)
        audit.record(
            db, "correction", actor, f"session {session.uuid} unit {session.unit_code} put right to {home}", now
        )
    return changed


def _send_again_after_it(db: Database, session_uuid: str) -> None:
    """The session's records, refused for want of it or still waiting, queued again behind its new version, in
    the order they were written: sent before it, HQ would refuse them again as naming a session it lacks."""
    in_session = "entity != 'session' AND json_extract(payload, '$.session_uuid') = ?"
    db.execute(
        "INSERT INTO outbox (entity, entity_uuid, version, base_version, op, payload, created_at)"
        f" SELECT entity, entity_uuid, version, base_version, op, payload, created_at FROM outbox WHERE {in_session}"
        " ORDER BY seq",
        [session_uuid],
    )
    db.execute(
        f"DELETE FROM outbox WHERE {in_session} AND seq < (SELECT max(seq) FROM outbox WHERE entity = 'session'"
        " AND entity_uuid = ?)",
        [session_uuid, session_uuid],
    )
