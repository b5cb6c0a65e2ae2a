"""Each role signs in to the console in a real browser and reaches what it may, and only that: the menu it
sees, and what the server answers for every page, whatever the menu shows."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

READING = ["/console/", "/console/sessions", "/console/feedback", "/console/trainers", "/console/reports",
           "/console/programmes", "/console/devices"]  # fmt: skip
PLANNING = ["/console/plan", "/console/exemptions"]
ADMINISTERING = ["/console/enrollment", "/console/walk-ins", "/console/units", "/console/roster", "/console/content",
                 "/console/faq-questions", "/console/backups", "/console/subject-access"]  # fmt: skip
AUDITING = ["/console/audit"]
MAY = {
    "hq.admin": READING + PLANNING + ADMINISTERING + AUDITING,
    "hq.viewer": READING,
    "lead.north": READING + PLANNING,
    "audit": AUDITING,
}


@pytest.mark.parametrize("username", sorted(MAY))
def test_each_role_reaches_what_it_may_and_nothing_else(
    page: Page, hq: Hq, force: dict[str, str], username: str
) -> None:
    sign_in(page, hq, username)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    menu = page.get_by_role("navigation", name="Console")
    answers = {}
    for path in READING + PLANNING + ADMINISTERING + AUDITING:
        answer = page.request.get(hq.url + path, max_redirects=0)
        answers[path] = answer.status
        shown = menu.locator(f'a[href="{path}"]')
        expect(shown).to_have_count(1 if path in MAY[username] else 0)
    assert {p for p, status in answers.items() if status == 200} == set(MAY[username])
    assert {status for p, status in answers.items() if p not in MAY[username]} <= {403}
