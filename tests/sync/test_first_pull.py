"""A laptop enrolled after the force has been training for a while gets the force as HQ holds it, in one answer
(`GET /v1/snapshot`), then pages on from there: the same people, completions and sessions a laptop that had
synced all along holds, and nothing of another force."""

from __future__ import annotations

from pathlib import Path

import requests

from tests.hq_server import Hq
from tests.sync.test_force_truth import FORCE, PLAN, laptop, session_for
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.units import import_units
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, roster, sessions
from trainer_desk.sync import credentials
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.workspace import Workspace, open_workspace

ELSEWHERE = Person("820001", "Siân", "Pryce", "DALES-1", PersonRole.OFFICER)


def known_completions(workspace: Workspace) -> set[tuple[str, str, str]]:
    rows = workspace.db.execute("SELECT uuid, staff_number, plan_version FROM hq_completions").fetchall()
    return {(r[0], r[1], r[2]) for r in rows}


def test_a_late_laptop_receives_the_force_at_once_and_the_same_as_one_that_synced_all_along(
    hq: Hq, tmp_path: Path
) -> None:
    assert PLAN is not None
    import_units(
        hq.engine,
        [
            UnitNode("FERN", "Fernshire Police", "force"),
            UnitNode("NORTH", "North BCU", "BCU", "FERN"),
            UnitNode("EAST", "East BCU", "BCU", "FERN"),
            UnitNode("DALES", "Dalesmoor Police", "force"),
            UnitNode("DALES-1", "Dalesmoor BCU", "BCU", "DALES"),
        ],
    )
    hq_roster.import_roster(hq.engine, [*FORCE, ELSEWHERE])
    trainer = laptop(tmp_path, "trainer", hq, "100234", "NORTH")
    watcher = laptop(tmp_path, "watcher", hq, "100235", "EAST")  # synced all along
    hq_link.sync_once(watcher)

    # Two sessions in North: present, late, absent (does not count), and one struck off afterwards.
    people = {p.staff_number: p for p in FORCE}
    first, second = session_for("100234", "NORTH", 12), session_for("100234", "NORTH", 19)
    for run, marks in (
        (first, {"710001": AttendanceStatus.PRESENT, "710003": AttendanceStatus.ABSENT}),
        (second, {"710002": AttendanceStatus.LATE, "710004": AttendanceStatus.PRESENT}),
    ):
        sessions.create_session(trainer.db, run, run.starts_at)
        for number, status in marks.items():
            attendance.add_attendee(trainer.db, run, people[number], status, "100234", run.starts_at)
    hq_link.sync_once(trainer)
    [struck] = [
        line for line in attendance.register(trainer.db, second.uuid) if line.attendance.staff_number == "710004"
    ]
    attendance.change_status(
        trainer.db, second, struck.attendance, AttendanceStatus.ABSENT, "100234", second.starts_at, "not there"
    )
    hq_link.sync_once(trainer)
    hq_link.sync_once(watcher)

    # The BCU's training lead enrolls now: HQ answers its first pull at once.
    code = hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead")
    lead = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.enroll(lead, hq.url, code)
    answer = requests.get(
        f"{hq.url}/v1/snapshot",
        headers={"Authorization": f"Bearer {credentials.load_token(lead.paths.data_dir)}", PROTOCOL_HEADER: "2"},
        timeout=30,
    ).json()
    assert sorted(r["staff_number"] for r in answer["roster"]) == sorted(people)  # Fernshire's alone
    assert sorted(row[1] for row in answer["completions"]) == ["710001", "710002"]  # the two that count
    assert {row[5] for row in answer["completions"]} == {PLAN.version}
    assert {u["code"] for u in answer["units"]} == {"FERN", "NORTH", "EAST"}
    assert sorted(r["entity"] for r in answer["records"]) == ["attendance"] * 4 + ["session"] * 2  # North's
    with hq.engine.connect() as conn:
        latest = conn.exec_driver_sql("SELECT value FROM counters WHERE name = 'seq'").scalar()
    assert answer["cursor"] == latest

    report = hq_link.sync_once(lead)
    assert report.roster_changes == len(FORCE)
    assert roster.count_people(lead.db) == len(FORCE) and roster.get_person(lead.db, "820001") is None
    assert known_completions(lead) == known_completions(watcher) and len(known_completions(lead)) == 2
    assert sorted(s.uuid for s in sessions.list_sessions(lead.db)) == sorted([first.uuid, second.uuid])
    assert {
        line.attendance.staff_number: line.attendance.status for line in attendance.register(lead.db, second.uuid)
    } == {
        "710002": AttendanceStatus.LATE,
        "710004": AttendanceStatus.ABSENT,
    }
    when = attendance.previous_completion(lead.db, "710002", PLAN.programme.id, first.uuid)
    assert when == second.starts_at.date()

    # After it, the lead pages on as every laptop does: a later registration arrives by itself.
    third = session_for("100234", "NORTH", 26)
    sessions.create_session(trainer.db, third, third.starts_at)
    attendance.add_attendee(trainer.db, third, people["710003"], AttendanceStatus.PRESENT, "100234", third.starts_at)
    hq_link.sync_once(trainer)
    assert hq_link.sync_once(lead).sessions_received == 2
    hq_link.sync_once(watcher)
    assert known_completions(lead) == known_completions(watcher) and len(known_completions(lead)) == 3

    # HQ's roster loses someone and a registration is struck off while the lead's laptop starts its pull again
    # (as after an update to the protocol): the snapshot is the whole record, so it forgets both.
    hq_roster.import_roster(hq.engine, [p for p in FORCE if p.staff_number != "710004"] + [ELSEWHERE])
    [late] = [line for line in attendance.register(trainer.db, second.uuid) if line.attendance.staff_number == "710002"]
    attendance.change_status(
        trainer.db, second, late.attendance, AttendanceStatus.ABSENT, "100234", second.starts_at, "left early"
    )
    hq_link.sync_once(trainer)
    with lead.db.atomic():
        lead.db.execute("UPDATE sync_state SET value = '1' WHERE key = 'pull_protocol'")
    hq_link.sync_once(lead)
    assert roster.get_person(lead.db, "710004") is None and roster.count_people(lead.db) == len(FORCE) - 1
    assert {row[1] for row in known_completions(lead)} == {"710001", "710003"}
    for workspace in (trainer, watcher, lead):
        workspace.close()
