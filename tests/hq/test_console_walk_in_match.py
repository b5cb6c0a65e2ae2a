"""Matching a walk-in to a staff number, as the administrator at HQ sees it, against a real HQ on loopback in
Debian's chromium. Match credited whoever had the number typed at one click, so a typo credited another
officer. Now it shows the name given on the day beside the roster's name, unit and rank for that number, and
only Confirm matches; a number nobody has is said at once, with it kept to correct; a confirmation shown
before the walk-in or that roster entry changed is refused. The page reads at phone width."""

from __future__ import annotations

from dataclasses import replace

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq.test_console_accessibility import overflowing
from tests.hq_server import Hq
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import walk_ins

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

OPEN = "Walk-ins that match nobody"


@pytest.fixture
def walk_in(hq: Hq, force: dict[str, str]) -> str:
    """Rhys ap Gwilym signed in by hand at a North session, his number typed with letters O for zeros."""
    north = session("NORTH", ("100234",))
    typo = {**attendance(north, "71OOO2"), "walk_in": True, "walk_in_name": "Rhys ap Gwilym"}
    assert (
        RawLaptop.enrolled(hq, "100234").push(item("session", north), item("attendance", typo)) == [("created", "")] * 2
    )
    return str(typo["uuid"])


def _cells(table: Locator, heading: str) -> Locator:
    """A row of the comparison: as given on the day, and as on the roster."""
    return table.get_by_role("row", name=heading).get_by_role("cell")


def _match(page: Page, number: str) -> None:
    page.get_by_role("table", name=OPEN).get_by_label("Staff number of Rhys ap Gwilym").fill(number)
    page.get_by_role("button", name="Match Rhys ap Gwilym").click()


def test_match_shows_whom_the_number_names_and_only_confirm_credits_them(page: Page, hq: Hq, walk_in: str) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    _match(page, "710001")  # one digit out: Aleksandra's number
    expect(page.get_by_role("heading", level=1)).to_have_text("Match Rhys ap Gwilym to 710001?")
    compared = page.get_by_role("table", name="Who signed in, and whom 710001 names on the roster")
    expect(_cells(compared, "Name")).to_have_text(["Rhys ap Gwilym", "Aleksandra Wiśniewska"])
    expect(_cells(compared, "Unit")).to_have_text(["NORTH", "NORTH"])
    expect(_cells(compared, "Rank or grade")).to_have_text(["not asked", "officer"])
    expect(page.get_by_role("main")).to_contain_text("The names differ")
    page.get_by_role("link", name="Back to the walk-ins").click()
    expect(page.get_by_role("table", name=OPEN)).to_contain_text("71OOO2")  # nobody was credited
    assert walk_ins.walk_ins(hq.engine).resolved == []
    box = page.get_by_label("Staff number of Rhys ap Gwilym")
    expect(box).to_have_value("710001")  # back with the number typed, the cursor in it to correct one digit
    expect(box).to_be_focused()

    _match(page, "799999")  # nobody's
    nobody = "799999 is not on HQ's roster: check the number, or import the roster that has them first"
    expect(page.get_by_role("alert")).to_have_text(nobody)
    expect(box).to_have_value("799999")
    expect(box).to_be_focused()
    expect(box).to_have_accessible_description(nobody)  # said at the box, as a screen reader reads it

    _match(page, "710002")
    compared = page.get_by_role("table", name="Who signed in, and whom 710002 names on the roster")
    expect(_cells(compared, "Name")).to_have_text(["Rhys ap Gwilym", "Rhys ap Gwilym"])
    expect(_cells(compared, "Rank or grade")).to_have_text(["not asked", "staff"])
    expect(page.get_by_role("main")).not_to_contain_text("The names differ")
    page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").click()
    expect(page.get_by_role("status")).to_have_text("Walk-in Rhys ap Gwilym matched to 710002, Rhys ap Gwilym.")
    expect(page.get_by_role("table", name=OPEN)).not_to_contain_text("71OOO2")


def test_a_confirmation_shown_before_the_roster_changed_is_refused_and_shown_again(
    page: Page, hq: Hq, walk_in: str
) -> None:
    """Between the page and the click, the next HR export moved 710002 to EAST: the click matches nothing and
    the page shows the roster as it is now, to confirm again."""
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    _match(page, "710002")
    moved = [replace(p, unit_code="EAST") if p.staff_number == "710002" else p for p in FORCE]
    hq_roster.import_roster(hq.engine, moved)
    page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Not matched: this walk-in, or the roster's entry for 710002, changed after you looked. Check it again below."
    )
    compared = page.get_by_role("table", name="Who signed in, and whom 710002 names on the roster")
    expect(_cells(compared, "Unit")).to_have_text(["NORTH", "EAST"])
    assert walk_ins.walk_ins(hq.engine).resolved == []
    page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").click()
    expect(page.get_by_role("status")).to_contain_text("matched to 710002")


def test_the_walk_ins_page_reads_at_phone_width(page: Page, hq: Hq, walk_in: str) -> None:
    """390 pixels across: each walk-in a card with its boxes in view, nothing to scroll sideways for."""
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Walk-ins").click()
    box = page.get_by_label("Staff number of Rhys ap Gwilym")
    expect(box).to_be_in_viewport()
    assert overflowing(page) == 0
    for form in ("Match Rhys ap Gwilym", "Dismiss Rhys ap Gwilym"):
        button = page.get_by_role("button", name=form).bounding_box()
        assert button is not None and button["x"] + button["width"] <= 390, form
    _match(page, "710002")
    expect(page.get_by_role("heading", level=1)).to_have_text("Match Rhys ap Gwilym to 710002?")
    assert overflowing(page) == 0
    confirm = page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").bounding_box()
    assert confirm is not None and confirm["x"] + confirm["width"] <= 390
