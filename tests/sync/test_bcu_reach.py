"""A BCU's laptop reaches the BCU's teams, as HQ's console counts a unit with everything under it: a session
planned for a team in North reaches North's training lead, whose laptop corrects its register; a session of
another BCU neither reaches that laptop nor takes its writes."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

from tests.dates import ahead
from tests.hq.raw_laptop import RawLaptop, attendance, item
from tests.hq.raw_laptop import session as raw_session
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import planning as hq_planning
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import attendance as attendance_store
from trainer_desk.store import sessions
from trainer_desk.workspace import Workspace, open_workspace

TREE = [
    UnitNode("FORCE", "Demonstration Police Service", "force"),
    *(UnitNode(code, f"{code.title()} BCU", "BCU", "FORCE") for code in ("NORTH", "EAST", "WEST")),
    UnitNode("NORTH-RESP", "North Response", "team", "NORTH"),
    UnitNode("NORTH-NPT", "North Neighbourhood", "team", "NORTH"),
    UnitNode("EAST-RESP", "East Response", "team", "EAST"),
]
PEOPLE = [
    Person("100800", "Layla", "Haddad", "NORTH", PersonRole.OFFICER),  # North's training lead
    Person("100234", "Bronwen", "Price", "NORTH-RESP", PersonRole.STAFF),  # a trainer in a team of North
    Person("100900", "Dewi", "Morgan", "EAST-RESP", PersonRole.STAFF),  # a trainer in a team of East
    Person("710054", "Aleksandra", "Wiśniewska", "NORTH-RESP", PersonRole.OFFICER),
    Person("710055", "Rhys", "ap Gwilym", "NORTH-RESP", PersonRole.STAFF),
    Person("720060", "Nguyễn", "Thị Lan", "EAST-RESP", PersonRole.OFFICER),
]


def force_with_teams(hq: Hq) -> None:
    hq_units.import_units(hq.engine, TREE)
    hq_roster.import_roster(hq.engine, PEOPLE)
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)


def lead_laptop(tmp_path: Path, hq: Hq) -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead"))
    hq_link.sync_once(workspace)
    return workspace


def planned_at_hq(hq: Hq, unit: str, trainer: str, expected: list[str]) -> str:
    planned = hq_planning.plan_session(
        hq.engine,
        hq.blobs,
        plan_id="signa-core",
        starts_at=datetime.combine(ahead(40), time(9, 30), UTC),
        venue="Training room 3",
        unit=unit,
        trainers=[trainer],
        expected=expected,
    )
    return planned.session.uuid


def test_a_session_planned_for_a_team_reaches_the_bcu_leads_laptop_which_corrects_its_register(
    hq: Hq, tmp_path: Path
) -> None:
    force_with_teams(hq)
    lead = lead_laptop(tmp_path, hq)
    north_team = planned_at_hq(hq, "NORTH-RESP", "100234", ["710054", "710055"])
    east_team = planned_at_hq(hq, "EAST-RESP", "100900", ["720060"])

    # North's lead gets the team's session with both people booked, and not East's.
    assert hq_link.sync_once(lead).sessions_received == 3
    [held] = sessions.list_sessions(lead.db)
    assert held.uuid == north_team and held.unit_code == "NORTH-RESP"
    register = attendance_store.register(lead.db, north_team)
    assert sorted(line.name for line in register) == ["Aleksandra Wiśniewska", "Rhys ap Gwilym"]

    # The lead corrects the register: one of them came after all. HQ takes the correction.
    [line] = [line for line in register if line.attendance.staff_number == "710054"]
    attendance_store.change_status(
        lead.db, held, line.attendance, AttendanceStatus.PRESENT, "100800", datetime.now(UTC)
    )
    assert hq_link.sync_once(lead).flagged == 0
    statuses = {
        r["staff_number"]: r["status"] for r in hq_records.registrations(hq.engine) if r["session_uuid"] == north_team
    }
    assert statuses == {"710054": "present", "710055": "absent"}
    lead.close()

    # A laptop enrolled afterwards starts from HQ's whole picture, and finds the same.
    spare = lead_laptop(tmp_path / "spare", hq)
    assert [s.uuid for s in sessions.list_sessions(spare.db)] == [north_team]
    assert len(attendance_store.register(spare.db, north_team)) == 2
    spare.close()

    # East's session takes no writes from a laptop of North's lead, nor does one for East start there.
    raw_lead = RawLaptop.enrolled(hq, "100800", "NORTH", role="training_lead")
    [east_line] = [r for r in hq_records.registrations(hq.engine) if r["session_uuid"] == east_team]
    east = {"uuid": east_team, "unit_code": "EAST-RESP", "trainers": ["100900"]}
    answers = raw_lead.push(
        item("attendance", {**attendance(east, "720060", unit="EAST-RESP"), "uuid": east_line["uuid"]}, version=2),
        item("attendance", attendance(east, "710054", unit="NORTH-RESP")),
        item("session", raw_session(unit="EAST", trainers=("100800",))),
    )
    assert [status for status, _ in answers] == ["refused"] * 3
    # It records for North's teams as well, and is told so: "records for North BCU (NORTH)" alone was untrue.
    assert answers[2][1] == (
        "this session is for East BCU (EAST), and this laptop records for North BCU (NORTH) and the units under it"
    )
    assert answers[1][1].endswith("and this laptop records for North BCU (NORTH) and the units under it")


def test_a_trainers_laptop_of_a_bcu_records_a_session_for_one_of_its_teams(hq: Hq) -> None:
    force_with_teams(hq)
    trainer = RawLaptop.enrolled(hq, "100234", "NORTH")
    team = raw_session(unit="NORTH-RESP", trainers=("100234",))
    east = raw_session(unit="EAST-RESP", trainers=("100234",))
    answers = trainer.push(
        item("session", team),
        item("attendance", attendance(team, "710054", unit="NORTH-RESP")),
        item("session", east),
    )
    assert [status for status, _ in answers] == ["created", "created", "refused"]
