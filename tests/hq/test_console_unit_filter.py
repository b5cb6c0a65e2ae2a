"""Every page with a unit filter reads an unknown `?unit=` by one rule: it says so and shows all the person may
see, with the filter on "All units you can see". Feedback passed an unknown unit over in silence (and had no
unit filter at all), while Sessions said so: a link to one unit's feedback showed every unit's as if it were."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, item, session
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database

UNSEEN = "That unit is not among those you can see: these are the {} of all you can see."


def _forms_from_north(hq: Hq) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    held = {**session("NORTH"), "plan_id": "upstander", "programme_id": "upstander", "status": "closed"}
    ratings = [{"objective_id": o, "before": 2, "after": 4} for o in ("toolkit", "why")]
    forms = [
        item("feedback", {"uuid": str(uuid.uuid4()), "session_uuid": str(held["uuid"]), "would_recommend": True,
                          "ratings": ratings})
        for _ in range(6)
    ]  # fmt: skip
    assert {s for s, _ in RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", held), *forms)} == {"created"}


def test_feedback_and_sessions_say_an_unknown_unit_and_feedback_narrows_to_a_known_one(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    _forms_from_north(hq)
    sign_in(page, hq, "hq.admin")
    page.goto(f"{hq.url}/console/feedback?unit=BOGUS")
    expect(page.get_by_role("alert")).to_have_text(UNSEEN.format("figures"))
    expect(page.get_by_label("Unit")).to_have_value("")  # the filter shows what the page shows: every unit
    expect(page.get_by_role("heading", name="Upstander: 6 forms", exact=True)).to_be_visible()

    page.get_by_label("Unit").select_option("EAST")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("No feedback from sessions of that unit has reached HQ yet.")).to_be_visible()
    page.get_by_label("Unit").select_option("NORTH")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Upstander: 6 forms", exact=True)).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)

    page.goto(f"{hq.url}/console/sessions?unit=BOGUS")
    expect(page.get_by_role("alert")).to_have_text(UNSEEN.format("sessions"))
    expect(page.get_by_label("Unit")).to_have_value("")


def test_a_team_the_roster_does_not_name_is_said_and_every_team_shown(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "hq.admin")
    page.goto(f"{hq.url}/console/units/NORTH?team=SECRET9")
    expect(page.get_by_role("alert")).to_contain_text("No team called SECRET9 in ")
    expect(page.get_by_label("Team")).to_have_value("")  # the filter says what the list is: every team's
    expect(page.get_by_role("main")).not_to_contain_text("is among those who must complete it")

    page.get_by_label("Team").select_option("Response A")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Team")).to_have_value("Response A")
    expect(page.get_by_role("alert")).to_have_count(0)
