"""One HQ serving three forces: Westshire's own administrator (granted on the force) does Westshire's
housekeeping. The Walk-ins and Records pages were refused to anyone not granted on the whole of HQ, so the
national team had to match every force's walk-ins and take every force's files. Now a force's administrator
matches their own force's walk-ins and takes their own force's records, and nothing of another force's."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, csrf_token, sign_in, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from tests.three_forces import PEOPLE, THREE_FORCES
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import walk_ins
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units

pytestmark = pytest.mark.any_database  # what the person sees and downloads: the same on either database

OPEN = "Walk-ins that match nobody"
SHOTS = Path("/tmp/fix48a-shots")


@pytest.fixture
def walked_in(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A session in Westshire and one in Northshire, each with one person on the register and one walk-in whose
    number was typed with letters O for zeros; Westshire's administrator and the national one. Returns the
    walk-ins' registration ids by force code."""
    import_units(hq.engine, THREE_FORCES)
    hq_roster.import_roster(
        hq.engine, [*PEOPLE, Person("820003", "Siobhán", "Ní Bhriain", "WSP-RT1", PersonRole.OFFICER)]
    )
    typed = {}
    for force, unit, trainer, attendee, walk_in, name in (
        ("WSP", "WSP-RT1", "820001", "820003", "82OOO2", "Trần Văn Minh"),
        ("NSP", "NSP-RT1", "810001", "810002", "81OOO9", "Dafydd Owen"),
    ):
        held = session(unit, (trainer,), "closed")
        by_hand = {**attendance(held, walk_in, unit), "walk_in": True, "walk_in_name": name}
        pushed = RawLaptop.enrolled(hq, trainer, unit).push(
            item("session", held), item("attendance", attendance(held, attendee, unit)), item("attendance", by_hand)
        )
        assert pushed == [("created", "")] * 3
        typed[force] = str(by_hand["uuid"])
    for username, unit in (("national.admin", ""), ("west.admin", "WSP")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        grant = ["--unit", unit] if unit else []
        assert hq_main([*admin(hq), "users", "add", username, "--role", "admin", *grant]) == 0
    return typed


def _match(page: Page, number: str) -> None:
    page.get_by_role("table", name=OPEN).get_by_label("Staff number of Trần Văn Minh").fill(number)
    page.get_by_role("button", name="Match Trần Văn Minh").click()


def test_a_forces_administrator_matches_their_own_forces_walk_ins_and_no_others(
    page: Page, hq: Hq, walked_in: dict[str, str]
) -> None:
    sign_in(page, hq, "west.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Walk-ins").click()
    waiting = page.get_by_role("table", name=OPEN)
    expect(waiting).to_contain_text("Trần Văn Minh")
    expect(waiting).not_to_contain_text("Dafydd Owen")  # Northshire's, at a Northshire session
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / "walk-ins-west.png"), full_page=True)

    _match(page, "810002")  # Rhys ap Gwilym, on Northshire's roster
    refused = "810002 is on another force's roster than this session's: a session credits its own force's people"
    expect(page.get_by_role("alert")).to_have_text(refused)  # nothing of whose it is
    expect(page.get_by_role("main")).not_to_contain_text("Rhys")

    _match(page, "820002")
    page.get_by_role("button", name="Confirm: it was Trần Văn Minh").click()
    expect(page.get_by_role("status")).to_have_text("Walk-in Trần Văn Minh matched to 820002, Trần Văn Minh.")
    assert [w["staff_number"] for w in walk_ins.walk_ins(hq.engine).resolved] == ["82OOO2"]

    northshire = f"{hq.url}/console/walk-ins/{walked_in['NSP']}"
    answer = page.goto(f"{northshire}/match?staff_number=810002")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("main")).to_contain_text("Not found among the units you can see.")
    expect(page.get_by_role("main")).not_to_contain_text("Dafydd Owen")
    page.goto(hq.url + "/console/walk-ins")
    token = csrf_token(page.content())
    dismissed = page.request.post(northshire, form={"csrf": token, "action": "dismiss", "reason": "not ours"})
    assert dismissed.status == 404
    assert [w["staff_number"] for w in walk_ins.walk_ins(hq.engine).resolved] == ["82OOO2"]  # left to Northshire


def _rows(answer_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(answer_text)))


def test_a_forces_administrator_takes_their_own_forces_records_and_leaves_retention_to_hq(
    page: Page, hq: Hq, walked_in: dict[str, str]
) -> None:
    sign_in(page, hq, "west.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Records").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Westshire Police's records")
    expect(page.get_by_role("main")).to_contain_text("Retention acts on the whole of HQ (every force)")
    expect(page.get_by_role("button", name="Show what would go")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "records-west.png"), full_page=True)
    link = page.get_by_role("link", name="Every registration at Westshire Police's sessions (CSV)")
    assert link.get_attribute("href") == "/console/records/registrations.csv"

    http = signed_in_http(hq, "west.admin")
    answer = http.get(hq.url + "/console/records/registrations.csv", timeout=30)
    assert answer.status_code == 200
    assert re.search(r'filename="?registrations-WSP-\d{4}-\d\d-\d\d\.csv', answer.headers["content-disposition"])
    rows = _rows(answer.content.decode("utf-8-sig"))
    assert {(r["Staff number"], r["Force"]) for r in rows} == {
        ("820003", "Westshire Police"),
        ("82OOO2", "Westshire Police"),
    }
    summary = _rows(
        http.get(hq.url + "/console/records/compliance-summary.csv", timeout=30).content.decode("utf-8-sig")
    )
    assert summary and {r["Force"] for r in summary} == {"Westshire Police"}
    assert http.get(hq.url + "/console/records/retention?years=6", timeout=30).status_code == 403

    national = signed_in_http(hq, "national.admin").get(hq.url + "/console/records/registrations.csv", timeout=30)
    assert 'filename="registrations-2' in national.headers["content-disposition"]  # HQ's file, as it was
    assert {r["Staff number"] for r in _rows(national.content.decode("utf-8-sig"))} == {
        "820003", "82OOO2", "810002", "81OOO9"
    }  # fmt: skip
