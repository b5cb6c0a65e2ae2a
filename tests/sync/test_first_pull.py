"""A laptop enrolled after the force has been training for a while gets the force as HQ holds it, in one answer
(`GET /v1/snapshot`), then pages on from there: the same people, completions and sessions a laptop that had
synced all along holds, and nothing of another force."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime, timedelta
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
from trainer_desk.store import attendance, completions, delivery, retention, roster, sessions
from trainer_desk.sync import credentials
from trainer_desk.sync.protocol import PROTOCOL_HEADER
from trainer_desk.workspace import Workspace, open_workspace

ELSEWHERE = Person("820001", "Siân", "Pryce", "DALES-1", PersonRole.OFFICER)


def counted(workspace: Workspace) -> set[str]:
    """Who the laptop's reports count as having completed the programme, by staff number."""
    assert PLAN is not None
    return completions.completed_before(workspace.db, PLAN.programme.id, "9999")


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
        headers={
            "Authorization": f"Bearer {credentials.load_token(lead.paths.data_dir, lead.keychain)}",
            PROTOCOL_HEADER: "2",
        },
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

    indexes = "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'hq_completions' ORDER BY 1"
    indexed_before = lead.db.execute(indexes).fetchall()
    report = hq_link.sync_once(lead)
    assert lead.db.execute(indexes).fetchall() == indexed_before  # rebuilt after the load, as they were
    assert report.roster_changes == len(FORCE)
    assert roster.count_people(lead.db) == len(FORCE) and roster.get_person(lead.db, "820001") is None
    assert counted(lead) == counted(watcher) == {"710001", "710002"}
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
    assert counted(lead) == counted(watcher) == {"710001", "710002", "710003"}

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
    assert counted(lead) == {"710001", "710003"}
    for workspace in (trainer, watcher, lead):
        workspace.close()


def test_a_laptop_that_starts_its_pull_again_counts_its_own_register_and_its_co_trainers(
    hq: Hq, tmp_path: Path
) -> None:
    """The snapshot holds every registration that counts, this laptop's own too. Those it still holds count
    from its own register (so a correction made here shows at once, as after the pages); those of a session
    it has purged stay known from HQ; and a co-trainer's registrations in a session it wrote itself arrive."""
    assert PLAN is not None
    hq_roster.import_roster(hq.engine, FORCE)
    people = {p.staff_number: p for p in FORCE}
    trainer = laptop(tmp_path, "trainer", hq, "100234", "NORTH")
    co_trainer = laptop(tmp_path, "co-trainer", hq, "100236", "NORTH")
    hq_link.sync_once(trainer)

    old, shared = session_for("100234", "NORTH", 2), session_for("100234", "NORTH", 19)
    shared = dataclasses.replace(shared, trainers=("100234", "100236"))
    for run, number in ((old, "710001"), (shared, "710002")):
        sessions.create_session(trainer.db, run, run.starts_at)
        attendance.add_attendee(trainer.db, run, people[number], AttendanceStatus.PRESENT, "100234", run.starts_at)
    delivery.close_session(trainer.db, old, delivery.checklist_for(trainer.db, old, []), "100234", old.starts_at)
    hq_link.sync_once(trainer)
    hq_link.sync_once(trainer)  # the close acknowledged
    now = datetime.now(UTC)
    assert retention.purge_acknowledged(trainer.db, now + timedelta(days=100), keep_days=90) == 1

    hq_link.sync_once(co_trainer)  # the shared session is given to the co-trainer, who registers someone
    given = sessions.get_session(co_trainer.db, shared.uuid)
    assert given is not None
    attendance.add_attendee(co_trainer.db, given, people["710003"], AttendanceStatus.PRESENT, "100236", now)
    hq_link.sync_once(co_trainer)

    with trainer.db.atomic():  # the trainer's laptop starts its pull again before it has paged past that
        trainer.db.execute("UPDATE sync_state SET value = '1' WHERE key = 'pull_protocol'")
    hq_link.sync_once(trainer)
    register = {line.attendance.staff_number for line in attendance.register(trainer.db, shared.uuid)}
    assert register == {"710002", "710003"}
    programme = PLAN.programme.id
    assert completions.last_completed(trainer.db, "710001", programme, shared.uuid) == old.starts_at.date()

    [mine] = [line for line in attendance.register(trainer.db, shared.uuid) if line.attendance.staff_number == "710002"]
    current = sessions.get_session(trainer.db, shared.uuid)
    assert current is not None
    attendance.change_status(trainer.db, current, mine.attendance, AttendanceStatus.ABSENT, "100234", now, "not there")
    counted = completions.completed_before(trainer.db, programme, (now + timedelta(days=1)).isoformat())
    assert counted == {"710001", "710003"}  # 710002, marked absent here, no longer counts
    for workspace in (trainer, co_trainer):
        workspace.close()
