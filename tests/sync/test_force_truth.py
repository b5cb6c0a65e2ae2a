"""Force truth at the edge: what one trainer records reaches every other laptop through HQ, so the register's
"already completed" notice and the compliance report know about people other trainers trained."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.export.test_reports import pdf_pages
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.store import attendance, exemptions, planning, reports, roster, sessions
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace, open_workspace

PLAN = load_library(bundled("lesson_plans")).get("signa-core")
# People from two units: attendees come from anywhere, and each laptop is enrolled for one unit.
FORCE = [
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER, team="Response A"),
    Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
    Person("710003", "Nguyễn", "Thị Lan", "EAST", PersonRole.OFFICER),
    Person("710004", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF),
]


def laptop(tmp_path: Path, name: str, hq: Hq, trainer: str, unit: str) -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / name))
    assert hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, trainer, unit)) == unit
    return workspace


def session_for(trainer: str, unit: str, day: int) -> Session:
    assert PLAN is not None
    return Session(
        new_uuid(),
        PlanRef(PLAN.id, PLAN.version, PLAN.programme.id),
        unit,
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime(2026, 11, day, 9, tzinfo=UTC),
        trainers=(trainer,),
    )


@pytest.fixture
def laptops(tmp_path: Path, hq: Hq) -> Iterator[tuple[Workspace, Workspace]]:
    hq_roster.import_roster(hq.engine, FORCE)
    first = laptop(tmp_path, "trainer-1", hq, "100234", "NORTH")
    second = laptop(tmp_path, "trainer-2", hq, "100235", "EAST")
    yield first, second
    first.close()
    second.close()


def test_a_person_trained_on_one_laptop_is_known_as_completed_on_another(
    qtbot: QtBot, laptops: tuple[Workspace, Workspace]
) -> None:
    assert PLAN is not None
    first, second = laptops
    for workspace in laptops:
        hq_link.sync_once(workspace)  # each receives the whole force's roster, not only its unit
        assert roster.count_people(workspace.db) == len(FORCE)
    trained = roster.get_person(first.db, "710003")  # from EAST, trained by North's trainer
    assert trained is not None
    earlier = session_for("100234", "NORTH", 12)
    sessions.create_session(first.db, earlier, earlier.starts_at)
    attendance.add_attendee(first.db, earlier, trained, AttendanceStatus.PRESENT, "100234", earlier.starts_at)
    hq_link.sync_once(first)
    hq_link.sync_once(second)

    # On the second laptop, the trainer scans the same person into a later session: the notice names the date.
    later = session_for("100235", "EAST", 26)
    sessions.create_session(second.db, later, later.starts_at)
    tasks = TaskRunner()
    register = RegisterWindow(second, tasks, later, PLAN)
    qtbot.addWidget(register)
    register.show()
    qtbot.keyClicks(register.search, "710003")
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    assert register.question.isVisible()
    assert "already completed this programme on 12 Nov 2026" in register.question.text()
    register.close()
    tasks.wait()

    # The second laptop's compliance report counts the person, though no session on it trained them.
    report = reports.compliance(
        second.db,
        Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE"),
        PLAN.programme.id,
        PLAN.programme.name,
        "EAST",
        datetime(2026, 11, 1).date(),
        datetime(2026, 11, 30).date(),
    )
    [east] = report.units
    assert (east.people, east.completed) == (2, 1)
    assert re.match(r"As of the last sync with HQ at \d\d \w{3} \d{4} \d\d:\d\d \(UK time\), ", report.basis)
    assert "waiting" in report.basis and "Warning" not in report.basis  # the new session has not gone yet
    assert [o.staff_number for o in report.outstanding] == ["710004"]

    # Marked absent after all (a correction on the first laptop): the second laptop stops counting it.
    [line] = attendance.register(first.db, earlier.uuid)
    attendance.change_status(
        first.db, earlier, line.attendance, AttendanceStatus.ABSENT, "100234", earlier.starts_at, "wrong person"
    )
    hq_link.sync_once(first)
    hq_link.sync_once(second)
    assert attendance.previous_completion(second.db, "710003", PLAN.programme.id, later.uuid) is None


def test_a_laptop_on_the_previous_protocol_still_gets_its_units_roster(hq: Hq) -> None:
    hq_roster.import_roster(hq.engine, FORCE)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    enrolled = requests.post(
        hq.url + "/v1/enroll",
        json={"code": code, "device_name": "old laptop"},
        headers={PROTOCOL_HEADER: "1"},
        timeout=10,
    )
    assert enrolled.status_code == 200
    headers = {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {enrolled.json()['token']}"}
    answer = requests.get(hq.url + "/v1/changes?since=0", headers=headers, timeout=10)
    assert answer.status_code == 200
    body = answer.json()
    assert {r["staff_number"] for r in body["roster"]} == {"710001", "710002"}  # its unit, as before
    assert "completions" not in body
    unknown = requests.get(hq.url + "/v1/changes?since=0", headers={**headers, PROTOCOL_HEADER: "9"}, timeout=10)
    assert unknown.status_code == 426


def test_a_training_lead_sees_the_units_sessions_and_plans_one_that_a_trainer_runs(
    qtbot: QtBot, hq: Hq, tmp_path: Path
) -> None:
    """Two trainers and their BCU's training lead, all in North, through one HQ."""
    assert PLAN is not None
    hq_roster.import_roster(hq.engine, FORCE)
    trainer_1 = laptop(tmp_path, "trainer-1", hq, "100234", "NORTH")
    trainer_2 = laptop(tmp_path, "trainer-2", hq, "100235", "NORTH")
    lead_code = hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead")
    lead = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.enroll(lead, hq.url, lead_code)
    for workspace in (trainer_1, trainer_2, lead):
        hq_link.sync_once(workspace)

    # Trainer 1 runs a session; the lead's laptop receives it, register and all, and counts the person.
    person = roster.get_person(trainer_1.db, "710003")
    assert person is not None
    run = replace(session_for("100234", "NORTH", 12), status=SessionStatus.RUNNING)
    sessions.create_session(trainer_1.db, run, run.starts_at)
    attendance.add_attendee(trainer_1.db, run, person, AttendanceStatus.PRESENT, "100234", run.starts_at)
    hq_link.sync_once(trainer_1)
    received = hq_link.sync_once(lead)
    assert received.sessions_received == 2  # the session and its one registration
    assert [s.uuid for s in sessions.list_sessions(lead.db)] == [run.uuid]
    assert [line.name for line in attendance.register(lead.db, run.uuid)] == ["Nguyễn Thị Lan"]
    report = reports.compliance(
        lead.db,
        Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE"),
        PLAN.programme.id,
        PLAN.programme.name,
        None,
        datetime(2026, 11, 1).date(),
        datetime(2026, 11, 30).date(),
    )
    assert report.completed == 1 and report.sessions_delivered == 1
    sheet = run_export(
        lead, ExportRequest("attendance", output=tmp_path / "attendance.pdf", session=run.uuid), "training lead"
    )
    assert "Nguyễn Thị Lan" in " ".join(pdf_pages(sheet)) and "Present" in " ".join(pdf_pages(sheet))
    assert hq_link.sync_once(trainer_2).sessions_received == 0  # another trainer's session stays on its laptops

    # The lead plans a session for trainer 2 with two people expected.
    planned = session_for("100235", "NORTH", 28)
    expected = [p for p in (roster.get_person(lead.db, n) for n in ("710001", "710002")) if p]
    planning.plan_session(lead.db, planned, expected, "100800", datetime(2026, 11, 20, tzinfo=UTC))
    hq_link.sync_once(lead)
    assert hq_link.sync_once(trainer_2).sessions_received == 3
    [arrived] = sessions.list_sessions(trainer_2.db)
    assert arrived.uuid == planned.uuid and arrived.trainers == ("100235",)
    booked = attendance.register(trainer_2.db, planned.uuid)
    assert {line.attendance.staff_number: line.attendance.status for line in booked} == {
        "710001": AttendanceStatus.ABSENT,
        "710002": AttendanceStatus.ABSENT,
    }
    sign_in = run_export(
        trainer_2, ExportRequest("sign-in", output=tmp_path / "sign-in.pdf", session=planned.uuid), "trainer"
    )
    printed = " ".join(pdf_pages(sign_in))  # before the day: the people expected, to sign beside their names
    assert "Aleksandra Wiśniewska" in printed and "Rhys ap Gwilym" in printed and "28 November 2026" in printed
    lead.close()
    trainer_1.close()

    # On the day, trainer 2 scans the one who came; the other stays absent (booked); HQ takes both from trainer 2.
    tasks = TaskRunner()
    register = RegisterWindow(trainer_2, tasks, arrived, PLAN)
    qtbot.addWidget(register)
    register.show()
    qtbot.keyClicks(register.search, "710001")
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: any(
            line.attendance.staff_number == "710001" and line.attendance.status is AttendanceStatus.PRESENT
            for line in register.lines
        ),
        timeout=5000,
    )
    register.close()
    tasks.wait()
    report_2 = hq_link.sync_once(trainer_2)
    assert report_2.flagged == 0 and report_2.pushed == 2  # the change of status, and the audit entry of the export
    statuses = {
        r["staff_number"]: r["status"] for r in hq_records.registrations(hq.engine) if r["session_uuid"] == planned.uuid
    }
    assert statuses == {"710001": "present", "710002": "absent"}
    trainer_2.close()


def test_an_exemption_reaches_hq_with_its_reason(laptops: tuple[Workspace, Workspace], hq: Hq) -> None:
    first, _ = laptops
    hq_link.sync_once(first)
    exemptions.record(
        first.db, "710002", "signa", ExemptionKind.OTHER_WAY, "completed one to one", "100234", datetime.now(UTC)
    )
    report = hq_link.sync_once(first)
    assert report.flagged == 0
    [stored] = list(hq_records.records_of(hq.engine, "exemption"))
    assert (stored["staff_number"], stored["kind"], stored["reason"]) == ("710002", "other-way", "completed one to one")
