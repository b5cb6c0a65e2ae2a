"""The phone feedback form loses nothing a participant gives and works on the smallest screen: a reviewer's
comment vanished (refused, or stored empty unless "No" was ticked), a comment over the limit was cut without
a word, the "5" of every scale sat off a small phone's edge at 200% text, an answer could not be taken back,
and a screen reader read the scale as bare numbers; a refused six-month follow-up came back empty too. A real
HQ over HTTP, the forms in Chromium."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.test_follow_up_mail import completed
from tests.hq.test_phone_feedback import planned_session
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import feedback_figures, phone_feedback
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.store import sessions
from trainer_desk.workspace import Workspace

RECOMMEND = "Would you recommend this training to a colleague?"
COMMENT = "If not, why not? Or any other comment"


@pytest.mark.any_database
def test_a_refused_form_comes_back_as_given_and_a_comment_is_kept_whatever_the_answer(
    page: Page, workspace: Workspace, hq: Hq
) -> None:
    link = planned_session(workspace, hq)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    recommend = page.get_by_role("group", name=RECOMMEND)
    recommend.get_by_label("Yes").check()
    first = page.get_by_role("radiogroup").first
    first.get_by_role("radio", name="4").check()
    expect(page.get_by_text("Up to 500 characters.")).to_be_visible()
    long = "The role plays helped most. " * 20  # 560 characters, from a browser that ignores the box's limit
    page.get_by_label(COMMENT).evaluate("box => box.removeAttribute('maxlength')")
    page.get_by_label(COMMENT).fill(long)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("alert")).to_have_text(re.compile("Your comment is 559 characters long: shorten it to 500"))
    expect(page.get_by_label(COMMENT)).to_have_value(long)  # every word, not cut
    expect(page.get_by_role("group", name=RECOMMEND).get_by_label("Yes")).to_be_checked()
    expect(page.get_by_role("radiogroup").first.get_by_role("radio", name="4")).to_be_checked()
    session_uuid = next(iter(sessions.list_sessions(workspace.db))).uuid
    assert phone_feedback.phone_answers(hq.engine, session_uuid) == 0  # nothing kept from the refused form

    page.get_by_label(COMMENT).fill("The role plays helped most.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your feedback is sent")

    for _ in range(3):  # the rest of the room: a comment alone is an answer, with no Yes or No
        alone = requests.Session()
        alone.get(link, timeout=10)
        sent = alone.post(link, data={"recommend": "", "reason": "More time for questions, please."}, timeout=10)
        assert sent.status_code == 200 and "Your feedback is sent" in sent.text
    no = requests.Session()
    no.get(link, timeout=10)
    assert no.post(link, data={"recommend": "no", "reason": "Too long."}, timeout=10).status_code == 200

    said = feedback_figures.for_session(hq.engine, session_uuid, "signa")
    assert said.forms == 5 and said.recommend == 1 and said.not_recommend == 1
    assert said.reasons == ["Too long."]
    assert sorted(said.comments) == ["More time for questions, please."] * 3 + ["The role plays helped most."]

    hq_link.sync_once(workspace)  # the session reaches HQ with the laptop's sync
    hq_main_args = ["users", "add", "hq.admin", "--role", "admin"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert hq_main([*admin(hq), *hq_main_args]) == 0
    sign_in(page, hq, "hq.admin")
    page.goto(f"{hq.url}/console/feedback")
    expect(page.get_by_role("heading", name="Other comments")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="The role plays helped most.")).to_be_visible()


@pytest.mark.any_database
def test_at_200_percent_on_a_small_phone_the_scales_fit_say_what_they_mean_and_take_an_answer_back(
    page: Page, workspace: Workspace, hq: Hq
) -> None:
    link = planned_session(workspace, hq)
    page.set_viewport_size({"width": 160, "height": 740})  # a 320 px phone at 200%
    page.goto(link)
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    targets = page.evaluate(  # every choice on screen and big enough to tap (WCAG 2.2: 24 px at least)
        "() => [...document.querySelectorAll('label.choice')].map(l => l.getBoundingClientRect())"
        ".map(r => [Math.round(r.left), Math.round(r.right), Math.round(r.width), Math.round(r.height)])"
    )
    assert targets and all(left >= 0 and right <= 160 and w >= 24 and h >= 24 for left, right, w, h in targets)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_snapshot()

    before = page.get_by_role("radiogroup").first
    expect(before.get_by_role("radio", name="1 (none)")).to_be_visible()  # the meaning where it is read out
    expect(before.get_by_role("radio", name="5 (very good)")).to_be_visible()
    before.get_by_role("radio", name="3").check()
    before.get_by_role("radio", name="No answer").check()  # tapped by mistake, taken back
    recommend = page.get_by_role("group", name=RECOMMEND)
    recommend.get_by_label("No", exact=True).check()
    recommend.get_by_label("No answer").check()
    page.get_by_role("radiogroup").nth(1).get_by_role("radio", name="4").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your feedback is sent")

    session_uuid = next(iter(sessions.list_sessions(workspace.db))).uuid
    said = feedback_figures.for_session(hq.engine, session_uuid, "signa")
    assert said.forms == 1 and said.recommend == said.not_recommend == 0
    (figures,) = said.objective_figures().values()
    assert (figures["answered_before"], figures["answered_after"]) == (0, 1)


def test_a_refused_follow_up_comes_back_with_every_answer_and_word(page: Page, hq: Hq, tmp_path: Path) -> None:
    completed(hq, tmp_path)
    listed = tmp_path / "due.csv"
    assert hq_main([*admin(hq), "follow-up", "due", "--link-base", hq.url, "-o", str(listed)]) == 0
    link = next(r["link"] for r in csv.DictReader(io.StringIO(listed.read_text(encoding="utf-8-sig"))))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(link)
    stepped_in = page.get_by_role("group", name=re.compile("have you stepped in"))
    stepped_in.get_by_label("Yes").check()
    in_the_way = page.get_by_label("What, if anything, has got in the way")
    words = "Shift changes meant the team rarely met. " * 30  # 1229 characters, over the limit of 1000
    in_the_way.evaluate("box => box.removeAttribute('maxlength')")  # a browser that ignores the box's limit
    in_the_way.fill(words)
    page.get_by_role("button", name="Send").click()

    expect(page.get_by_role("alert")).to_contain_text("1229 characters long: shorten it to 1000 or fewer")
    expect(page.get_by_label("What, if anything, has got in the way")).to_have_value(words)
    expect(page.get_by_role("group", name=re.compile("have you stepped in")).get_by_label("Yes")).to_be_checked()

    page.get_by_role("group", name=re.compile("have you stepped in")).get_by_label("No answer").check()
    page.get_by_label("What, if anything, has got in the way").fill("Shift changes.")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your answers are sent")
