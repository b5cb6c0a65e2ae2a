from __future__ import annotations

import json
import time
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from trainer_desk.core.attendance import AttendanceStatus, follow_up_due
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.store import attendance, delivery, feedback, planning, roster, sessions
from trainer_desk.store.attendance import AlreadyRegisteredError
from trainer_desk.workspace import Workspace

from .test_sessions import make_session

T0 = datetime(2026, 8, 31, 9, 0, tzinfo=UTC)
AOIFE = Person("100001", "Aoife", "Ní Bhriain", "NORTH", PersonRole.OFFICER)
P = AttendanceStatus.PRESENT


def test_six_month_follow_up_dates_respect_short_months() -> None:
    assert follow_up_due(date(2026, 8, 31)) == date(2027, 2, 28)
    assert follow_up_due(date(2026, 1, 15)) == date(2026, 7, 15)


def test_one_line_per_person_each_with_its_outbox_entry(workspace: Workspace) -> None:
    roster.upsert_people(workspace.db, [AOIFE])
    session = sessions.create_session(workspace.db, make_session(), T0)
    record = attendance.add_attendee(workspace.db, session, AOIFE, P, "100234", T0)
    with pytest.raises(AlreadyRegisteredError, match="Aoife Ní Bhriain is already on this register"):
        attendance.add_attendee(workspace.db, session, AOIFE, AttendanceStatus.LATE, "100234", T0)
    [line] = attendance.register(workspace.db, session.uuid)
    assert line.name == "Aoife Ní Bhriain" and line.attendance == record
    entities = workspace.db.execute("SELECT entity, payload FROM outbox ORDER BY seq").fetchall()
    assert [e for e, _ in entities] == ["session", "attendance"]
    assert json.loads(entities[1][1])["follow_up_due"] == follow_up_due(session.starts_at.date()).isoformat()


def test_walk_ins_are_flagged_and_named(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), T0)
    walk_in = Person("999001", "Dev", "Patel", "EAST", PersonRole.STAFF)
    attendance.add_attendee(workspace.db, session, walk_in, P, "100234", T0, walk_in=True)
    [line] = attendance.register(workspace.db, session.uuid)
    assert line.attendance.walk_in and line.name == "Dev Patel" and line.attendance.unit_code == "EAST"


def test_corrections_after_closing_need_a_reason_and_leave_an_audit_trail(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), T0)
    record = attendance.add_attendee(workspace.db, session, AOIFE, P, "100234", T0)
    record = attendance.change_status(workspace.db, session, record, AttendanceStatus.LATE, "100234", T0)
    assert attendance.corrections(workspace.db, session.uuid) == []  # before closing, a change is just a change
    checklist = delivery.checklist_for(workspace.db, session, [])
    closed = delivery.close_session(workspace.db, session, checklist, "100234", T0)
    assert closed.status is SessionStatus.CLOSED
    with pytest.raises(UserFacingError, match="say why"):
        attendance.change_status(workspace.db, closed, record, AttendanceStatus.LEFT_EARLY, "100234", T0)
    later = T0 + timedelta(days=2)
    changed = attendance.change_status(
        workspace.db, closed, record, AttendanceStatus.LEFT_EARLY, "S20001", later, reason="Left at the break"
    )
    assert changed.version == 3
    assert attendance.corrections(workspace.db, session.uuid) == [
        ("100001", "late", "left-early", "Left at the break", "S20001", later.isoformat())
    ]
    last = workspace.db.execute("SELECT version, base_version, payload FROM outbox ORDER BY seq DESC").fetchone()
    assert last[:2] == (3, 2) and json.loads(last[2])["correction_reason"] == "Left at the break"
    with pytest.raises(UserFacingError, match="changed elsewhere"):  # a stale version is refused
        attendance.change_status(workspace.db, closed, record, P, "S20001", later, reason="again")


def test_mark_all_and_previous_completion(workspace: Workspace) -> None:
    first = sessions.create_session(workspace.db, make_session(), T0)
    attendance.add_attendee(workspace.db, first, AOIFE, AttendanceStatus.LATE, "100234", T0)
    second = sessions.create_session(workspace.db, make_session(), T0 + timedelta(days=30))
    assert attendance.previous_completion(workspace.db, "100001", "signa", second.uuid) == first.starts_at.date()
    assert attendance.previous_completion(workspace.db, "100001", "upstander", second.uuid) is None
    other = Person("100002", "Sean", "O'Brien", "NORTH", PersonRole.OFFICER)
    for person in (AOIFE, other):
        attendance.add_attendee(workspace.db, second, person, AttendanceStatus.ABSENT, "100234", T0)
    assert attendance.mark_all(workspace.db, second, P, "100234", T0) == 2
    assert {line.attendance.status for line in attendance.register(workspace.db, second.uuid)} == {P}


def test_feedback_is_kept_without_any_link_to_a_person(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), T0)
    form = Feedback(new_uuid(), session.uuid, False, "Too long", (ObjectiveRating("impact", 2, 4),))
    feedback.save_feedback(workspace.db, form, T0 + timedelta(minutes=17))
    assert feedback.feedback_count(workspace.db, session.uuid) == 1
    columns = set(workspace.db.columns("feedback"))
    assert not columns & {"staff_number", "recorded_by", "marked_at"}
    payload = json.loads(workspace.db.execute("SELECT payload FROM outbox WHERE entity = 'feedback'").fetchone()[0])
    assert payload == {
        "uuid": form.uuid,
        "session_uuid": session.uuid,
        "would_recommend": False,
        "reason_not": "Too long",
        "ratings": [{"objective_id": "impact", "before": 2, "after": 4}],
    }


def test_a_planned_session_started_early_sets_the_follow_up_from_the_day_it_was_held(workspace: Workspace) -> None:
    """Planned for the 14th, held on the 4th: the follow-up asks after six months from the 4th, the day the
    person was trained, not from the day the session was booked for."""
    roster.upsert_people(workspace.db, [AOIFE])
    held = datetime(2026, 9, 4, 9, 0, tzinfo=UTC)
    planned = replace(
        make_session(), starts_at=held + timedelta(days=10), status=SessionStatus.PLANNED, trainers=("100234",)
    )
    planning.plan_session(workspace.db, planned, [AOIFE], "100234", held - timedelta(days=20))
    started = delivery.set_status(workspace.db, planned, SessionStatus.RUNNING, held)
    [booked] = attendance.register(workspace.db, started.uuid)
    attendance.change_status(workspace.db, started, booked.attendance, P, "100234", held + timedelta(minutes=5))
    [line] = attendance.register(workspace.db, started.uuid)
    assert line.attendance.follow_up_due == date(2027, 3, 4)
    [(payload,)] = workspace.db.execute(
        "SELECT payload FROM outbox WHERE entity = 'attendance' ORDER BY seq DESC LIMIT 1"
    ).fetchall()
    assert json.loads(payload)["follow_up_due"] == "2027-03-04"


def test_a_session_started_just_after_midnight_in_summer_is_followed_up_from_that_day(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """00:30 on 1 September on a UK laptop is 23:30 on 31 August in UTC, as the session is stored: the
    follow-up is six months from 1 September, the day the room met."""
    with monkeypatch.context() as zone:
        zone.setenv("TZ", "Europe/London")
        time.tzset()
        try:
            roster.upsert_people(workspace.db, [AOIFE])
            held = datetime(2026, 8, 31, 23, 30, tzinfo=UTC)
            session = sessions.create_session(workspace.db, replace(make_session(), starts_at=held), held)
            line = attendance.add_attendee(workspace.db, session, AOIFE, P, "100234", held)
        finally:
            zone.undo()
            time.tzset()
    assert line.follow_up_due == date(2027, 3, 1)
