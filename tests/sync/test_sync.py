"""Laptop and HQ, both real, on loopback: enrollment, exactly-once delivery, pulls, conflicts, revocation."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.__main__ import main
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import attendance, outbox, roster, sessions
from trainer_desk.sync.client import HqClient, SyncError, check_base_url
from trainer_desk.workspace import Workspace, open_workspace

from ..store.test_sessions import make_session

T0 = datetime(2026, 11, 23, 9, tzinfo=UTC)
PEOPLE = [Person(f"60{n:04d}", f"Fore{n}", f"Sur{n}", "NORTH", PersonRole.OFFICER) for n in range(40)]


def enrolled(workspace: Workspace, hq: Hq, unit: str = "NORTH") -> None:
    code = hq_devices.issue_code(hq.engine, "100234", unit)
    assert hq_link.enroll(workspace, hq.url, code) == unit


def register_people(workspace: Workspace, count: int) -> list[str]:
    roster.upsert_people(workspace.db, PEOPLE)
    session = sessions.create_session(workspace.db, make_session(), T0)
    return [
        attendance.add_attendee(workspace.db, session, p, AttendanceStatus.PRESENT, "100234", T0).uuid
        for p in PEOPLE[:count]
    ]


def test_enroll_then_sync_sends_everything_once(workspace: Workspace, hq: Hq) -> None:
    enrolled(workspace, hq)
    made = register_people(workspace, 30)
    report = hq_link.sync_once(workspace)
    assert report.pushed == 31 and report.flagged == 0
    assert outbox.waiting_count(workspace.db) == 0
    assert hq_records.count_records(hq.engine, "attendance") == 30
    acked = workspace.db.execute("SELECT count(*) FROM attendance WHERE acked_at IS NOT NULL").fetchone()[0]
    assert acked == 30
    again = hq_link.sync_once(workspace)
    assert again.pushed == 0 and hq_records.count_records(hq.engine, "attendance") == 30
    assert {r["uuid"] for r in hq_records.registrations(hq.engine)} == set(made)


def test_an_enrollment_code_works_once(workspace: Workspace, hq: Hq) -> None:
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    hq_link.enroll(workspace, hq.url, code)
    with pytest.raises(SyncError, match="unknown, used or expired"):
        hq_link.enroll(workspace, hq.url, code)


def test_replays_and_lost_answers_never_duplicate(workspace: Workspace, hq: Hq) -> None:
    """The same batch sent again (as after a lost answer) is acknowledged, not stored twice."""
    enrolled(workspace, hq)
    register_people(workspace, 10)
    client = hq_link.client_for(workspace.paths, workspace.db, workspace.settings, workspace.keychain)
    from trainer_desk.sync.engine import SyncEngine

    engine = SyncEngine(workspace.db, client, workspace.paths.content_dir)
    batch = [item for _, item in engine.next_batch()]
    first = client.push(batch)  # HQ commits; pretend the answer never arrived: the outbox is untouched
    assert all(r.status.value == "created" for r in first)
    assert outbox.waiting_count(workspace.db) == 11
    report = hq_link.sync_once(workspace)  # the whole batch again
    assert report.pushed == 11 and report.flagged == 0
    assert hq_records.count_records(hq.engine) == 11


def test_a_correction_from_a_stale_laptop_is_a_conflict(tmp_path: Path, hq: Hq) -> None:
    one = open_workspace(AppPaths.resolve(tmp_path / "one"))
    enrolled(one, hq)
    [uuid] = register_people(one, 1)
    hq_link.sync_once(one)
    session = sessions.list_sessions(one.db)[0]
    record = attendance.register(one.db, session.uuid)[0].attendance
    late = attendance.change_status(one.db, session, record, AttendanceStatus.LATE, "100234", T0)
    hq_link.sync_once(one)
    # A second laptop still holding version 1 sends its own change based on it.
    stale_item = {
        "entity": "attendance",
        "uuid": uuid,
        "version": 2,
        "base_version": 1,
        "op": "upsert",
        "payload": {"status": "absent"},
    }
    from trainer_desk.sync.protocol import PushItem

    code = hq_devices.issue_code(hq.engine, "100001", "NORTH")  # a trainer the session names: it may record there
    other = HqClient(hq.url).enroll(code, "other laptop")
    [result] = HqClient(hq.url, other["token"]).push([PushItem.from_wire(stale_item)])
    assert result.status.value == "conflict" and "another laptop sent its own version 2 of this first" in result.reason
    stale_item["version"] = 3
    stale_item["base_version"] = 1
    [result] = HqClient(hq.url, other["token"]).push([PushItem.from_wire(stale_item)])
    assert result.status.value == "conflict" and "another laptop changed it" in result.reason
    [stored] = list(hq_records.registrations(hq.engine))
    assert stored["status"] == "late" and stored["version"] == late.version and stored["conflicted"]
    one.close()


def test_a_tombstone_is_never_resurrected(workspace: Workspace, hq: Hq) -> None:
    enrolled(workspace, hq)
    register_people(workspace, 0)  # a session, which HQ needs before any attendance in it
    hq_link.sync_once(workspace)
    in_session = {"session_uuid": sessions.list_sessions(workspace.db)[0].uuid}
    client = hq_link.client_for(workspace.paths, workspace.db, workspace.settings, workspace.keychain)
    from tests.hq.raw_laptop import attendance as attendance_line
    from trainer_desk.sync.protocol import PushItem

    uuid = "6f0f3c52-0000-4000-8000-00000000abcd"
    line = {**attendance_line({"uuid": in_session["session_uuid"]}, "600001"), "uuid": uuid}
    upsert = PushItem("attendance", uuid, 1, None, "upsert", line)
    delete = PushItem("attendance", uuid, 2, 1, "delete", in_session)
    assert [r.status.value for r in client.push([upsert, delete])] == ["created", "created"]
    assert [r.status.value for r in client.push([upsert])] == ["duplicate"]  # an old replay changes nothing
    revived = PushItem("attendance", uuid, 3, 2, "upsert", {**line, "version": 3})
    [result] = client.push([revived])
    assert result.status.value == "refused" and "never brought back" in result.reason
    [stored] = list(hq_records.registrations(hq.engine))
    assert stored["deleted"]


def test_a_revoked_laptop_keeps_every_record(workspace: Workspace, hq: Hq) -> None:
    enrolled(workspace, hq)
    register_people(workspace, 5)
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "revoked")
    with pytest.raises(SyncError) as caught:
        hq_link.sync_once(workspace)
    assert caught.value.kind == "auth" and "enroll it again" in str(caught.value)
    assert outbox.waiting_count(workspace.db) == 6
    assert hq_records.count_records(hq.engine) == 0


def test_pull_brings_the_forces_roster_in_batches_and_replaces_the_demo(workspace: Workspace, hq: Hq) -> None:
    """People attend from any unit, so every laptop holds the whole force's roster."""
    people = [
        Person(f"50{n:04d}", f"F{n}", f"S{n}", "NORTH" if n % 2 else "EAST", PersonRole.STAFF) for n in range(1200)
    ]
    hq_roster.import_roster(hq.engine, people)
    enrolled(workspace, hq)
    report = hq_link.sync_once(workspace)
    assert report.roster_changes == 1200
    assert roster.count_people(workspace.db) == 1200  # every unit's people, and the demo roster is gone
    assert roster.search_people(workspace.db, "500001")[0].forename == "F1"
    moved = [*people[:1], Person("500001", "F1", "S1", "EAST", PersonRole.STAFF), *people[2:]]
    hq_roster.import_roster(hq.engine, moved)
    report = hq_link.sync_once(workspace)
    moved_person = roster.get_person(workspace.db, "500001")
    assert report.roster_changes == 1 and moved_person is not None and moved_person.unit_code == "EAST"


def test_content_arrives_verified_and_replaces_the_bundled_plan(workspace: Workspace, hq: Hq, tmp_path: Path) -> None:
    import shutil

    from trainer_desk.lesson_content import load_plans
    from trainer_desk.paths import bundled

    folder = tmp_path / "published"
    shutil.copytree(bundled("lesson_plans") / "raising-concerns", folder / "raising-concerns")
    manifest = folder / "raising-concerns" / "plan.toml"
    manifest.write_text(manifest.read_text().replace('version = "1.0.0"', 'version = "1.1.0"'))
    hq_content.publish_content(hq.engine, folder, hq.blobs, allow_sample_media=True)
    enrolled(workspace, hq)
    report = hq_link.sync_once(workspace)
    assert report.content_version == 1
    plan = load_plans(workspace.paths).get("raising-concerns")
    assert plan is not None and plan.version == "1.1.0"


def test_server_answers_are_checked(workspace: Workspace) -> None:
    with pytest.raises(SyncError, match="not https"):
        check_base_url("http://hq.example.police.uk")
    with pytest.raises(SyncError) as caught:
        HqClient("http://127.0.0.1:9", "token", sleep=lambda s: None).changes(0)  # nothing listens on port 9
    assert caught.value.kind == "offline" and "stays saved" in str(caught.value)


def test_command_line_enroll_and_sync(tmp_path: Path, hq: Hq, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data-dir", str(tmp_path / "d")]
    assert main([*data, "sync"]) == 1
    assert "No HQ is configured" in capsys.readouterr().err
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    assert main([*data, "enroll", hq.url, code]) == 0
    assert "enrolled" in capsys.readouterr().out
    assert main([*data, "sync"]) == 0
    assert capsys.readouterr().out.startswith("synced: 0 records sent")


def test_teams_travel_from_hq_to_the_laptop(workspace: Workspace, hq: Hq) -> None:
    hq_roster.import_roster(hq.engine, [Person("510001", "Mei", "Chen", "NORTH", PersonRole.STAFF, team="Response B")])
    enrolled(workspace, hq)
    hq_link.sync_once(workspace)
    person = roster.get_person(workspace.db, "510001")
    assert person is not None and person.team == "Response B"


def test_a_lost_laptop_says_what_hq_had_not_accepted_when_it_was_wiped(
    workspace: Workspace, hq: Hq, capsys: pytest.CaptureFixture[str]
) -> None:
    """Wiped as HQ asked, but not with "everything was sent" when HQ refused some of it: those records go too,
    and the trainer is told how many, so the registers concerned can be taken again."""
    enrolled(workspace, hq)
    register_people(workspace, 3)
    roster.upsert_people(workspace.db, PEOPLE)
    elsewhere = sessions.create_session(workspace.db, make_session("EAST"), T0)  # not this laptop's unit
    attendance.add_attendee(workspace.db, elsewhere, PEOPLE[5], AttendanceStatus.PRESENT, "100234", T0)
    assert hq_link.sync_once(workspace).flagged == 2
    [device] = hq_devices.list_devices(hq.engine)
    hq_devices.set_device_flag(hq.engine, device["id"], "lost")
    data = str(workspace.paths.data_dir)
    workspace.close()
    assert main(["--data-dir", data, "sync"]) == 0
    said = capsys.readouterr().out
    assert "2 records HQ had not accepted" in said and "everything waiting was sent" not in said.lower()
    assert hq_records.count_records(hq.engine, "attendance") == 3


def test_the_command_line_lists_what_hq_did_not_take_and_sends_it_again(
    workspace: Workspace, hq: Hq, capsys: pytest.CaptureFixture[str]
) -> None:
    enrolled(workspace, hq)
    roster.upsert_people(workspace.db, PEOPLE)
    elsewhere = sessions.create_session(workspace.db, make_session("EAST"), T0)  # not this laptop's unit
    attendance.add_attendee(workspace.db, elsewhere, PEOPLE[5], AttendanceStatus.PRESENT, "100234", T0)
    data = str(workspace.paths.data_dir)
    workspace.close()
    assert main(["--data-dir", data, "sync"]) == 0
    said = capsys.readouterr().out
    assert "0 waiting." in said and "HQ did not take 2 records, kept here:" in said
    assert "  attendance Fore5 Sur5 (600005): refused: HQ has no such session" in said
    assert main(["--data-dir", data, "info"]) == 0
    assert "not taken by HQ:  2" in capsys.readouterr().out
    # HQ enrolls the laptop for EAST too; the trainer sends the two again.
    assert main(["--data-dir", data, "enroll", hq.url, hq_devices.issue_code(hq.engine, "100234", "EAST")]) == 0
    capsys.readouterr()
    assert main(["--data-dir", data, "sync", "--send-again"]) == 0
    said = capsys.readouterr().out
    assert said.startswith("sending 2 records HQ did not take again.") and "did not take 2" not in said
    assert hq_records.count_records(hq.engine, "attendance") == 1
