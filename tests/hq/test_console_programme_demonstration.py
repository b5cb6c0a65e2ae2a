"""A programme changed in the console, while the published rules are still the demonstration force's. The
change rewrote programmes.toml without its `demonstration = true` line and without asking, so the other
programmes' made-up due dates went out to laptops as the force's own. Now the preview asks as publishing an
upload does: publish anyway with the marker kept, or say the dates are the force's own, which takes it off."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.test_console_accessibility import WCAG, overflowing
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database

STILL = "Still the demonstration's"
ANYWAY = "Publish it with the demonstration content anyway"
OWN = "These dates are our force's own"


@pytest.fixture
def demonstration_rules(hq: Hq, force: dict[str, str]) -> None:
    """The bundled plans published as they are: their programmes.toml says `demonstration = true`."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)


def _preview_signa_due(page: Page, due: str) -> None:
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Programmes").click()
    change = page.get_by_role("form", name="Change Signa")
    change.get_by_label("Due by (blank: no due date)").fill(due)
    change.get_by_role("button", name="Preview the change to Signa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this change to Signa?")


@pytest.mark.usefixtures("demonstration_rules")
def test_a_programme_changed_keeps_the_demonstration_marker_until_the_dates_are_said_to_be_the_forces(
    page: Page, hq: Hq
) -> None:
    sign_in(page, hq, "hq.admin")
    _preview_signa_due(page, "2027-05-31")
    warning = page.get_by_role("region", name=STILL)
    expect(warning).to_contain_text("programmes.toml holds the demonstration force's due dates")
    expect(warning).to_contain_text("30 Jun 2027")  # Upstander's made-up date, which this change publishes again

    page.get_by_role("button", name="Publish the change to Signa").click()  # neither tick: refused, and said why
    expect(page.get_by_role("alert")).to_contain_text("Not published: the programme rules are still the demonstration")
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish this change to Signa?")
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflowing(page) == 0
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_contain_text("Published as content version 2")

    _preview_signa_due(page, "2027-04-30")  # the marker stayed: the next change asks again
    expect(page.get_by_role("region", name=STILL)).to_contain_text("31 May 2027")
    page.get_by_label(OWN).check()
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_contain_text("Published as content version 3")

    _preview_signa_due(page, "2027-03-31")  # the force's own now: nothing more to ask
    expect(page.get_by_role("region", name=STILL)).to_have_count(0)
    expect(page.get_by_label(ANYWAY)).to_have_count(0)
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_contain_text("Published as content version 4")
