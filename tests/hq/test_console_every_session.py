"""A lead looking for a session two months back, to print its sheet: the console listed only the 30 sessions HQ
received last, so an older one could not be reached at all. Sessions are now listed by start, newest first, a
page at a time ("Earlier sessions"), and found by date (From / To) on the Sessions page."""

from __future__ import annotations

from datetime import date, timedelta

from playwright.sync_api import Page, expect

from tests.dates import coming
from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, item, session
from tests.hq_server import Hq


def _held(starts: date, venue: str) -> dict[str, object]:
    return {**session("NORTH"), "starts_at": f"{starts.isoformat()}T09:00:00+00:00", "venue": venue}


def test_a_lead_reaches_a_session_of_two_months_ago_by_paging_and_by_date(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    old = _held(date(2026, 9, 15), "Old custody suite")  # received first, then forty newer ones
    assert laptop.push(item("session", old)) == [("created", "")]
    newer = [_held(date(2026, 10, 1) + timedelta(days=n), f"Room {n}") for n in range(40)]
    for batch in (newer[:20], newer[20:]):
        assert laptop.push(*(item("session", s) for s in batch)) == [("created", "")] * 20
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/units/NORTH")

    newest = page.get_by_role("table", name="The newest sessions")
    expect(newest.get_by_role("row")).to_have_count(31)  # a page of 30 and the heading row
    expect(newest.get_by_role("row").nth(1)).to_contain_text("23 Nov 2026")  # the latest start first
    expect(newest.get_by_role("row").nth(2)).to_contain_text("Room 39")
    expect(newest).not_to_contain_text("Old custody suite")
    page.get_by_role("link", name="Earlier sessions").click()
    earlier = page.get_by_role("table", name="Earlier sessions, newest first")
    expect(earlier.get_by_role("row")).to_have_count(13)  # Room 10 back to Room 0, and the old one
    expect(earlier.get_by_role("row").nth(1)).to_contain_text("Room 10")
    expect(earlier.get_by_role("row").last).to_contain_text("Old custody suite")
    expect(page.get_by_role("link", name="Earlier sessions")).to_have_count(0)  # nothing further back

    page.get_by_role("link", name="Back to the newest").click()
    page.get_by_label("From").fill("2026-09-01")
    page.get_by_label("To").fill("2026-09-30")
    page.get_by_role("button", name="Show").click()
    found = page.get_by_role("table", name="Sessions, newest first")
    expect(found.get_by_role("row")).to_have_count(2)
    found.get_by_role("link", name="15 Sep 2026 10:00").click()
    expect(page.get_by_role("main")).to_contain_text("Old custody suite")
    expect(page.get_by_role("link", name="Attendance sheet")).to_be_visible()


def test_sessions_planned_ahead_do_not_push_the_delivered_ones_off_the_dashboard(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Listed by start, sessions planned up to a year ahead filled the dashboard's newest sessions before any
    that had been delivered. The dashboard lists them up to today; the Sessions page lists the planned ones too."""
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    ahead = [{**_held(coming(3, 1) + timedelta(days=n), f"Planned room {n}"), "status": "planned"} for n in range(30)]
    assert laptop.push(*(item("session", s) for s in ahead)) == [("created", "")] * 30
    sign_in(page, hq, "lead.north")
    newest = page.get_by_role("table", name="The newest sessions")
    expect(newest).to_contain_text("23 Nov 2026")  # the force's session, delivered
    expect(newest).not_to_contain_text("Planned room")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Sessions").click()
    expect(page.get_by_role("table")).to_contain_text("Planned room 29")  # the latest start first
