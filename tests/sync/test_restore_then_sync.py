"""A laptop put back to an old backup (`trainer-desk restore`) counts, after its next sync, what it recorded
after that backup. HQ holds those registrations, but never sends a laptop what it sent itself, and the backup
took the laptop's place in HQ's record back with it: the person trained after the backup stayed on its chase
list for good, while HQ counted them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import reports
from trainer_desk.store.attendance import add_attendee
from trainer_desk.store.sessions import create_session
from trainer_desk.workspace import Workspace, open_workspace

PEOPLE = [
    Person("710061", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("710062", "Rhys", "ap Gwilym", "NORTH", PersonRole.OFFICER),
    Person("710063", "Nguyễn", "Thị Lan", "NORTH", PersonRole.OFFICER),
]


def trained(laptop: Workspace, person: Person, starts: datetime) -> None:
    plan = load_library(bundled("lesson_plans")).get("signa-core")
    assert plan is not None
    run = Session(
        new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Training room 2",
        DeliveryMode.IN_PERSON, starts, trainers=("100234",),
    )  # fmt: skip
    create_session(laptop.db, run, starts)
    add_attendee(laptop.db, run, person, AttendanceStatus.PRESENT, "100234", starts)


def outstanding(laptop: Workspace) -> list[str]:
    today = date.today()
    report = reports.compliance(
        laptop.db, Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE"), "signa", "SIGNA", "NORTH",
        today - timedelta(days=30), today + timedelta(days=1),
    )  # fmt: skip
    return sorted(o.staff_number for o in report.outstanding)


def test_a_laptop_restored_from_an_old_backup_counts_what_it_recorded_after_it(hq: Hq, tmp_path: Path) -> None:
    hq_roster.import_roster(hq.engine, PEOPLE)
    paths = AppPaths.resolve(tmp_path / "trainer")
    data = ["--data-dir", str(paths.data_dir)]
    laptop = open_workspace(paths)
    hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    hq_link.sync_once(laptop)
    earlier = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    trained(laptop, PEOPLE[0], earlier)
    hq_link.sync_once(laptop)
    backup = tmp_path / "monday.sqlite3"
    assert main([*data, "backup", "-o", str(backup)]) == 0
    trained(laptop, PEOPLE[1], earlier + timedelta(days=1))  # after the backup
    hq_link.sync_once(laptop)
    assert outstanding(laptop) == ["710063"]
    laptop.close()

    assert main([*data, "restore", str(backup)]) == 0  # the disk failed; Monday's backup is put back
    laptop = open_workspace(paths)
    try:
        assert outstanding(laptop) == ["710062", "710063"]  # as of the backup
        hq_link.sync_once(laptop)
        assert outstanding(laptop) == ["710063"]  # Rhys, trained after it, counts again, as at HQ
    finally:
        laptop.close()
