"""The Feedback page and a session's feedback name the programme by its title and each objective in its own
words, in the plan's order: the reviewer read "upstander: 6 forms" and rows "toolkit" and "why", sorted by id."""

from __future__ import annotations

import uuid

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, item, session
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

WHY = "Understand why stepping in matters"
TOOLKIT = "Understand the five ways to step in, the five Ds"


def _form(session_uuid: str) -> dict[str, object]:
    ratings = [{"objective_id": o, "before": 2, "after": 4} for o in ("toolkit", "why")]
    return {"uuid": str(uuid.uuid4()), "session_uuid": session_uuid, "would_recommend": True, "ratings": ratings}


def test_feedback_names_the_programme_and_its_objectives_as_the_plan_does(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    held = {**session("NORTH"), "plan_id": "upstander", "programme_id": "upstander", "status": "closed"}
    forms = [item("feedback", _form(str(held["uuid"]))) for _ in range(6)]
    assert {s for s, _ in RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", held), *forms)} == {"created"}
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Feedback").click()
    expect(page.get_by_role("heading", name="Upstander: 6 forms", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Understanding, 1 to 5, before and after (Upstander)")
    rows = table.get_by_role("rowheader")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(WHY)  # the plan's first objective first, in its own words
    expect(rows.nth(1)).to_contain_text(TOOLKIT)

    page.goto(f"{hq.url}/console/sessions/{held['uuid']}")
    said = page.get_by_role("region", name="Feedback: 6 forms")
    expect(said.get_by_role("table", name="Understanding, 1 to 5, before and after (Upstander)")).to_contain_text(WHY)
