"""A force whose roster writes ranks its own way ("PS", "Insp", "Staff Band D") publishing the bundled
programmes.toml, whose Managing an Inclusive Workplace is for "Sergeant", "Inspector", "Band D" and "Band E":
it matched no one, and the console said "0 of 0" and dropped the programme from its table of every programme
without a word. Now the publish preview, the Programmes page and the programme's dashboard each name the
ranks that match no one and the words the roster uses. Against a real HQ, in Debian's chromium."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq.test_console_content import zipped
from tests.hq_server import Hq
from trainer_desk.hq import published
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

RANKS = {"710001": "PS", "710002": "Staff Band D", "710003": "PS", "720001": "Insp", "720002": "PC"}
SAID = (
    "Managing an Inclusive Workplace: no one on the roster has the rank or grade Band D, Band E, Inspector or "
    "Sergeant, so no one is counted as having to complete it. The ranks and grades the roster uses most: PS, "
    "Insp, PC, Staff Band D."
)


def test_a_programme_for_ranks_the_roster_does_not_use_is_named_before_and_after_publishing(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    hq_roster.import_roster(hq.engine, [replace(p, rank=RANKS[p.staff_number]) for p in FORCE])
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(
        zipped(bundled("lesson_plans"), tmp_path / "p.zip")
    )
    page.get_by_role("button", name="Check and compare").click()
    before = page.get_by_role("region", name="Audiences that match no one on the roster")
    expect(before.get_by_role("listitem")).to_have_text([SAID])  # Signa and the rest match: not named
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 1")
    assert published.current(hq.engine) is not None

    page.get_by_role("link", name="Programmes").click()
    expect(page.get_by_role("region", name="Audiences that match no one on the roster")).to_contain_text(SAID)

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Programme", exact=True).select_option(label="Managing an Inclusive Workplace")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#audience-unmatched")).to_contain_text(SAID)
    every = page.get_by_role("table", name="Completion per unit and programme, of those who must complete each")
    nobody = every.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Managing an Inclusive Workplace"))
    expect(nobody.get_by_role("cell")).to_have_text(["Every unit", "No one on the roster must complete it"])
    expect(every.get_by_role("rowheader", name="No one on the roster")).to_have_count(0)  # a state, not a unit

    page.locator("#audience-unmatched").get_by_role("link", name="Programmes").click()  # the roster's words put in
    change = page.get_by_role("form", name="Change Managing an Inclusive Workplace")
    change.get_by_label("Only these ranks or grades (comma-separated; blank: every rank)").fill("PS, Insp")
    change.get_by_role("button", name="Preview the change to Managing an Inclusive Workplace").click()
    page.get_by_label("These dates are our force's own").check()  # the bundled rules are the demonstration's
    page.get_by_role("button", name="Publish the change to Managing an Inclusive Workplace").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 2")
    expect(page.get_by_role("region", name="Audiences that match no one on the roster")).to_have_count(0)
    page.get_by_role("link", name="Dashboard").click()
    page.get_by_label("Programme", exact=True).select_option(label="Managing an Inclusive Workplace")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#trend-summary")).to_contain_text("0 of 3")
    expect(page.locator("#audience-unmatched")).to_have_count(0)
