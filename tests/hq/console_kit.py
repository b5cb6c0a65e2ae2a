"""What the console tests share: a small force of two units with a session each, an account for each role, and
Debian's chromium driven by Playwright (never a browser Playwright downloads)."""

from __future__ import annotations

import asyncio
import io
import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main

CHROMIUM = "/usr/bin/chromium"  # Debian's package, installed by ./dev; never a browser Playwright downloads
PASSWORD = "correct horse battery staple"
FORCE = [
    Person("710001", "Aleksandra", "Wiśniewska", "NORTH", PersonRole.OFFICER, team="Response A"),
    Person("710002", "Rhys", "ap Gwilym", "NORTH", PersonRole.STAFF),
    Person("710003", "Nguyễn", "Thị Lan", "NORTH", PersonRole.OFFICER),
    Person("720001", "Yusuf", "Al-Masri", "EAST", PersonRole.STAFF),
    Person("720002", "秀英", "王", "EAST", PersonRole.OFFICER),
]


@pytest.fixture
def force(hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """A roster of two units, a session in each, and an account for each role; returns the sessions' ids."""
    hq_roster.import_roster(hq.engine, FORCE)
    north, east = session("NORTH", ("100234",)), session("EAST", ("100300",))
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(
            item("session", north), item("attendance", attendance(north, "710001"))
        )
        == [("created", "")] * 2
    )
    assert (
        RawLaptop.enrolled(hq, "100300", "EAST").push(
            item("session", east), item("attendance", attendance(east, "720001", "EAST"))
        )
        == [("created", "")] * 2
    )
    accounts = (("hq.admin", "admin", ""), ("hq.viewer", "viewer", ""), ("lead.north", "lead", "NORTH"),
                ("audit", "auditor", ""))  # fmt: skip
    for username, role, unit in accounts:
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        args = ["users", "add", username, "--role", role, *(["--unit", unit] if unit else [])]
        assert hq_main([*admin(hq), *args]) == 0
    return {"NORTH": north["uuid"], "EAST": east["uuid"]}


def admin(hq: Hq) -> list[str]:
    return ["--home", str(hq.blobs.parent), "--db", hq.engine.url.render_as_string(hide_password=False)]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One Chromium for every console test a test worker runs: starting Playwright and the browser takes a
    second and a half, and some 130 tests use one. Each test still gets a browser context of its own (`page`),
    so no cookie, storage or download passes from one test to the next.

    While Playwright runs, the worker's main thread holds its event loop, so a test that runs asyncio code of
    its own does so on a thread of its own (as HQ's server runs its loop)."""
    before = set(threading.enumerate())
    with sync_playwright() as playwright:
        _threads_made_now(asyncio.get_running_loop())
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
        )
        yield launched
        launched.close()
    for thread in set(threading.enumerate()) - before:  # Playwright's event-loop helpers, ending with its loop
        if not isinstance(thread, threading._DummyThread):  # Qt's pool threads, seen from Python: not ours to join
            thread.join(timeout=5)


def _threads_made_now(loop: asyncio.AbstractEventLoop, count: int = 4) -> None:
    """Give Playwright's loop (the one the main thread holds between its calls) threads for blocking work, all
    started now: asyncio starts them one at a time as work comes, and one started during a test would outlive
    it, as if the test had left a thread running."""
    started = threading.Barrier(count + 1)
    threads = ThreadPoolExecutor(count, thread_name_prefix="playwright-blocking")
    for _ in range(count):
        threads.submit(started.wait)
    started.wait()
    loop.set_default_executor(threads)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(accept_downloads=True)
    yield context.new_page()
    context.close()


def sign_in(page: Page, hq: Hq, username: str, password: str = PASSWORD) -> None:
    page.goto(hq.url + "/console/")
    expect(page.get_by_role("heading", name="Sign in to the HQ console")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def said_at(field: Locator, message: str | re.Pattern[str]) -> None:
    """A form refused for what is in `field`: the message is the field's description, the field is marked
    invalid, and the cursor is in it."""
    expect(field).to_have_accessible_description(message)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()


def plan_a_session(
    page: Page, starts: str, venue: str = "Training room 3, Northgate", trainers: str = "710001"
) -> None:
    """Fill in the console's Plan a session form (already open) for upstander, as a lead types it, and send it."""
    page.get_by_label("Lesson plan").select_option("upstander")
    page.get_by_label("Starts").fill(starts)
    page.get_by_label("Venue").fill(venue)
    page.get_by_label("Trainers' staff numbers (the first leads)").fill(trainers)
    page.get_by_role("button", name="Plan the session").click()


def csrf_token(page: str) -> str:
    """The form token in a console page's HTML."""
    return page.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def signed_in_http(hq: Hq, username: str) -> requests.Session:
    """Signed in through the sign-in form with its CSRF token, as a person's browser would be."""
    http = requests.Session()
    token = csrf_token(http.get(hq.url + "/console/sign-in", timeout=10).text)
    answer = http.post(
        hq.url + "/console/sign-in", data={"username": username, "password": PASSWORD, "csrf": token}, timeout=10
    )
    assert answer.status_code == 200, answer.text
    return http


def chased(unit_page: str) -> list[str]:
    """The staff numbers in a unit page's Outstanding table, sorted (none when nobody is: no table is shown)."""
    if "<caption>Outstanding in" not in unit_page:
        return []
    table = unit_page.split("<caption>Outstanding in", 1)[1].split("</table>", 1)[0]
    return sorted(re.findall(r'<td data-label="Staff number">([^<]*)</td>', table))
