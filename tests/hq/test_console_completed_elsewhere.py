"""Someone booked on a session who completes the programme at another one, whose laptop syncs after the
booking, was still shown as plain "Booked" on the session's page, keeping a seat for nothing with nothing said.
The page says what they did, and offers the session's planner to take them off, which the audit trail
records; nothing is taken off unless the planner asks."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.dates import ahead, short_date
from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq.test_console_booked_for_nothing import publish
from tests.hq_server import Hq
from trainer_desk.hq import audit_trail
from trainer_desk.hq import planning as hq_planning


@pytest.mark.any_database
def test_someone_who_completed_it_at_another_session_is_said_on_the_register_and_can_be_taken_off(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    publish(hq)
    planned = hq_planning.plan_session(
        hq.engine, hq.blobs, plan_id="signa-core", starts_at=datetime.fromisoformat(f"{ahead(30)}T09:30+00:00"),
        venue="Room 2, Northgate", unit="NORTH", trainers=["710001"], expected=["710002", "710003"],
    )  # fmt: skip
    # Rhys ap Gwilym came to another Signa session three days ago; its laptop syncs only after the booking.
    held = date.today() - timedelta(days=3)
    elsewhere = {**session("NORTH", ("100234",), status="closed"), "starts_at": f"{held}T09:00:00+00:00"}
    came = {**attendance(elsewhere, "710002"), "marked_at": f"{held}T09:05:00+00:00"}
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    assert laptop.push(item("session", elsewhere), item("attendance", came)) == [("created", "")] * 2

    sign_in(page, hq, "lead.north")
    page.goto(f"{hq.url}/console/sessions/{planned.session.uuid}")
    register = page.get_by_role("table", name="Register: 2 people")
    rhys = register.get_by_role("row").filter(has_text="Rhys ap Gwilym")
    expect(rhys.get_by_role("cell").first).to_contain_text(
        f"Booked; completed Signa on {short_date(held)} at another session"
    )
    lan = register.get_by_role("row").filter(has_text="Nguyễn Thị Lan")
    expect(lan.get_by_role("cell").first).to_have_text("Booked")  # still to do it: nothing to offer
    expect(lan.get_by_role("button")).to_have_count(0)

    rhys.get_by_role("button", name="Take Rhys ap Gwilym off this session").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Taken off: Rhys ap Gwilym (710002), who completed Signa on {short_date(held)} at another session. "
        "The trainers' laptops learn it at their next sync."
    )
    register = page.get_by_role("table", name="Register: 1 person")
    expect(register).to_contain_text("Nguyễn Thị Lan")
    expect(register).not_to_contain_text("Rhys ap Gwilym")
    (entry,) = [e for e in audit_trail.search(hq.engine, "710002") if e["action"] == "taken off sessions"]
    assert entry["actor"] == "lead.north"
    assert f"completed it on {short_date(held)} at another session" in entry["detail"]
