"""Questions trainers noted in class reach the console as one line however they were typed; an administrator
answers one into the plan's FAQ, which reaches a trainer's laptop with its next sync, and dismisses another."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, item
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import faq_questions, schema
from trainer_desk.lesson_content import load_plans
from trainer_desk.paths import bundled
from trainer_desk.workspace import Workspace

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

QUESTION = "Does this apply to the Specials?"


def noted(question: str, plan_id: str = "signa-core", day: str = "2026-11-23") -> dict[str, object]:
    """A question as a laptop sends it when the trainer notes one in class."""
    return {
        "uuid": new_uuid(),
        "session_uuid": None,
        "plan_id": plan_id,
        "question": question,
        "asked_at": f"{day}T10:15:00+00:00",
    }


def test_a_question_asked_in_three_rooms_is_answered_into_the_faq_that_trainers_receive(
    page: Page, hq: Hq, force: dict[str, str], workspace: Workspace
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    asked = [noted(QUESTION), noted("does this apply to the specials", day="2026-11-30"), noted("Can I leave early?")]
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(*(item("faq_question", q) for q in asked[:2]))
        == [("created", "")] * 2
    )
    assert (
        RawLaptop.enrolled(hq, "100300", "EAST").push(
            item("faq_question", asked[2]), item("faq_question", noted(QUESTION + "  ", day="2026-12-01"))
        )
        == [("created", "")] * 2
    )

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="FAQ questions").click()
    specials = page.get_by_role("region", name=QUESTION)
    expect(specials).to_contain_text("asked 3 times, 2026-11-23 to 2026-12-01")
    specials.get_by_label("Answer, as a trainer would say it").fill(
        'Yes: special constables are on the roster as "special", and the programme\'s audience includes them.'
    )
    specials.get_by_role("button", name="Add to the FAQ and publish").click()
    expect(page.get_by_role("status")).to_have_text("Answered in content version 2")
    expect(page.get_by_role("region", name=QUESTION)).to_have_count(0)

    early = page.get_by_role("region", name="Can I leave early?")
    early.get_by_role("button", name="Dismiss: not for the FAQ").click()
    expect(page.get_by_role("status")).to_have_text("Dismissed")
    expect(page.get_by_text("Every question trainers have noted is answered")).to_be_visible()

    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    hq_link.sync_once(workspace)
    plan = load_plans(workspace.paths).get("signa-core")
    assert plan is not None
    answer = next(entry for entry in plan.faq if entry.question == QUESTION)
    assert 'on the roster as "special"' in answer.answer and "asked-in-class" in answer.tags


def test_a_question_dismissed_by_several_administrators_at_once_is_dismissed_once(hq: Hq) -> None:
    with ThreadPoolExecutor(4) as pool:
        list(pool.map(lambda who: faq_questions.dismiss(hq.engine, "signa-core", "Is there parking?", who), "abcd"))
    with hq.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.faq_dismissals)).scalar_one() == 1
