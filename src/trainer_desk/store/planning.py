"""Sessions planned ahead: the plan, date, venue, unit and trainers, with the people expected to come.

Expected people are booked on the register as absent (booked) from the start; on the day the trainer marks
those who come, and whoever did not come stays absent (booked) rather than missing. A planned session is a
session like any other (the same table, versions and outbox), so it reaches HQ, and from there the laptops of
the trainers it names and of the unit's training lead, with the next sync.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from types import MappingProxyType

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.booking_clash import UNKNOWN_PLANS, Booked, PlanLengths, clashes, refuse_clashes
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person
from trainer_desk.core.sessions import (
    PlanRef,
    Session,
    SessionStatus,
    already_planned,
    booking_key,
    refuse_an_unlikely_start,
)
from trainer_desk.store import attendance, audit, roster, sessions
from trainer_desk.store.connection import Database


def plan_session(
    db: Database,
    session: Session,
    expected: Sequence[Person],
    booked_by: str,
    now: datetime,
    lengths: PlanLengths = UNKNOWN_PLANS,
    *,
    anyway: bool = False,
) -> Session:
    """Save a planned session and book its expected people, in one transaction. Refused, with nothing saved,
    for a start gone by, a booking already planned, or (unless `anyway`) a trainer or person expected who is
    due at another planned session at an overlapping time (`booking_clash`)."""
    if session.status is not SessionStatus.PLANNED:
        raise ValueError("only a planned session is planned ahead")
    refuse_an_unlikely_start(session.starts_at, now)
    # A trainer on the booking list is not booked as well: on the register they would be someone coming to
    # learn it, and no longer outstanding, while they stand at the front.
    expected = [p for p in expected if p.staff_number not in session.trainers]
    wanted = booking_key(session.plan.plan_id, session.unit_code, session.starts_at, session.venue)
    for other in sessions.list_sessions(db):
        if (
            other.status is SessionStatus.PLANNED
            and booking_key(other.plan.plan_id, other.unit_code, other.starts_at, other.venue) == wanted
        ):
            raise already_planned(other.uuid)
    if not anyway:
        people = {*session.trainers, *(p.staff_number for p in expected)}
        _refuse_clashes(db, session, people, lengths, {p.staff_number: p.full_name for p in expected})
    with db.atomic():
        sessions.create_session(db, session, now)
        for person in expected:
            attendance.add_attendee(db, session, person, AttendanceStatus.ABSENT, booked_by, now)
    return session


def _refuse_clashes(
    db: Database,
    session: Session,
    people: Collection[str],
    lengths: PlanLengths,
    names: Mapping[str, str] = MappingProxyType({}),
    accepted: Collection[str] = (),
    *,
    changing: bool = False,
) -> None:
    """`booking_clash.refuse_clashes` for `people` at `session` (as planned, or as it would be once changed),
    against every other session planned on this laptop; `names` adds names the register does not have yet."""
    due, known = _due(db, lengths, session.uuid)
    known.update(names)
    known.update((t, p.full_name) for t in session.trainers if (p := roster.get_person(db, t)) is not None)
    found = clashes(session.starts_at, lengths.length(session.plan.plan_id), people, due)
    refuse_clashes(found, known, accepted, changing=changing)


def _due(db: Database, lengths: PlanLengths, besides: str) -> tuple[list[Booked], dict[str, str]]:
    """Everyone due at a planned session on this laptop (its own, and those HQ sent) other than `besides`: its
    trainers and those booked on its register; and their names, as the register has them."""
    due: list[Booked] = []
    names: dict[str, str] = {}
    for other in sessions.list_sessions(db):
        if other.status is not SessionStatus.PLANNED or other.uuid == besides:
            continue
        when = (
            other.starts_at,
            lengths.length(other.plan.plan_id),
            lengths.session(other.plan.plan_id, f"{force_clock.local(other.starts_at):%Y-%m-%d %H:%M}", other.venue),
        )
        due += [Booked(t, *when, as_trainer=True) for t in other.trainers]
        for line in attendance.register(db, other.uuid):
            due.append(Booked(line.attendance.staff_number, *when))
            names[line.attendance.staff_number] = line.name
    return due, names


def expect(db: Database, session: Session, people: Sequence[Person], booked_by: str, now: datetime) -> int:
    """Book more people on a planned session; anyone already on its register is left as they are."""
    booked = {line.attendance.staff_number for line in attendance.register(db, session.uuid)}
    added = 0
    with db.atomic():
        for person in people:
            if person.staff_number not in booked:
                attendance.add_attendee(db, session, person, AttendanceStatus.ABSENT, booked_by, now)
                booked.add(person.staff_number)
                added += 1
    return added


def cancel(db: Database, session: Session, reason: str, actor: str, now: datetime) -> Session:
    """Cancel a session that has not run, saying why (kept in the audit trail, which goes to HQ)."""
    if session.status is not SessionStatus.PLANNED:
        raise UserFacingError("Only a session that has not started can be cancelled.")
    if not reason.strip():
        raise UserFacingError("Say why the session is cancelled: the reason is kept with the session's history.")
    with db.atomic():
        cancelled = _new_version(db, session, replace(session, status=SessionStatus.CANCELLED), now)
        audit.record(db, "correction", actor, f"session {session.uuid} cancelled: {reason.strip()[:300]}", now)
    return cancelled


def change(
    db: Database,
    session: Session,
    starts_at: datetime,
    venue: str,
    trainers: Sequence[str],
    actor: str,
    now: datetime,
    lengths: PlanLengths = UNKNOWN_PLANS,
    accepted: Collection[str] = (),
) -> Session:
    """A session that has not started, moved to another time or room and given to other trainers, checked as
    it will be once changed, in one: a move and a reassignment checked one after the other asked the lead
    twice, each time about some of the clashes. Refused, as planning is, while the trainers (a new time: and
    the people booked) are due at another session then, but for those in `accepted` (shown the clash, the lead
    chose to go ahead); and for a trainer booked on its register, who cannot be at the front and in a seat."""
    if session.status is not SessionStatus.PLANNED:
        raise UserFacingError("Only a session that has not started can be moved or given to other trainers.")
    moving = starts_at != session.starts_at
    if moving:
        refuse_an_unlikely_start(starts_at, now)
    named = tuple(dict.fromkeys(t for t in trainers if t))
    if not named:
        raise UserFacingError("Name at least one trainer to deliver the session.")
    if unknown := [t for t in named if t not in session.trainers and roster.get_person(db, t) is None]:
        raise UserFacingError(f"Not on the roster: {', '.join(unknown)}. Check the staff numbers.")
    booked = {line.attendance.staff_number: line.name for line in attendance.register(db, session.uuid)}
    if seated := [f"{booked[t]} ({t})" for t in named if t in booked]:
        raise UserFacingError(
            f"Booked on this session: {', '.join(seated)}. Take them off its register first, or name another trainer."
        )
    changed = replace(session, starts_at=starts_at, venue=venue, trainers=named)
    people = {*named, *booked} if moving else set(named) - set(session.trainers)
    _refuse_clashes(db, changed, people, lengths, accepted=accepted, changing=True)
    if changed == session:
        return session
    with db.atomic():
        changed = _new_version(db, session, changed, now)
        if moving or venue != session.venue:
            audit.record(db, "correction", actor, f"session {session.uuid} moved to {starts_at.isoformat()}", now)
        if named != session.trainers:
            db.execute("DELETE FROM session_trainers WHERE session_uuid = ?", [session.uuid])
            db.conn.executemany(
                "INSERT INTO session_trainers (session_uuid, staff_number, position) VALUES (?, ?, ?)",
                [(session.uuid, number, i) for i, number in enumerate(named)],
            )
            audit.record(db, "correction", actor, f"session {session.uuid} given to {', '.join(named)}", now)
    return changed


def on_newer_plan(db: Database, session: Session, plan: PlanRef, now: datetime) -> Session:
    """A planned session whose plan version is not on this laptop (HQ published a newer one after it was
    planned, and this laptop, enrolled since, was given only that), stamped with the newer version of the same
    plan, which it is then delivered from; HQ learns it with the session's next version."""
    if session.status is not SessionStatus.PLANNED:
        raise UserFacingError("Only a session that has not started moves to a newer version of its plan.")
    if (plan.plan_id, plan.programme_id) != (session.plan.plan_id, session.plan.programme_id):
        raise UserFacingError(f"Lesson plan {plan.plan_id} is not the plan this session was planned with.")
    with db.atomic():
        return _new_version(db, session, replace(session, plan=plan), now)


def _new_version(db: Database, session: Session, changed: Session, now: datetime) -> Session:
    changed = replace(changed, version=session.version + 1)
    db.execute(
        "UPDATE sessions SET status = ?, starts_at = ?, venue = ?, plan_version = ?, version = ?, updated_at = ?,"
        " acked_at = NULL WHERE uuid = ?",
        [
            changed.status.value,
            changed.starts_at.isoformat(),
            changed.venue,
            changed.plan.version,
            changed.version,
            now.isoformat(),
            session.uuid,
        ],
    )
    db.execute(
        "UPDATE attendance SET session_starts_at = ? WHERE session_uuid = ?",
        [changed.starts_at.isoformat(), session.uuid],
    )
    sessions.queue_version(db, session, changed, now)
    return changed
