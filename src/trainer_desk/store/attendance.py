"""The register as the database holds it. Every change is a new version queued for HQ in the same
transaction; after a session is closed, a change is a correction with a reason, kept in an audit trail."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import Attendance, AttendanceStatus, follow_up_due
from trainer_desk.core.earlier_registration import EarlierRegistration
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person
from trainer_desk.core.sessions import Session, SessionStatus, refuse_if_cancelled
from trainer_desk.core.wire import attendance_to_wire
from trainer_desk.store import audit, completions, outbox
from trainer_desk.store.connection import Database, IntegrityError

_COLUMNS = (
    "a.uuid, a.session_uuid, a.staff_number, a.unit_code, a.status, a.marked_at, a.recorded_by, a.follow_up_due,"
    " a.walk_in, a.walk_in_name, a.version"
)


class AlreadyRegisteredError(UserFacingError):
    pass


@dataclass(frozen=True, slots=True)
class RegisterLine:
    attendance: Attendance
    name: str  # from the roster, or as the walk-in gave it


def add_attendee(
    db: Database,
    session: Session,
    person: Person,
    status: AttendanceStatus,
    recorded_by: str,
    now: datetime,
    walk_in: bool = False,
    reason: str = "",
) -> Attendance:
    """A new line on the register. Once the session is closed, adding someone is a correction like any other:
    it needs a reason and is kept in the audit trail (its `from` status is empty: not on the register)."""
    refuse_when_cancelled(db, session)
    closed = session.status is SessionStatus.CLOSED
    if closed and not reason.strip():
        raise UserFacingError("This session is closed: say why someone is being added to the register.")
    record = Attendance(
        uuid=new_uuid(),
        session_uuid=session.uuid,
        staff_number=person.staff_number,
        unit_code=person.unit_code,
        status=status,
        marked_at=now,
        recorded_by=recorded_by,
        follow_up_due=_follow_up_due(session),
        walk_in=walk_in,
        walk_in_name=person.full_name if walk_in else "",
    )
    return _insert(db, session, record, person.full_name, closed, reason, recorded_by, now)


def restore_attendee(
    db: Database, session: Session, removed: Attendance, name: str, restored_by: str, now: datetime
) -> Attendance:
    """Undo a removal: the line comes back as it was (its status, the time it was marked and who marked it),
    so the register and the signed sheet read as though it had never gone. It is a new line to HQ, which
    has the old one's tombstone."""
    refuse_when_cancelled(db, session)
    if session.status is SessionStatus.CLOSED:
        raise UserFacingError("This session is closed: add them again and say why, instead of undoing.")
    record = replace(removed, uuid=new_uuid(), session_uuid=session.uuid, version=1)
    with db.atomic():
        restored = _insert(db, session, record, name, False, "", restored_by, now)
        audit.record(db, "correction", restored_by, f"attendance {record.uuid}: removal of {removed.uuid} undone", now)
    return restored


def _insert(
    db: Database, session: Session, record: Attendance, name: str, closed: bool, reason: str, by: str, now: datetime
) -> Attendance:
    """A new line and its outbox entry in one transaction (and its correction, once the session is closed);
    `name` says who is on the register already, if they are."""
    try:
        with db.atomic():
            db.execute(
                "INSERT INTO attendance (uuid, session_uuid, staff_number, unit_code, programme_id, status, marked_at,"
                " recorded_by, follow_up_due, walk_in, walk_in_name, version, session_starts_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                [
                    record.uuid,
                    session.uuid,
                    record.staff_number,
                    record.unit_code,
                    session.plan.programme_id,
                    record.status.value,
                    record.marked_at.isoformat(),
                    record.recorded_by,
                    record.follow_up_due.isoformat(),
                    int(record.walk_in),
                    record.walk_in_name,
                    1,
                    session.starts_at.isoformat(),
                ],
            )
            if closed:
                _record_correction(db, record, "", reason, by, now)
            payload = attendance_to_wire(record) | ({"correction_reason": reason.strip()} if closed else {})
            outbox.enqueue(db, entity="attendance", entity_uuid=record.uuid, version=1, payload=payload, now=now)
    except IntegrityError as error:
        if "UNIQUE" in str(error):
            raise AlreadyRegisteredError(f"{name} is already on this register.") from error
        raise
    return record


def refuse_when_cancelled(db: Database, session: Session) -> None:
    """By the session as stored, not as the window read it: a sync may have brought HQ's cancellation since."""
    row = db.execute("SELECT status FROM sessions WHERE uuid = ?", [session.uuid]).fetchone()
    refuse_if_cancelled(str(row[0]) if row else session.status)


def _follow_up_due(session: Session) -> date:
    """Six months from the day the session was held, as the force's clocks read it, whatever this laptop's zone
    (00:30 on a summer morning is the evening before in UTC): the day HQ and the sheets go by."""
    return follow_up_due(force_clock.local(session.starts_at).date())


def change_status(
    db: Database,
    session: Session,
    record: Attendance,
    status: AttendanceStatus,
    changed_by: str,
    now: datetime,
    reason: str = "",
) -> Attendance:
    """A new version of the line; once the session is closed it needs a reason and is kept in the audit trail.
    Someone booked (absent) who arrives while the session is open is marked at the time they arrived: the time
    the line was booked would print on the signed sheet as their arrival, before the session began. Their
    follow-up falls due six months after the day the session was held, which for a planned session started on
    another day is not the day it was booked for. Their arrival is recorded by whoever marked it (the trainer,
    or the person at self sign-in), not by whoever booked them."""
    if status == record.status:
        return record
    refuse_when_cancelled(db, session)
    closed = session.status is SessionStatus.CLOSED
    if closed and not reason.strip():
        raise UserFacingError("This session is closed: say why the register is being corrected.")
    arrived = not closed and record.status is AttendanceStatus.ABSENT
    changed = replace(
        record,
        status=status,
        version=record.version + 1,
        marked_at=now if arrived else record.marked_at,
        recorded_by=changed_by if arrived else record.recorded_by,
        follow_up_due=_follow_up_due(session),
    )
    with db.atomic():
        updated = db.execute(
            "UPDATE attendance SET status = ?, version = ?, marked_at = ?, recorded_by = ?, follow_up_due = ?,"
            " acked_at = NULL WHERE uuid = ? AND version = ?",
            [
                status.value,
                changed.version,
                changed.marked_at.isoformat(),
                changed.recorded_by,
                changed.follow_up_due.isoformat(),
                record.uuid,
                record.version,
            ],
        ).rowcount
        if updated != 1:
            raise UserFacingError("This line was changed elsewhere a moment ago; look at the register again.")
        if closed:
            _record_correction(db, changed, record.status.value, reason, changed_by, now)
        payload = attendance_to_wire(changed) | ({"correction_reason": reason.strip()} if closed else {})
        outbox.enqueue(
            db,
            entity="attendance",
            entity_uuid=record.uuid,
            version=changed.version,
            base_version=record.version,
            payload=payload,
            now=now,
        )
    return changed


def _record_correction(db: Database, line: Attendance, was: str, reason: str, by: str, now: datetime) -> None:
    """A change to a closed register, with its reason, in the corrections and the audit trail."""
    db.execute(
        "INSERT INTO attendance_corrections (uuid, attendance_uuid, from_status, to_status, reason,"
        " corrected_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [new_uuid(), line.uuid, was, line.status.value, reason.strip(), by, now.isoformat()],
    )
    audit.record(db, "correction", by, f"attendance {line.uuid}: {was or 'added'} to {line.status.value}", now)


def remove_attendee(db: Database, session: Session, record: Attendance, removed_by: str, now: datetime) -> None:
    """Take a line added by mistake off an open register; HQ hears of it as a tombstone.

    The line itself goes, so the same person can be added again (an undo is a new line). After the session
    is closed nothing is removed: a mistake there is a correction with a reason.
    """
    refuse_when_cancelled(db, session)
    if session.status is SessionStatus.CLOSED:
        raise UserFacingError("This session is closed: correct the line's status and say why, instead of removing it.")
    gone = replace(record, version=record.version + 1)
    with db.atomic():
        removed = db.execute(
            "DELETE FROM attendance WHERE uuid = ? AND version = ?", [record.uuid, record.version]
        ).rowcount
        if removed != 1:
            raise UserFacingError("This line was changed elsewhere a moment ago; look at the register again.")
        audit.record(db, "correction", removed_by, f"attendance {record.uuid}: removed before closing", now)
        outbox.enqueue(
            db,
            entity="attendance",
            entity_uuid=record.uuid,
            version=gone.version,
            base_version=record.version,
            payload=attendance_to_wire(gone),
            now=now,
            op="delete",
        )


def mark_all(db: Database, session: Session, status: AttendanceStatus, changed_by: str, now: datetime) -> int:
    """Every line to `status` in one transaction (before the session is closed)."""
    with db.atomic():
        lines = [line.attendance for line in register(db, session.uuid) if line.attendance.status != status]
        for record in lines:
            change_status(db, session, record, status, changed_by, now)
    return len(lines)


_LINES = (
    f"SELECT {_COLUMNS}, coalesce(written_name(p.forename, p.surname), a.walk_in_name) FROM attendance a"
    " LEFT JOIN people p ON p.staff_number = a.staff_number"
)


def register(db: Database, session_uuid: str) -> list[RegisterLine]:
    rows = db.execute(
        f"{_LINES} WHERE a.session_uuid = ? AND a.deleted = 0 ORDER BY a.marked_at, a.rowid", [session_uuid]
    ).fetchall()
    return [RegisterLine(_attendance(row), row[-1] or row[9]) for row in rows]


def register_line(db: Database, uuid: str) -> RegisterLine | None:
    """One line as the register shows it, named by the same rule as the whole register: a window that has
    just written a line shows the name from here, never a staff number in its place."""
    row = db.execute(f"{_LINES} WHERE a.uuid = ? AND a.deleted = 0", [uuid]).fetchone()
    return RegisterLine(_attendance(row), row[-1] or row[9]) if row else None


def corrections(db: Database, session_uuid: str) -> list[tuple[str, str, str, str, str, str]]:
    """(staff number, from, to, reason, who, when) for every correction after closing."""
    return db.execute(
        "SELECT a.staff_number, c.from_status, c.to_status, c.reason, c.corrected_by, c.corrected_at"
        " FROM attendance_corrections c JOIN attendance a ON a.uuid = c.attendance_uuid"
        " WHERE a.session_uuid = ? ORDER BY c.corrected_at, c.rowid",
        [session_uuid],
    ).fetchall()


def previous_completion(db: Database, staff_number: str, programme_id: str, session_uuid: str) -> date | None:
    """When this person last completed the programme in another session, on this laptop or (once synced) any."""
    return completions.last_completed(db, staff_number, programme_id, session_uuid)


def previous_registration(
    db: Database, staff_number: str, programme_id: str, session_uuid: str
) -> EarlierRegistration | None:
    """The other session this person last counted for the programme from, and whether it was closed: what the
    register asks about before adding them again."""
    return completions.last_registration(db, staff_number, programme_id, session_uuid)


def _attendance(row: tuple[object, ...]) -> Attendance:
    return Attendance(
        uuid=str(row[0]),
        session_uuid=str(row[1]),
        staff_number=str(row[2]),
        unit_code=str(row[3]),
        status=AttendanceStatus(str(row[4])),
        marked_at=datetime.fromisoformat(str(row[5])),
        recorded_by=str(row[6]),
        follow_up_due=date.fromisoformat(str(row[7])),
        walk_in=bool(row[8]),
        walk_in_name=str(row[9]),
        version=int(str(row[10])),
    )
