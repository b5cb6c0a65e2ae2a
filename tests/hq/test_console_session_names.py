"""The console names a session, and a unit, as people know them: by the plan's title, the unit's name and the
trainers' names, not the ids HQ stores (a plan id, a unit code, staff numbers), on the dashboard, the session's
page, its cancel page, the trainers page and a unit's page; an id nobody can name is shown as it is."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

SIGNA = "Signa: sexism, misogyny and sexual harassment at work"  # signa-core's title in the bundled plans
TRAINER = Person("100234", "Siân", "Llewellyn", "NORTH", PersonRole.STAFF)  # NORTH's trainer; EAST's is not listed


def test_sessions_and_trainers_are_shown_by_name(page: Page, hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, [*FORCE, TRAINER])
    hq_units.import_units(
        hq.engine,
        [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", "North BCU", "BCU", "FERN"),
         UnitNode("EAST", "East BCU", "BCU", "FERN")],
    )  # fmt: skip
    sign_in(page, hq, "hq.admin")
    # Units by name, as their people know them, in the filter and the tables that lead to each unit's page.
    expect(page.get_by_label("Unit", exact=True).locator("option", has_text="North BCU")).to_have_count(1)
    every = page.get_by_role("table", name="Completion per unit and programme")
    expect(every.get_by_role("link", name="East BCU").first).to_be_visible()
    expect(every).not_to_contain_text("NORTH")

    newest = page.get_by_role("table", name="The newest sessions")
    north = newest.get_by_role("row").filter(has_text="Siân Llewellyn (100234)")
    expect(north).to_contain_text(SIGNA)
    expect(north).to_contain_text("North BCU")
    expect(newest).not_to_contain_text("signa-core")
    expect(newest.get_by_role("row").filter(has_text="East BCU")).to_contain_text("100300")  # not on the roster

    north.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SIGNA)
    expect(page).to_have_title(f"Session: {SIGNA}, 23 Nov 2026 · Trainer Desk HQ")
    expect(page.get_by_role("link", name="North BCU")).to_be_visible()
    expect(page.locator("main")).to_contain_text("trainers Siân Llewellyn (100234)")
    register = page.get_by_role("table", name="Register: 1 person")
    expect(register.get_by_role("row", name="710001")).to_contain_text("North BCU")

    page.get_by_role("link", name="Trainers", exact=True).click()
    trainers = page.get_by_role("table", name="Trainers' sessions and hours")
    expect(trainers.get_by_role("row", name="Siân Llewellyn")).to_contain_text("100234")
    expect(trainers.get_by_role("row", name="Siân Llewellyn")).to_contain_text("23 Nov 2026")  # last delivered
    expect(trainers.get_by_role("row", name="not on the roster")).to_contain_text("100300")

    page.goto(f"{hq.url}/console/units/NORTH?programme=signa")
    expect(page.get_by_role("heading", level=1)).to_have_text("North BCU: who is still to complete Signa")
    expect(page).to_have_title("North BCU · Trainer Desk HQ")
    unit_sessions = page.get_by_role("table", name="The newest sessions")  # every one is North's: no Unit column
    expect(unit_sessions.get_by_role("columnheader")).to_have_text(["Starts", "Status", "Plan", "Venue", "Trainers"])
    chase = page.get_by_role("table", name="Outstanding in North BCU")
    # By surname whatever its case: "ap Gwilym" among the As, before "Thị Lan".
    expect(chase.get_by_role("row").nth(1)).to_contain_text("Rhys ap Gwilym")
    # How pressing it is for each, on the page, not only in the CSV.
    expect(chase.get_by_role("row").nth(1)).to_contain_text(re.compile(r"overdue|due soon|due \d{1,2} \w{3} \d{4}"))
    expect(chase.get_by_role("row").nth(2)).to_contain_text("Siân Llewellyn")
    expect(chase.get_by_role("row").nth(3)).to_contain_text("Nguyễn Thị Lan")

    # A programme for sergeants and inspectors, of whom North has none: said so, not "0 of the 0 … have not".
    page.goto(f"{hq.url}/console/units/NORTH?programme=inclusive-workplace")
    expect(page.locator("main")).to_contain_text("Nobody in North BCU is among those who must complete it.")
    expect(page.locator("main")).not_to_contain_text("0 of the 0")

    # The force's own page counts its BCUs' people: it said nobody was in it.
    page.goto(f"{hq.url}/console/units/FERN?programme=signa")
    expect(page.get_by_role("heading", level=1)).to_have_text("Fernshire Police: who is still to complete Signa")
    force_list = page.get_by_role("table", name="Outstanding in Fernshire Police")
    expect(force_list).to_contain_text("Rhys ap Gwilym")  # North's
    expect(force_list).to_contain_text("王")  # and East's
    page.goto(f"{hq.url}/console/?programme=signa&unit=FERN")
    expect(page.locator("#trend-summary")).not_to_contain_text("of 0")

    # A lead's own unit by name, at the top of every page and in the Reports unit list.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    expect(page.get_by_role("banner")).to_contain_text("BCU training lead · North BCU")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_label("Unit").locator("option", has_text="North BCU")).to_have_count(1)
