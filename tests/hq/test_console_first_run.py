"""A new HQ, set up by a learning team with a browser alone. Its sign-in page sent them to an HQ administrator
who did not exist yet (only `trainer-desk-hq users add` in a terminal made one): `serve` now prints a setup
address that makes the first administrator and signs them in, and refuses it once an account exists."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from tests.hq.console_kit import said_at
from tests.hq.test_console_accessibility import WCAG, overflowing
from tests.hq_server import Hq, printed

pytestmark = pytest.mark.any_database
PASSWORD = "four words learnt by heart"


def _setup_address(hq: Hq) -> str:
    found = re.search(r"http://\S+/console/setup/(\S+)", printed(hq))
    assert found, printed(hq)
    return f"{hq.url}/console/setup/{found.group(1)}"


def test_the_address_serve_printed_makes_the_first_administrator_once(page: Page, browser: Browser, hq: Hq) -> None:
    page.goto(hq.url + "/console/")
    expect(page.get_by_role("heading", name="Sign in to the HQ console")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("This HQ has no accounts yet")
    expect(page.get_by_role("main")).to_contain_text("trainer-desk-hq serve printed when it started")

    page.goto(hq.url + "/console/setup/not-the-code-it-printed")
    expect(page.get_by_role("main")).to_contain_text("Open the setup address that trainer-desk-hq serve printed")

    address = _setup_address(hq)
    page.goto(address)
    expect(page.get_by_role("heading", name="Make HQ's first administrator")).to_be_visible()
    assert page.url == hq.url + "/console/setup"  # the code is not left in the address bar or the history
    page.set_viewport_size({"width": 390, "height": 800})  # on a phone too, and to WCAG's checks
    assert overflowing(page) == 0
    assert Axe().run(page, options=WCAG).violations_count == 0
    page.get_by_label("Username").fill("jo.bloggs")
    page.get_by_label("Password", exact=True).fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_label("Password", exact=True).evaluate("field => field.removeAttribute('minlength')")
    page.get_by_label("Password again").evaluate("field => field.removeAttribute('minlength')")
    page.get_by_role("button", name="Make the administrator and sign in").click()
    said_at(page.get_by_label("Password", exact=True), re.compile("A password needs at least 12 characters."))

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again").fill(PASSWORD)
    page.get_by_role("button", name="Make the administrator and sign in").click()
    expect(page.get_by_role("list", name="Steps to set up HQ")).to_be_visible()  # signed in, as an administrator
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Audit").click()
    expect(page.get_by_role("main")).to_contain_text("first administrator made")

    stranger = browser.new_context().new_page()
    stranger.goto(address)
    expect(stranger.get_by_role("main")).to_contain_text("This HQ has an account already")
    stranger.goto(hq.url + "/console/sign-in")
    expect(stranger.get_by_role("main")).not_to_contain_text("This HQ has no accounts yet")
    stranger.get_by_label("Username").fill("jo.bloggs")
    stranger.get_by_label("Password").fill(PASSWORD)
    stranger.get_by_role("button", name="Sign in").click()
    expect(stranger.get_by_role("list", name="Steps to set up HQ")).to_be_visible()
    stranger.context.close()


def test_a_failed_sign_in_on_a_new_hq_still_says_where_the_setup_address_is(page: Page, hq: Hq) -> None:
    """Someone who tries a password first, as on any sign-in page, was shown the page again without the hint,
    and then again after too many tries: every sign-in page of an HQ with no account says where to go."""
    page.goto(hq.url + "/console/sign-in")
    for _ in range(6):  # past the limit of wrong passwords for one account
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill("a guess at the password")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("alert")).to_contain_text(re.compile("do not match|Too many wrong passwords"))
        expect(page.get_by_role("main")).to_contain_text("This HQ has no accounts yet")
        expect(page.get_by_role("main")).to_contain_text("trainer-desk-hq serve printed when it started")
    expect(page.get_by_role("alert")).to_contain_text("Too many wrong passwords")
