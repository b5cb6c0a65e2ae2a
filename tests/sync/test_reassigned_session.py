"""A planned session given to another trainer reaches that trainer's laptop whole: the people booked on it
before the change, not only what changed after; moved and cancelled sessions follow it there too."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from tests.dates import ahead
from tests.hq_server import Hq
from tests.sync.test_force_truth import session_for
from trainer_desk import hq_link
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, delivery, planning, roster, sessions
from trainer_desk.workspace import Workspace, open_workspace

FORCE = [
    Person("100234", "Bronwen", "Price", "NORTH", PersonRole.STAFF),  # trainer 1
    Person("100235", "Tomasz", "Kowalczyk", "NORTH", PersonRole.OFFICER),  # trainer 2
    Person("100800", "Layla", "Haddad", "NORTH", PersonRole.OFFICER),  # the unit's training lead
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
    Person("710003", "Nguyễn", "Thị Lan", "EAST", PersonRole.OFFICER),
]


def enrolled(tmp_path: Path, name: str, hq: Hq, trainer: str, role: str = "trainer") -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / name))
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, trainer, "NORTH", role=role))
    hq_link.sync_once(workspace)
    return workspace


def test_a_session_given_to_another_trainer_arrives_with_everyone_booked_before(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hq_roster.import_roster(hq.engine, FORCE)
    lead = enrolled(tmp_path, "lead", hq, "100800", role="training_lead")
    trainer_1 = enrolled(tmp_path, "trainer-1", hq, "100234")
    trainer_2 = enrolled(tmp_path, "trainer-2", hq, "100235")

    # The lead plans a session for trainer 1 with three people booked; only trainer 1's laptop gets it.
    planned = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime.combine(ahead(45), time(9, 30), UTC),
        trainers=("100234",),
    )
    booked = [p for p in (roster.get_person(lead.db, n) for n in ("710001", "710002", "710003")) if p]
    planning.plan_session(lead.db, planned, booked, "100800", datetime.now(UTC))
    hq_link.sync_once(lead)
    assert hq_link.sync_once(trainer_1).sessions_received == 4
    assert hq_link.sync_once(trainer_2).sessions_received == 0

    # Trainer 1 is off sick: the lead gives the session to trainer 2 from the command line.
    lead.close()
    lead_data = ["--data-dir", str(AppPaths.resolve(tmp_path / "lead").data_dir)]
    assert main([*lead_data, "sessions", "assign", planned.uuid[:8], "--trainer", "100299", "--by", "100800"]) == 1
    assert "Not on the roster" in capsys.readouterr().err
    assert main([*lead_data, "sessions", "assign", planned.uuid[:8], "--trainer", "100235", "--by", "100800"]) == 0
    assert "is now 100235's to deliver" in capsys.readouterr().out
    lead = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    assert hq_link.sync_once(lead).flagged == 0

    # Trainer 2's laptop receives the session and the three bookings made before it was theirs.
    received = hq_link.sync_once(trainer_2)
    assert received.flagged == 0 and received.sessions_received == 4
    [arrived] = sessions.list_sessions(trainer_2.db)
    assert arrived.trainers == ("100235",) and arrived.status is SessionStatus.PLANNED
    register = attendance.register(trainer_2.db, planned.uuid)
    assert sorted(line.name for line in register) == ["Aleksandra Wiśniewska", "Nguyễn Thị Lan", "Rhys ap Gwilym"]
    assert {line.attendance.status for line in register} == {AttendanceStatus.ABSENT}

    # Moved, then cancelled by the lead: trainer 2's laptop follows both.
    lead.close()
    moved_to = datetime.combine(ahead(52), time(13, 0), UTC)
    move = ["sessions", "move", planned.uuid[:8], "--at", moved_to.isoformat(), "--venue", "Room 5"]
    assert main([*lead_data, *move, "--by", "100800"]) == 0
    lead = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.sync_once(lead)
    hq_link.sync_once(trainer_2)
    [moved] = sessions.list_sessions(trainer_2.db)
    assert moved.starts_at == moved_to and moved.venue == "Room 5"
    lead.close()
    assert main([*lead_data, "sessions", "cancel", planned.uuid[:8], "--by", "100800", "--reason", " "]) == 1
    assert "Say why" in capsys.readouterr().err
    cancel = ["sessions", "cancel", planned.uuid[:8], "--by", "100800", "--reason", "trainer unavailable"]
    assert main([*lead_data, *cancel]) == 0
    lead = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.sync_once(lead)
    hq_link.sync_once(trainer_2)
    [cancelled] = sessions.list_sessions(trainer_2.db)
    assert cancelled.status is SessionStatus.CANCELLED
    for workspace in (lead, trainer_1, trainer_2):
        workspace.close()


def test_a_lead_who_syncs_rarely_gets_a_session_closed_since_with_its_whole_register(hq: Hq, tmp_path: Path) -> None:
    """A session is numbered again when it closes, after the registrations made in it: the lead's laptop, last
    synced before the session began, must still receive the register, not only the closed session."""
    hq_roster.import_roster(hq.engine, FORCE)
    trainer = enrolled(tmp_path, "trainer", hq, "100234")
    lead = enrolled(tmp_path, "lead", hq, "100800", role="training_lead")
    run = session_for("100234", "NORTH", 12)
    sessions.create_session(trainer.db, run, run.starts_at)
    hq_link.sync_once(trainer)  # the session reaches HQ as it starts; the lead's laptop is not synced
    for person in FORCE[3:]:
        attendance.add_attendee(trainer.db, run, person, AttendanceStatus.PRESENT, "100234", run.starts_at)
    delivery.close_session(trainer.db, run, delivery.checklist_for(trainer.db, run, []), "100234", run.starts_at)
    hq_link.sync_once(trainer)

    hq_link.sync_once(lead)
    held = sessions.get_session(lead.db, run.uuid)
    assert held is not None and held.status == SessionStatus.CLOSED
    register = {line.attendance.staff_number for line in attendance.register(lead.db, run.uuid)}
    assert register == {"710001", "710002", "710003"}
    for workspace in (trainer, lead):
        workspace.close()
