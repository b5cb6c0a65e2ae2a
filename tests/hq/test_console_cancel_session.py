"""A session planned in the console by mistake, or no longer needed, is cancelled there: with a reason (kept in
the audit trail), only while it has not started, and its trainer's laptop shows it as cancelled at its next
sync, so no one turns up to deliver it. Once there was no way to cancel one: it stayed planned for ever."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.dates import ahead, short_date
from tests.hq.console_kit import csrf_token, plan_a_session, sign_in, signed_in_http
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import delivery, roster, sessions
from trainer_desk.store.attendance import add_attendee
from trainer_desk.workspace import Workspace, open_workspace


@pytest.fixture
def planned(page: Page, hq: Hq, force: dict[str, str], tmp_path: Path) -> Iterator[tuple[Workspace, str]]:
    """The lead plans a session in the console for trainer 710001, whose laptop has synced it: that laptop and
    the session's uuid; the lead's page is on the session."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    laptop = open_workspace(AppPaths.resolve(tmp_path / "trainer"))
    try:
        hq_link.enroll(laptop, hq.url, hq_devices.issue_code(hq.engine, "710001", "NORTH"))
        sign_in(page, hq, "lead.north")
        page.get_by_role("link", name="Plan a session").click()
        plan_a_session(page, ahead(days=3).strftime("%Y-%m-%dT09:30"))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Upstander: stepping in when it matters")
        hq_link.sync_once(laptop)
        [(uuid, status)] = laptop.db.execute("SELECT uuid, status FROM sessions").fetchall()
        assert status == "planned" and page.url.endswith(uuid)
        yield laptop, uuid
    finally:
        laptop.close()


def test_a_lead_cancels_a_planned_session_and_the_trainers_laptop_learns_it(
    page: Page, hq: Hq, force: dict[str, str], planned: tuple[Workspace, str]
) -> None:
    laptop, uuid = planned
    page.get_by_role("link", name="Cancel this session…").click()
    form = page.get_by_role("form", name="Cancel the session")
    form.get_by_label("Why it is cancelled").fill("   ")
    form.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why the session is cancelled")
    reason = form.get_by_label("Why it is cancelled")  # said at the box, the cursor in it
    expect(reason).to_have_accessible_description(re.compile("^Say why the session is cancelled"))
    expect(reason).to_be_focused()
    form.get_by_label("Why it is cancelled").fill("the room is being refurbished")
    form.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelled")
    expect(page.get_by_role("main")).to_contain_text("cancelled")
    expect(page.get_by_role("link", name="Cancel this session…")).to_have_count(0)
    expect(page.locator(".notice")).to_contain_text(  # the reason is in the audit trail, which a lead cannot read
        f"This session was cancelled on {short_date(datetime.now(UTC).date())} by lead.north:"
        " the room is being refurbished."
    )
    expect(page.locator(".notice")).to_contain_text("There are no sheets to print for it.")
    expect(page.get_by_role("link", name="Sign-in sheet (PDF)")).to_have_count(0)  # nobody will sign in
    expect(page.get_by_role("link", name="Attendance sheet (PDF)")).to_have_count(0)
    sheet = page.request.get(f"{hq.url}/console/sessions/{uuid}/sign-in.pdf")
    assert sheet.status == 409 and "This session was cancelled" in sheet.text()
    page.goto(f"{hq.url}/console/sessions/{uuid}/sign-in.pdf")  # an old link, followed: the way back is offered
    expect(page.get_by_role("heading", level=1)).to_have_text("No sheet")
    page.get_by_role("link", name="Back to the session").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upstander: stepping in when it matters")

    hq_link.sync_once(laptop)
    assert laptop.db.execute("SELECT status FROM sessions WHERE uuid = ?", [uuid]).fetchone()[0] == "cancelled"
    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert "session cancelled" in audit and "the room is being refurbished" in audit

    # Cancelled once, it is not cancelled again; and one in another unit is not the lead's to cancel.
    http = signed_in_http(hq, "lead.north")
    again = http.get(f"{hq.url}/console/sessions/{uuid}/cancel", timeout=10)
    assert "This session is cancelled already" in again.text  # said before a reason is typed
    assert 'name="reason"' not in again.text
    token = again.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    answer = http.post(
        f"{hq.url}/console/sessions/{uuid}/cancel",
        data={"csrf": token, "version": "2", "reason": "twice"},
        timeout=10,
    )
    assert answer.status_code == 400 and "cancelled already" in answer.text
    east = http.get(f"{hq.url}/console/sessions/{force['EAST']}/cancel", timeout=10)
    assert east.status_code == 404


def test_a_session_a_laptop_has_started_is_not_cancelled(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """The fixture's North session is running on its trainer's laptop: the console offers no cancelling, and
    a form sent anyway is refused, saying why."""
    sign_in(page, hq, "lead.north")
    page.goto(f"{hq.url}/console/sessions/{force['NORTH']}")
    expect(page.get_by_role("main")).to_contain_text("running")
    expect(page.get_by_role("link", name="Cancel this session…")).to_have_count(0)
    page.goto(f"{hq.url}/console/sessions/{force['NORTH']}/cancel")  # said at once, before a reason is typed
    expect(page.get_by_role("alert")).to_contain_text(
        "Only a session that has not started can be cancelled: this one is running"
    )
    expect(page.get_by_role("form", name="Cancel the session")).to_have_count(0)
    http = signed_in_http(hq, "lead.north")  # and a form sent anyway is refused, saying why
    token = csrf_token(http.get(f"{hq.url}/console/sessions/{force['NORTH']}", timeout=10).text)
    answer = http.post(
        f"{hq.url}/console/sessions/{force['NORTH']}/cancel",
        data={"csrf": token, "version": "1", "reason": "not needed"},
        timeout=10,
    )
    assert answer.status_code == 400 and "this one is running" in answer.text


def test_a_session_cancelled_while_its_laptop_ran_it_offline_says_so_and_keeps_its_register(
    page: Page, planned: tuple[Workspace, str]
) -> None:
    """The lead cancels a session in the console while the trainer, offline, runs it anyway. The trainer's
    sync says it was cancelled at HQ (not a clash of version numbers), and the people who were there count."""
    laptop, uuid = planned
    held = sessions.get_session(laptop.db, uuid)  # offline: the trainer runs it and takes the register
    assert held is not None
    now = datetime.now(UTC)
    running = delivery.set_status(laptop.db, held, SessionStatus.RUNNING, now)
    person = roster.get_person(laptop.db, "710002")
    assert person is not None
    add_attendee(laptop.db, running, person, AttendanceStatus.PRESENT, "710001", now)

    page.get_by_role("link", name="Cancel this session…").click()
    page.get_by_label("Why it is cancelled").fill("trainer off sick")
    page.get_by_role("button", name="Cancel the session").click()
    expect(page.get_by_role("status")).to_contain_text("Cancelled")

    assert hq_link.sync_once(laptop).flagged == 1
    [(said,)] = laptop.db.execute("SELECT last_error FROM outbox WHERE entity = 'session'").fetchall()
    assert "cancelled at HQ while this laptop was offline" in said
    page.reload()
    expect(page.get_by_role("table", name="Register: 1 person")).to_contain_text("Present")
