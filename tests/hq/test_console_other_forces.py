"""Where HQ serves several forces, a role granted on one force's BCU cannot reach another force's people
through the forms that take staff numbers: planning a session (its trainers and the people booked) and issuing
an enrollment code. Once a lead could book Dalesmoor's officers onto a Fernshire session, and then read their
names and units on its register; a session planned for a Dalesmoor trainer never reached their laptop; and an
administrator of North issued a training lead's laptop, which receives every North register, to a Dalesmoor
officer. Each refusal reads as for a number nobody has, so it tells no one who is on another force's roster."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.dates import ahead
from tests.hq.console_kit import PASSWORD, admin, plan_a_session, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, new_uuid, session
from tests.hq_server import Hq
from tests.two_forces import TWO_FORCES
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import walk_ins as hq_walk_ins
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.completions import catch_up
from trainer_desk.hq.planning import list_sessions
from trainer_desk.hq.units import import_units
from trainer_desk.paths import bundled

PEOPLE = [
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
    Person("730001", "Ífeoma", "Okafor", "DALES-1", PersonRole.OFFICER),
    Person("730002", "Trần", "Văn Minh", "DALES-1", PersonRole.STAFF),
]


@pytest.fixture
def two_forces(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> None:
    import_units(hq.engine, TWO_FORCES)
    hq_roster.import_roster(hq.engine, PEOPLE)
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    for username, role in (("lead.north", "lead"), ("north.admin", "admin")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert hq_main([*admin(hq), "users", "add", username, "--role", role, "--unit", "NORTH"]) == 0


def test_a_lead_cannot_book_or_name_as_trainer_someone_of_another_force(page: Page, hq: Hq, two_forces: None) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("People expected: a staff number a line, or separated by commas").fill("710002, 730001\n730002")
    plan_a_session(page, ahead(days=9).strftime("%Y-%m-%dT10:00"))
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("no one with staff number 730001 or 730002 is on the roster in your units")
    expect(page.get_by_role("main")).not_to_contain_text("Okafor")

    page.get_by_label("People expected: a staff number a line, or separated by commas").fill("710002")
    plan_a_session(page, ahead(days=9).strftime("%Y-%m-%dT10:00"), trainers="730001")
    expect(page.get_by_role("alert")).to_contain_text(
        "these trainers are not on the roster of this unit's force: 730001"
    )
    assert list_sessions(hq.engine) == []  # nothing was planned

    plan_a_session(page, ahead(days=9).strftime("%Y-%m-%dT10:00"))
    expect(page.get_by_role("table", name="Register: 1 person")).to_contain_text("Rhys ap Gwilym")
    [planned] = list_sessions(hq.engine)
    assert planned["unit_code"] == "NORTH" and planned["trainers"] == ["710001"]


def test_an_administrator_of_a_bcu_cannot_enroll_a_laptop_for_someone_of_another_force(
    page: Page, hq: Hq, two_forces: None
) -> None:
    sign_in(page, hq, "north.admin")
    page.get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("730001")
    page.get_by_label("Unit the laptop records for").select_option("NORTH")
    page.get_by_label("Laptop of").select_option("training_lead")
    page.get_by_role("button", name="Issue a code").click()
    expect(page.get_by_role("alert")).to_contain_text("730001 is not on the roster of this unit's force")
    expect(page.get_by_label("Enrollment code")).to_have_count(0)

    page.get_by_label("Trainer's staff number").fill("710002")
    page.get_by_label("Unit the laptop records for").select_option("NORTH")
    page.get_by_role("button", name="Issue a code").click()
    expect(page.get_by_label("Enrollment code")).to_be_visible()


def test_a_laptop_sending_another_forces_staff_numbers_names_credits_and_exempts_none_of_them(
    page: Page, hq: Hq, two_forces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Fernshire laptop (misbehaving, or someone trying numbers) sends a North session naming a Dalesmoor
    trainer, with a Dalesmoor officer on its register, a walk-in typed with another Dalesmoor number, and an
    exemption for a Dalesmoor officer. North's lead sees none of their names, on the page or the printed
    register; Dalesmoor's lead still has both outstanding; the walk-in waits at HQ to be looked into; and the
    exemption is refused."""
    laptop = RawLaptop.enrolled(hq, "710001", "NORTH")
    held = session("NORTH", trainers=("710001", "730002"), status="closed")
    held["programme_id"], held["plan_id"] = "upstander", "upstander"
    walk_in = {**attendance(held, "730002", "DALES-1"), "walk_in": True, "walk_in_name": "T. V. Minh"}
    exemption = {"uuid": new_uuid(), "staff_number": "730001", "programme_id": "upstander", "kind": "exempt",
                 "reason": "on secondment", "recorded_by": "710001", "recorded_at": held["starts_at"]}  # fmt: skip
    results = laptop.push(
        item("session", held),
        item("attendance", attendance(held, "730001", "DALES-1")),
        item("attendance", walk_in),
        item("attendance", attendance(held, "710002")),
        item("exemption", exemption),
    )
    assert [s for s, _ in results] == ["created"] * 4 + ["refused"]
    assert "not on the roster of this laptop's force" in results[4][1]

    sign_in(page, hq, "lead.north")
    page.goto(f"{hq.url}/console/sessions/{held['uuid']}")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Rhys ap Gwilym")
    for dalesmoor in ("Okafor", "Ífeoma", "Trần", "Văn Minh"):
        expect(main).not_to_contain_text(dalesmoor)
    with page.expect_download() as download:
        page.get_by_role("link", name="Attendance sheet (PDF)").click()
    printed = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "Rhys ap Gwilym" in printed and "Okafor" not in printed and "Văn Minh" not in printed

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "lead.dales", "--role", "lead", "--unit", "DALES-1"]) == 0
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.dales")
    page.goto(hq.url + "/console/units/DALES-1?programme=upstander")
    outstanding = page.get_by_role("table", name="Outstanding in Dalesmoor BCU")
    expect(outstanding).to_contain_text("Ífeoma Okafor")
    expect(outstanding).to_contain_text("Trần Văn Minh")
    page.goto(hq.url + "/console/exemptions")
    expect(page.get_by_role("table", name="Exemptions that hold in your units, newest first")).to_contain_text(
        "No exemptions."
    )
    walk_ins = hq_walk_ins.walk_ins(hq.engine)
    assert [w["name_given"] for w in walk_ins.unmatched] == ["T. V. Minh"]
    with pytest.raises(UserFacingError, match="730002 is on another force's roster than this session's"):
        hq_walk_ins.match(hq.engine, walk_in["uuid"], "730002")  # nor can HQ credit them by hand


def test_someone_who_trained_in_their_force_and_moved_to_another_keeps_the_training_and_their_name(
    page: Page, hq: Hq, two_forces: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rhys completes Upstander in a North session, then the next HR export has him in Dalesmoor. When the
    session's trainer closes it (a new version, so HQ credits its registrations afresh), he keeps the training,
    and the register still names him."""
    laptop = RawLaptop.enrolled(hq, "710001", "NORTH")
    held = {**session("NORTH", trainers=("710001",)), "programme_id": "upstander", "plan_id": "upstander"}
    assert laptop.push(item("session", held), item("attendance", attendance(held, "710002"))) == [("created", "")] * 2
    catch_up(hq.engine)  # as HQ does within moments of a push, well before the next HR export
    moved = [p if p.staff_number != "710002" else Person("710002", "Rhys", "ap Gwilym", "DALES-1", p.role)
             for p in PEOPLE]  # fmt: skip
    hq_roster.import_roster(hq.engine, moved)
    assert laptop.push(item("session", {**held, "status": "closed"}, version=2)) == [("created", "")]

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "lead.dales", "--role", "lead", "--unit", "DALES-1"]) == 0
    sign_in(page, hq, "lead.dales")
    page.goto(hq.url + "/console/units/DALES-1?programme=upstander")
    expect(page.get_by_role("table", name="Outstanding in Dalesmoor BCU")).not_to_contain_text("Rhys")
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    page.goto(f"{hq.url}/console/sessions/{held['uuid']}")
    expect(page.get_by_role("table", name=re.compile("^Register"))).to_contain_text("Rhys ap Gwilym")
