"""A form refused for one thing typed or chosen says so at that field, against a real HQ on loopback in Debian's
chromium. The message was one line at the top of the page, often far from the box it was about, and a screen
reader did not tie it to the field. Now the field is marked invalid and described by the message beside it,
the cursor is in it, and everything typed is still there to correct."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import plan_a_session, said_at, sign_in
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database


def test_accounts_and_enrollment_codes_say_the_problem_at_the_field(page: Page, hq: Hq, force: dict[str, str]) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    add = page.get_by_role("form", name="Add an account")
    add.get_by_label("Username").fill("new.lead")
    add.get_by_label("Role").select_option(label="BCU training lead")
    add.get_by_role("button", name="Add the account").click()
    said_at(add.get_by_label("Granted on"), "A BCU training lead is granted on their unit: choose their unit.")
    expect(add.get_by_label("Username")).to_have_value("new.lead")
    expect(add.get_by_label("Username")).not_to_have_attribute("aria-invalid", "true")

    page.get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("799999")  # nobody's
    page.get_by_label("Valid for (hours)").fill("48")
    page.get_by_role("button", name="Issue a code").click()
    said_at(  # what to do is choose it: said at the unit
        page.get_by_label("Unit the laptop records for"),
        "Choose the unit the laptop records for: the trainer's staff number is not on HQ's roster.",
    )
    page.get_by_label("Unit the laptop records for").select_option("NORTH")
    page.get_by_role("button", name="Issue a code").click()
    said_at(
        page.get_by_label("Trainer's staff number"),
        "799999 is not on the roster of this unit's force: check the staff number. A laptop enrolled for a number "
        "nobody there has never receives the sessions planned for its trainer.",
    )
    expect(page.get_by_label("Trainer's staff number")).to_have_value("799999")
    expect(page.get_by_label("Valid for (hours)")).to_have_value("48")
    expect(page.get_by_label("Unit the laptop records for")).to_have_value("NORTH")


def test_planning_a_session_says_a_start_gone_by_at_the_start(page: Page, hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    plan_a_session(page, "2020-03-02T09:30")
    said_at(
        page.get_by_label("Starts (UK time)"),
        "That start has already gone by: a session is planned for a time still to come. Check the day and the year.",
    )
    expect(page.get_by_label("Venue")).to_have_value("Training room 3, Northgate")
    page.set_viewport_size({"width": 390, "height": 844})
    message = page.locator("#at-problem")
    box = message.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 390  # the message wraps beside its field
