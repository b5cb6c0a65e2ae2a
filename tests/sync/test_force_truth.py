"""Force truth at the edge: what one trainer records reaches every other laptop through HQ, so the register's
"already completed" notice and the compliance report know about people other trainers trained."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance, reports, roster, sessions
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
    assert register.notice.isVisible()
    assert "already completed this programme on 12 Nov 2026" in register.notice.text()
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
    assert report.basis.startswith("As of the last sync with HQ at ")
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
