"""A BCU training lead on a phone, 390 pixels across, reads a session's register, the Feedback page and the
Trainers page: each attendee, objective and trainer is a card, named first, then each value beside its label,
and nothing runs off the right of the screen. Their tables ran off it: the register was cut at "North Respor",
with Status and Walk-in out of sight, and a caption read "Understanding, 1 to 5, before and aft". At a desktop's
width the register is a table. Against a real HQ on loopback, in Debian's chromium."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq.test_console_phone_tables import DESKTOP, PHONE, across, card
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

NORTH = "North Response and Neighbourhood Policing"  # as long as a real unit's name
TRAINER = Person("100555", "Kwame", "Mensah-Boateng", "NORTH", PersonRole.OFFICER)
WHY = (  # the upstander plan's first objective, in its words: longer than a phone's line
    "Understand why stepping in matters: the duty to report, challenge or take action, and how it reflects our"
    " values (Fairness, Integrity and Courage)."
)
FEEDBACK = "Understanding, 1 to 5, before and after (Upstander)"


def _form(session_uuid: str) -> dict[str, object]:
    ratings = [{"objective_id": o, "before": 2, "after": 4} for o in ("toolkit", "why")]
    return {"uuid": str(uuid.uuid4()), "session_uuid": session_uuid, "would_recommend": True, "ratings": ratings}


@pytest.fixture
def delivered(hq: Hq, force: dict[str, str]) -> str:
    """An upstander session North delivered in March, long enough ago that its trainer is flagged: one person
    present, one late, one absent and a walk-in HQ has not matched yet, and six feedback forms. Its id."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, [*FORCE, TRAINER])
    hq_units.import_units(
        hq.engine,
        [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", NORTH, "BCU", "FERN"),
         UnitNode("EAST", "East BCU", "BCU", "FERN")],
    )  # fmt: skip
    held: dict[str, Any] = {
        **session("NORTH", (TRAINER.staff_number,), status="closed"), "plan_id": "upstander",
        "programme_id": "upstander", "starts_at": "2026-03-02T09:00:00+00:00", "ends_at": "2026-03-02T12:00:00+00:00",
    }  # fmt: skip
    register = [
        attendance(held, "710001"),
        {**attendance(held, "710002"), "status": "late"},
        {**attendance(held, "710003"), "status": "absent"},
        {**attendance(held, "71OOO9"), "walk_in": True, "walk_in_name": "Chidi Okafor"},
    ]
    forms = [item("feedback", _form(held["uuid"])) for _ in range(6)]
    sent = RawLaptop.enrolled(hq, "100234", "NORTH").push(
        item("session", held), *(item("attendance", a) for a in register), *forms
    )
    assert {status for status, _ in sent} == {"created"}
    return str(held["uuid"])


def sideways(page: Page) -> list[str]:
    """What a person would have to scroll sideways to read: the page itself, or a table in its own box (named by
    its caption). Empty when everything is within the screen's width."""
    return list(
        page.evaluate(
            """() => [document.documentElement, ...document.querySelectorAll(".wide")]
                .filter(box => box.scrollWidth > box.clientWidth)
                .map(box => box === document.documentElement ? "the page" : box.querySelector("caption").innerText)"""
        )
    )


def every_cell_across(page: Page, row: Locator) -> None:
    for cell in row.locator("th, td").all():
        if cell.inner_text().strip():
            across(page, cell)


def test_a_sessions_register_reads_as_a_card_per_attendee_on_a_phone(page: Page, hq: Hq, delivered: str) -> None:
    sign_in(page, hq, "lead.north")
    page.set_viewport_size(PHONE)
    page.goto(f"{hq.url}/console/sessions/{delivered}")
    assert sideways(page) == []
    register = page.get_by_role("table", name="Register: 4 people")
    across(page, register.locator("caption"))
    # The name first, then whether they came; a walk-in line only for a walk-in.
    late = register.get_by_role("row", name="Rhys ap Gwilym")
    assert card(late) == ["Rhys ap Gwilym", "Status: Late", f"Unit: {NORTH}", "Staff number: 710002"]
    assert card(register.get_by_role("row", name="Nguyễn Thị Lan"))[:2] == ["Nguyễn Thị Lan", "Status: Absent"]
    walk_in = register.get_by_role("row", name="Chidi Okafor")
    assert card(walk_in) == [
        "Chidi Okafor", "Status: Present", f"Unit: {NORTH}", "Walk-in: yes, to be looked into at HQ",
        "Staff number: 71OOO9",
    ]  # fmt: skip
    every_cell_across(page, walk_in)
    said = page.get_by_role("region", name="Feedback: 6 forms")  # the session's feedback, below it, cards too
    assert card(said.get_by_role("row", name=WHY)) == [WHY, "Before: 2.0", "After: 4.0", "Answered: 6 / 6"]

    page.set_viewport_size(DESKTOP)  # a table again: its headings over its columns, a row on one line
    expect(register.get_by_role("columnheader")).to_have_text(["Name", "Status", "Unit", "Walk-in", "Staff number"])
    # By surname, as the chase list is ("ap Gwilym" among the As); a walk-in by the name the trainer typed.
    expect(register.locator("tbody th")).to_have_text(
        ["Rhys ap Gwilym", "Chidi Okafor", "Nguyễn Thị Lan", "Aleksandra Wiśniewska"]
    )
    assert card(late) == ["Rhys ap Gwilym", "Late", NORTH, "", "710002"]
    tops = {round(box["y"]) for box in (c.bounding_box() for c in late.locator("th, td").all()) if box}
    assert len(tops) == 1, tops


def test_the_feedback_page_reads_as_a_card_per_objective_on_a_phone(page: Page, hq: Hq, delivered: str) -> None:
    sign_in(page, hq, "lead.north")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("heading", name="Upstander: 6 forms")).to_be_visible()
    assert sideways(page) == []
    table = page.get_by_role("table", name=FEEDBACK)
    caption = table.locator("caption")
    expect(caption).to_have_text(FEEDBACK)
    across(page, caption)  # wrapped, whole, not cut at "before and aft"
    why = table.get_by_role("row", name=WHY)
    assert card(why) == [WHY, "Before: 2.0", "After: 4.0", "Answered: 6 / 6"]
    every_cell_across(page, why)


def test_the_trainers_page_reads_as_a_card_per_trainer_on_a_phone(page: Page, hq: Hq, delivered: str) -> None:
    sign_in(page, hq, "lead.north")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Trainers", exact=True).click()
    assert sideways(page) == []
    table = page.get_by_role("table", name="Trainers' sessions and hours")
    kwame = table.get_by_role("row", name="Kwame Mensah-Boateng")
    assert card(kwame) == [
        "Kwame Mensah-Boateng", "Staff number: 100555", "Sessions: 1", "Hours: 3.0",
        "Last delivered: 2 Mar 2026 not delivered for six months",
    ]  # fmt: skip
    every_cell_across(page, kwame)


def broken_words(row: Locator) -> list[str]:
    """The words of a row's cells that are split across two lines ("Neighbourhoo / d"), as a person sees them:
    a word on one line is drawn in one box, a broken one in two."""
    return list(
        row.evaluate(
            """row => [...row.cells].flatMap(cell => {
                const broken = [];
                const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
                for (let text = walker.nextNode(); text; text = walker.nextNode()) {
                    for (const word of text.data.matchAll(/\\S+/g)) {
                        const range = document.createRange();
                        range.setStart(text, word.index);
                        range.setEnd(text, word.index + word[0].length);
                        if (range.getClientRects().length > 1) broken.push(word[0]);
                    }
                }
                return broken;
            })"""
        )
    )


def test_on_a_320_pixel_phone_no_word_of_a_card_is_broken_across_lines(page: Page, hq: Hq, delivered: str) -> None:
    """The label column took 10rem of a card 17.6rem wide, and the unit's name broke mid-word: "Neighbourhoo",
    "d Policing". Below about 22rem the label sits above its value, which wraps only between words; at 390
    pixels each label is still beside its value."""
    sign_in(page, hq, "lead.north")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{hq.url}/console/sessions/{delivered}")
    assert sideways(page) == []
    register = page.get_by_role("table", name="Register: 4 people")
    walk_in = register.get_by_role("row", name="Chidi Okafor")
    assert card(walk_in)[2] == f"Unit: {NORTH}"
    every_cell_across(page, walk_in)
    for name in ("Chidi Okafor", "Rhys ap Gwilym"):
        assert broken_words(register.get_by_role("row", name=name)) == []
    unit = walk_in.locator("td").nth(1)
    label, value = unit.evaluate(
        """cell => [getComputedStyle(cell, "::before").display, parseFloat(getComputedStyle(cell).paddingLeft)]"""
    )
    assert (label, value) == ("block", 0)  # the label above its value, the value the card's whole width

    page.set_viewport_size(PHONE)  # 390 pixels: room for the label beside its value
    unit_beside = unit.evaluate("""cell => getComputedStyle(cell, "::before").display""")
    assert unit_beside == "inline-block"
    assert broken_words(register.get_by_role("row", name="Chidi Okafor")) == []
