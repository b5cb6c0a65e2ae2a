"""A laptop whose date was set a day ahead: its registrations reached HQ marked a day after the session ended,
and nothing in the console said why. HQ keeps them as sent (they are real, and refusing them would lose them),
but now the session's page says the laptop's clock was about a day ahead, and the Devices page lists it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.test_console_accessibility import WCAG, overflowing
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import records as hq_records
from trainer_desk.store import attendance, roster, sessions
from trainer_desk.workspace import Workspace

from ..store.test_sessions import make_session

pytestmark = pytest.mark.any_database
CLOCK_OFF = "Laptops whose clock is wrong"


def test_a_laptop_a_day_fast_has_its_registrations_kept_and_its_clock_named(
    page: Page, hq: Hq, workspace: Workspace, force: dict[str, str]
) -> None:
    """`force`: the console's accounts, and two laptops of a right clock that are not named."""
    real = workspace.clock
    workspace.clock = lambda: real() + timedelta(days=1)  # type: ignore[method-assign]
    assert hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH")) == "NORTH"
    person = Person("600001", "Ada", "Fore", "NORTH", PersonRole.OFFICER)
    roster.upsert_people(workspace.db, [person])
    session = sessions.create_session(workspace.db, make_session(), workspace.clock())
    attendance.add_attendee(workspace.db, session, person, AttendanceStatus.PRESENT, "100234", workspace.clock())
    hq_link.sync_once(workspace)

    [kept] = [r for r in hq_records.registrations(hq.engine) if r["session_uuid"] == session.uuid]  # as dated
    assert datetime.fromisoformat(kept["marked_at"]) > datetime.now(UTC) + timedelta(hours=23)

    sign_in(page, hq, "hq.admin")
    page.goto(f"{hq.url}/console/sessions/{session.uuid}")
    expect(page.get_by_role("main")).to_contain_text("was about 1 day ahead of HQ's when it last synced")
    page.get_by_role("main").get_by_role("link", name="Devices").click()
    listed = page.get_by_role("region", name=CLOCK_OFF)
    expect(listed).to_contain_text("about 1 day ahead of HQ's")
    expect(listed.get_by_role("listitem")).to_have_count(1)
    page.set_viewport_size({"width": 390, "height": 844})
    assert overflowing(page) == 0
    assert Axe().run(page, options=WCAG).violations_count == 0
