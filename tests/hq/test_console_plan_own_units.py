"""A lead plans sessions for their own units' people: the Plan a session form books only people on the roster
in the lead's units, and refuses anyone else as it refuses a number nobody has, beside the field, so the form
tells a lead nothing of another BCU's roster. HQ's force-wide roles book anyone. The Unit field says what a
blank unit means."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.dates import ahead
from tests.hq.console_kit import sign_in
from tests.hq.test_console_field_problems import said_at
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import planning as hq_planning
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

EXPECTED = "People expected: a staff number a line, or separated by commas"


def fill_plan(page: Page, trainers: str, expected: str, venue: str = "Room 1, Northgate") -> None:
    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("Lesson plan").select_option("signa-core")
    page.get_by_label("Starts").fill(f"{ahead(40)}T09:30")
    page.get_by_label("Venue").fill(venue)
    page.get_by_label("Trainers' staff numbers (the first leads)").fill(trainers)
    page.get_by_label(EXPECTED).fill(expected)
    page.get_by_role("button", name="Plan the session").click()


def test_a_lead_books_only_their_units_people_and_hq_books_anyone(page: Page, hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    typed = "710002\n720001 Yusuf Al-Masri\n799999"  # East's Yusuf, and a number nobody has: refused alike
    fill_plan(page, "710001", typed)
    said_at(
        page.get_by_label(EXPECTED),
        "Anything after a staff number on its line, such as the person's name, is only for you to read. "
        "Not planned: no one with staff number 720001 or 799999 is on the roster in your units (correct the "
        "list, or add them on the day as walk-ins).",
    )
    expect(page.get_by_label(EXPECTED)).to_have_value(typed)
    expect(page.get_by_label("Venue")).to_have_value("Room 1, Northgate")
    assert len(hq_planning.list_sessions(hq.engine)) == 2  # the fixture's two: nothing planned

    page.get_by_label(EXPECTED).fill("710002")
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("status")).to_have_text("Planned, with 1 person booked.")

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "hq.admin")
    fill_plan(page, "710003", "720002", venue="Room 2, Northgate")  # HQ's own roles book anyone on the roster
    expect(page.get_by_role("status")).to_have_text("Planned, with 1 person booked.")


def test_the_unit_left_blank_says_what_it_means_and_does_it(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """An East trainer's session planned by North's lead is North's, and the field says so before it is sent."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    blank = page.get_by_label("Unit").locator("option").first
    expect(blank).to_have_text("the first trainer's if it is one of yours, else North")
    page.goto(hq.url + "/console/")
    fill_plan(page, "720002", "710002")
    expect(page.get_by_role("status")).to_have_text("Planned, with 1 person booked.")
    assert [s["unit_code"] for s in hq_planning.list_sessions(hq.engine) if s["status"] == "planned"] == ["NORTH"]
