"""Publishing a change to a programme's rules, and a FAQ answer, from the console of a real HQ on loopback.

Two administrators confirming changes to the same programme at the same moment could both pass the check that
the rules were unchanged since their preview, and the second then undid the first unseen: the check was read
apart from the write. Now the check holds in the transaction that records the version, so the second is
refused with the comparison counted again. And these edits published content versions without a note, so the
list of versions said nothing of them: now each says what changed, in the administrator's words or in HQ's.
A rule refused is said at the field it is about, with everything typed kept."""

from __future__ import annotations

import re
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.hq.console_kit import csrf_token, sign_in, signed_in_http
from tests.hq.raw_laptop import RawLaptop, item
from tests.hq.test_console_content_versions import row_of
from tests.hq.test_console_faq_questions import noted
from tests.hq.test_console_field_problems import said_at
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import published
from trainer_desk.paths import bundled

OFFICERS_BY_MARCH = {"role_officer": "yes", "due": "2027-03-31", "after": "90", "refresh": "36"}
EVERYONE_BY_JANUARY = {"role_officer": "yes", "role_staff": "yes", "role_special": "yes", "due": "2027-01-31"}


@pytest.fixture
def published_plans(hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)


def _previewed(hq: Hq, form: dict[str, str]) -> tuple[requests.Session, dict[str, str]]:
    """An administrator's session that has previewed `form` for Signa, and the form its Publish button sends."""
    http = signed_in_http(hq, "hq.admin")
    token = csrf_token(http.get(hq.url + "/console/programmes", timeout=10).text)
    preview = http.post(hq.url + "/console/programmes/signa/preview", data={**form, "csrf": token}, timeout=10)
    assert preview.status_code == 200, preview.text
    was = preview.text.split('name="was" value="', 1)[1].split('"', 1)[0]
    return http, {**form, "csrf": token, "was": was, "own_dates": "yes"}  # the bundled dates made the force's


def _words(html: str) -> str:
    """A page's text as read, without its markup."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.usefixtures("published_plans")
def test_two_administrators_confirming_at_once_publish_one_change_and_the_other_sees_it(hq: Hq) -> None:
    """Run on both databases: which transaction waits for which is theirs to decide."""
    for round_ in range(3):  # each round changes the rule the last one published: its own days
        officers = {**OFFICERS_BY_MARCH, "after": str(60 + round_)}
        everyone = {**EVERYONE_BY_JANUARY, "after": str(30 + round_)}
        answers = _confirmed_together(hq, [_previewed(hq, officers), _previewed(hq, everyone)])
        done = [a for a in answers if "Published as content version" in a.text]
        refused = [a for a in answers if a.status_code == 409]
        assert (len(done), len(refused)) == (1, 1), [(a.status_code, _said(a.text)) for a in answers]
        said = _words(refused[0].text)
        assert "Not published: the rules of Signa were changed by someone else after this preview" in said
        winner = (
            "For officer; due by 31 Mar 2027" if done[0] is answers[0] else "For officer, special, staff; due by 31 Jan"
        )
        assert f"Now {winner}" in said  # counted again, against the change that was published
        assert published.current(hq.engine).version == 2 + round_  # type: ignore[union-attr]


def _confirmed_together(hq: Hq, previewed: list[tuple[requests.Session, dict[str, str]]]) -> list[requests.Response]:
    """Each preview's Publish pressed at the same moment; the answers in the same order."""
    together = threading.Barrier(len(previewed))

    def confirm(one: tuple[requests.Session, dict[str, str]]) -> requests.Response:
        together.wait(timeout=10)
        http, form = one
        return http.post(hq.url + "/console/programmes/signa", data=form, timeout=30)

    with ThreadPoolExecutor(len(previewed)) as pool:
        return list(pool.map(confirm, previewed))


def _said(html: str) -> list[str]:
    """A page's status and alert messages."""
    return re.findall(r'role="(?:status|alert)"[^>]*>([^<]*)', html)


@pytest.mark.any_database
@pytest.mark.usefixtures("published_plans")
def test_a_rule_refused_is_said_at_its_field_with_what_was_typed_kept(page: Page, hq: Hq) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Programmes").click()
    change = page.get_by_role("form", name="Change Signa")
    change.get_by_label("staff", exact=True).set_checked(False)
    change.get_by_label("Days a later joiner has").fill("ninety")
    change.get_by_role("button", name="Preview the change to Signa").click()
    change = page.get_by_role("form", name="Change Signa")
    said_at(
        change.get_by_label("Days a later joiner has"),
        "Give the days a later joiner has as a whole number, such as 90, or leave it blank.",
    )
    expect(change.get_by_label("Days a later joiner has")).to_have_value("ninety")
    expect(change.get_by_label("staff", exact=True)).not_to_be_checked()  # the rest as typed, too
    assert published.current(hq.engine).version == 1  # type: ignore[union-attr]


@pytest.mark.any_database
@pytest.mark.usefixtures("published_plans")
def test_rule_changes_and_faq_answers_are_noted_in_the_list_of_versions(page: Page, hq: Hq) -> None:
    assert RawLaptop.enrolled(hq, "100234", "NORTH").push(item("faq_question", noted("Is it recorded?"))) == [
        ("created", "")
    ]
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Programmes").click()
    page.get_by_role("form", name="Change Signa").get_by_label("staff", exact=True).set_checked(False)
    page.get_by_role("button", name="Preview the change to Signa").click()
    note = page.get_by_label("Note for the content version (optional, one line; blank: “Rules for Signa changed”)")
    note.fill("Staff do Signa\x07from April")
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(note).to_have_accessible_description(
        "The note must be one line of plain text: it has a line break or another control character."
    )
    expect(note).to_be_focused()
    expect(note).to_have_value("Staff do Signa\x07from April")  # kept, to mend; the preview stays
    note.fill("")
    page.get_by_label("These dates are our force's own").check()  # the bundled rules are the demonstration's
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 2")

    page.get_by_role("link", name="FAQ questions").click()
    asked = page.get_by_role("region", name="Is it recorded?")
    asked.get_by_label("Answer, as a trainer would say it").fill("No: the session is not recorded.")
    asked.get_by_label(re.compile("Note for the content version")).fill("Answers the question about recording")
    asked.get_by_role("button", name="Add to the FAQ and publish").click()
    expect(page.get_by_role("status")).to_have_text("Answered in content version 3")

    page.get_by_role("link", name="Lesson content").click()
    expect(row_of(page, "2")).to_contain_text("Rules for Signa changed")
    expect(row_of(page, "3 (current), with demonstration content")).to_contain_text(
        "Answers the question about recording"
    )
