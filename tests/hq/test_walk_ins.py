"""Walk-ins reconciled at HQ: one whose staff number is on the roster counts for that person; one that matches
nobody (a mistyped number) is listed, with the name as given, for a person to match to whom it was or to
dismiss, and every laptop learns the corrected completion at its next sync."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.hq.console_kit import FORCE, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
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
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import completions, reports
from trainer_desk.store.attendance import add_attendee
from trainer_desk.store.sessions import create_session
from trainer_desk.workspace import open_workspace


def admin(hq: Hq, tmp_path: Path) -> list[str]:
    return ["--home", str(tmp_path / "admin"), "--db", hq.engine.url.render_as_string(hide_password=False)]


def test_walk_ins_that_match_nobody_are_listed_for_someone_to_look_into(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    laptop = RawLaptop.enrolled(hq, "100234")
    run = session()
    known = {**attendance(run, "740001", "EAST"), "walk_in": True, "walk_in_name": "Bartłomiej Zieliński"}
    typo = {**attendance(run, "74OO02", "EAST"), "walk_in": True, "walk_in_name": "Gwenllian Prys"}
    assert [s for s, _ in laptop.push(item("session", run), item("attendance", known), item("attendance", typo))] == [
        "created"
    ] * 3
    # The recruit joins the HR export after the session: the walk-in now matches them.
    hq_roster.import_roster(hq.engine, [Person("740001", "Bartłomiej", "Zieliński", "EAST", PersonRole.OFFICER)])
    listed = tmp_path / "walk-ins.csv"
    assert hq_main([*admin(hq, tmp_path), "walk-ins", "-o", str(listed)]) == 0
    out = capsys.readouterr().out
    assert "1 walk-in counts for someone on the roster; 1 matches nobody yet" in out
    assert "74OO02" in out and "Gwenllian Prys" in out and "740001" not in out
    assert typo["uuid"][:8] in out  # the id a person types to resolve it
    rows = list(csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    assert [(r["registration"], r["name_given"]) for r in rows] == [(typo["uuid"], "Gwenllian Prys")]


def test_a_walk_in_matched_at_hq_counts_for_that_person_on_every_laptop_and_a_dismissed_one_for_nobody(
    hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hq_roster.import_roster(
        hq.engine,
        [
            Person("740002", "Gwenllian", "Prys", "EAST", PersonRole.OFFICER),
            Person("740003", "Trần", "Văn Minh", "NORTH", PersonRole.STAFF),
        ],
    )
    recorder = RawLaptop.enrolled(hq, "100234")
    run = session()
    typo = {**attendance(run, "74OO02", "EAST"), "walk_in": True, "walk_in_name": "Gwenllian Prys"}
    visitor = {**attendance(run, "G-5521", "NORTH"), "walk_in": True, "walk_in_name": "Ffion from Gwent"}
    taken = attendance(run, "740003")  # taken from the roster, not typed in
    items = [item("session", run), item("attendance", typo), item("attendance", visitor), item("attendance", taken)]
    assert [s for s, _ in recorder.push(*items)] == ["created"] * 4

    # Another trainer's laptop, which learns the force's completions from HQ.
    other = open_workspace(AppPaths.resolve(tmp_path / "other"))
    hq_link.enroll(other, hq.url, hq_devices.issue_code(hq.engine, "100900", "NORTH"))
    hq_link.sync_once(other)
    assert completions.last_completed(other.db, "74OO02", "signa", "") == date(2026, 11, 23)
    assert completions.last_completed(other.db, "740002", "signa", "") is None

    cli = admin(hq, tmp_path)
    # What a careless administrator might type is refused with the reason, and nothing changes.
    assert hq_main([*cli, "walk-ins", "match", typo["uuid"][:8], "799999"]) == 1
    assert "799999 is not on HQ's roster" in capsys.readouterr().err
    assert hq_main([*cli, "walk-ins", "match", taken["uuid"], "740002"]) == 1
    assert "is not a walk-in" in capsys.readouterr().err
    assert hq_main([*cli, "walk-ins", "dismiss", visitor["uuid"][:8]]) == 1
    assert "say why" in capsys.readouterr().err
    assert hq_main([*cli, "walk-ins", "match", "74", "740002"]) == 1
    assert "at least 8 characters" in capsys.readouterr().err

    assert hq_main([*cli, "walk-ins", "match", typo["uuid"][:8], "740002"]) == 0
    assert f"walk-in {typo['uuid']} now counts for 740002" in capsys.readouterr().out
    reason = "from another force: Gwent Police records it"
    assert hq_main([*cli, "walk-ins", "dismiss", visitor["uuid"][:10], "--reason", reason]) == 0
    capsys.readouterr()

    assert hq_main([*cli, "walk-ins"]) == 0
    out = capsys.readouterr().out
    assert "1 walk-in counts for someone on the roster; 0 match nobody yet" in out
    assert "Gwenllian" not in out and "Ffion" not in out

    hq_link.sync_once(other)
    assert completions.last_completed(other.db, "740002", "signa", "") == date(2026, 11, 23)
    assert completions.last_completed(other.db, "74OO02", "signa", "") is None
    assert completions.last_completed(other.db, "G-5521", "signa", "") is None
    assert completions.last_completed(other.db, "740003", "signa", "") == date(2026, 11, 23)
    other.close()

    exported = tmp_path / "registrations.csv"
    assert hq_main([*cli, "export-registrations", "-o", str(exported)]) == 0
    rows = {r["Registration id"]: r for r in csv.DictReader(io.StringIO(exported.read_text(encoding="utf-8-sig")))}
    assert rows[typo["uuid"]]["Staff number"] == "74OO02"  # as the laptop sent it
    assert rows[typo["uuid"]]["Counts for"] == "Gwenllian Prys (740002)"
    assert rows[typo["uuid"]]["Correction at HQ"] == "matched to 740002 at HQ"
    assert rows[visitor["uuid"]]["Counts for"] == "no one"
    assert rows[visitor["uuid"]]["Correction at HQ"] == f"dismissed: {reason}"
    capsys.readouterr()
    assert hq_main([*cli, "compliance-summary"]) == 0
    summary = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    completed = {(r["Unit code"], r["Programme"]): int(r["Completed"]) for r in summary}
    assert completed == {("EAST", "signa"): 1, ("NORTH", "signa"): 1}  # Gwenllian and Trần; not the visitor


def test_a_walk_in_matched_at_hq_counts_on_the_laptop_that_recorded_it(hq: Hq, tmp_path: Path) -> None:
    """The trainer typed a walk-in's number wrong. Once HQ matched it to the person, the trainer's own laptop,
    which counts its register by the number as typed, must stop chasing them too, after its next sync and
    after a pull from the start; and a walk-in HQ dismissed counts for no one there either."""
    roster = [
        Person("740002", "Gwenllian", "Prys", "NORTH", PersonRole.OFFICER),
        Person("740003", "Trần", "Văn Minh", "NORTH", PersonRole.STAFF),
    ]
    hq_roster.import_roster(hq.engine, roster)
    laptop = open_workspace(AppPaths.resolve(tmp_path / "trainer"))
    try:
        hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH", role="training_lead"))
        hq_link.sync_once(laptop)
        plan = load_library(bundled("lesson_plans")).get("signa-core")
        assert plan is not None
        starts = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=2)
        run = Session(
            new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Training room 2",
            DeliveryMode.IN_PERSON, starts, trainers=("100234",),
        )  # fmt: skip
        create_session(laptop.db, run, starts)
        typed = Person("74OO02", "Gwenllian", "Prys", "NORTH", PersonRole.OFFICER)  # O for 0, twice
        walk_in = add_attendee(laptop.db, run, typed, AttendanceStatus.PRESENT, "100234", starts, walk_in=True)
        hq_link.sync_once(laptop)

        def outstanding() -> list[str]:
            report = reports.compliance(
                laptop.db, Letterhead("Demonstration Police Service", "OFFICIAL-SENSITIVE"), "signa", "SIGNA",
                "NORTH", starts.date() - timedelta(days=1), starts.date() + timedelta(days=1),
            )  # fmt: skip
            return sorted(o.staff_number for o in report.outstanding)

        assert outstanding() == ["740002", "740003"]
        assert hq_main([*admin(hq, tmp_path), "walk-ins", "match", walk_in.uuid[:8], "740002"]) == 0
        hq_link.sync_once(laptop)
        assert outstanding() == ["740003"]  # Gwenllian no longer chased on the laptop that trained her
        assert completions.last_completed(laptop.db, "740002", "signa", "") == starts.date()

        laptop.db.execute("DELETE FROM sync_state WHERE key = 'whole_pulls'")  # its next pull starts from 0
        hq_link.sync_once(laptop)
        assert outstanding() == ["740003"]

        assert hq_main([*admin(hq, tmp_path), "walk-ins", "dismiss", walk_in.uuid[:8], "--reason", "a visitor"]) == 0
        hq_link.sync_once(laptop)
        assert outstanding() == ["740002", "740003"]
    finally:
        laptop.close()


def test_a_walk_in_stops_counting_when_its_person_leaves_the_roster_and_a_match_still_names_them(
    hq: Hq, force: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The walk-ins are looked up on the roster by their own numbers, not by reading the whole roster: one
    whose person has left is listed again to look into, and the walk-ins page still names the person one was
    matched to after they left, beside the decision, so that a wrong match is seen."""
    joiners = [
        Person("740001", "Bartłomiej", "Zieliński", "NORTH", PersonRole.OFFICER),
        Person("740002", "Gwenllian", "Prys", "NORTH", PersonRole.OFFICER),
    ]
    hq_roster.import_roster(hq.engine, [*FORCE, *joiners])
    run = session()
    known = {**attendance(run, "740001"), "walk_in": True, "walk_in_name": "Bartłomiej Zieliński"}
    typo = {**attendance(run, "74OO02"), "walk_in": True, "walk_in_name": "Gwen Prys"}
    pushed = RawLaptop.enrolled(hq, "100234").push(
        item("session", run), item("attendance", known), item("attendance", typo)
    )
    assert [s for s, _ in pushed] == ["created"] * 3
    cli = admin(hq, tmp_path)
    assert hq_main([*cli, "walk-ins", "match", typo["uuid"], "740002"]) == 0
    assert hq_main([*cli, "walk-ins"]) == 0
    assert "2 walk-ins count for someone on the roster; 0 match nobody yet" in capsys.readouterr().out

    hq_roster.import_roster(hq.engine, FORCE)  # both leave the force
    assert hq_main([*cli, "walk-ins"]) == 0
    out = capsys.readouterr().out
    assert "1 walk-in counts for someone on the roster; 1 matches nobody yet" in out  # the match still counts
    assert "740001" in out and "Bartłomiej Zieliński" in out
    shown = signed_in_http(hq, "hq.admin").get(hq.url + "/console/walk-ins", timeout=10).text
    assert "matched to 740002 at HQ: Gwenllian Prys" in shown
