"""Three things a reviewer found in the console, each seen as the person at HQ sees it, against a real HQ on
loopback in Debian's chromium:

- "Plan a session" read the time typed on HQ's server clock. HQ servers run in UTC, but a lead in England
  who types 09:30 on a July day means 09:30 BST (08:30 UTC), and must see 09:30 again.
- "Lost" on the devices page told a laptop to wipe itself at one click. It now asks first, naming the laptop
  and saying what will happen, and so does "Revoke".
- A laptop enrolled this morning, not yet synced, was flagged as not synced for over a week: when it was
  enrolled was ignored. One enrolled long ago and never seen since must still be flagged.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import Page, expect
from sqlalchemy import update

from tests.dates import coming, last_sunday_coming, short_date
from tests.hq.console_kit import PASSWORD, admin, csrf_token, plan_a_session, sign_in, signed_in_http
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices, schema
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import utc_now
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from trainer_desk.sync.pulled_changes import Changes

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

WARNING = "not synced for over a week"


@pytest.fixture
def server_clock_in_utc() -> Iterator[None]:
    """HQ's server clock in UTC, as HQ servers commonly run, whatever zone this machine is in. The test HQ is
    a child process, which takes the zone from its environment when it starts; this process is set the same
    way meanwhile, and put back after."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TZ", "UTC")
        time.tzset()
        yield
    time.tzset()


def _pulled_sessions(hq: Hq, trainer: str) -> dict[str, str]:
    """The sessions a trainer's laptop receives from HQ, by id, with their start as sent."""
    code = devices.issue_code(hq.engine, trainer, "NORTH")
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
    enrolled = requests.post(
        hq.url + "/v1/enroll", json={"code": code, "device_name": "Trainer's laptop"}, headers=headers, timeout=10
    )
    assert enrolled.status_code == 200, enrolled.text
    headers["Authorization"] = f"Bearer {enrolled.json()['token']}"
    pulled = requests.get(hq.url + "/v1/changes", params={"since": 0}, headers=headers, timeout=10)
    assert pulled.status_code == 200, pulled.text
    return {
        r.uuid: str(r.payload["starts_at"]) for r in Changes.from_wire(pulled.json()).records if r.entity == "session"
    }


@pytest.mark.usefixtures("server_clock_in_utc")
def test_a_time_typed_in_the_console_is_uk_time_in_summer_and_winter(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """09:30 typed for a July day is 08:30 UTC; for a January day, 09:30 UTC. Either way the lead sees 09:30
    again, and the trainer's laptop receives the same moment."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    planned = {}
    summer_day, winter_day = coming(7, 8).isoformat(), coming(1, 14).isoformat()
    for day in (summer_day, winter_day):
        page.get_by_role("link", name="Plan a session").click()
        plan_a_session(page, f"{day}T09:30")
        heading = page.get_by_role("heading", level=1)
        shown = short_date(date.fromisoformat(day))
        expect(heading).to_have_text(f"Upstander: stepping in when it matters, {shown} 09:30")
        planned[day] = page.url.rsplit("/", 1)[1]

    sent = _pulled_sessions(hq, "710001")
    summer, winter = (datetime.fromisoformat(sent[planned[day]]) for day in (summer_day, winter_day))
    assert summer.astimezone(UTC) == datetime.combine(coming(7, 8), clock_time(8, 30), UTC), sent
    assert winter.astimezone(UTC) == datetime.combine(coming(1, 14), clock_time(9, 30), UTC), sent
    assert summer.utcoffset() == timedelta(hours=1) and winter.utcoffset() == timedelta(0)  # BST, then GMT


def test_a_time_the_clocks_skip_or_repeat_is_refused_saying_why(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """01:30 on the last Sunday of March never shows on a UK clock, and on the last Sunday of October shows
    twice: either would be stored as a moment nobody meant. What was typed stays in the form."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    for typed, said in ((f"{last_sunday_coming(3)}T01:30", "the clocks go forward an hour that night"),
                        (f"{last_sunday_coming(10)}T01:30", "the clocks go back an hour that night")):  # fmt: skip
        plan_a_session(page, typed)
        expect(page.get_by_role("alert")).to_contain_text(said)
        expect(page.get_by_label("Starts")).to_have_value(typed)
    assert _pulled_sessions(hq, "710001") == {}


def test_marking_a_laptop_lost_asks_first_naming_it_and_saying_what_will_happen(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """The first click shows which laptop it is and that it will wipe itself; Cancel leaves it in service; only
    "Yes, mark it lost" flags it, once, in the audit trail. Revoking asks the same way."""
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Devices", exact=True).click()
    listed = page.get_by_role("table")
    page.get_by_role("button", name="Report laptop of 100234 lost").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the laptop of 100234 lost?")
    device = page.get_by_role("table", name="The device")
    expect(device.get_by_role("row", name="Trainer 100234")).to_be_visible()
    expect(device.get_by_role("row", name="Unit NORTH")).to_be_visible()
    with hq.engine.connect() as conn:  # enrolled, and heard from since: shown on the UK's clock, to the minute
        row = conn.execute(schema.devices.select().where(schema.devices.c.trainer == "100234")).mappings().one()
    contact = datetime.fromisoformat(devices.last_contact(row)).astimezone(ZoneInfo("Europe/London"))
    last_contact = device.get_by_role("row", name="Last contact (UK time)")
    expect(last_contact).to_contain_text(f"{short_date(contact.date())} {contact:%H:%M}")
    expect(page.locator("main")).to_contain_text("wipes its data")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
    expect(listed.get_by_role("row", name="laptop of 100234")).to_contain_text("active")

    page.get_by_role("button", name="Report laptop of 100234 lost").click()
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(page.get_by_role("status")).to_contain_text("marked lost")
    expect(listed.get_by_role("row", name="laptop of 100234")).to_contain_text("lost")

    page.get_by_role("button", name="Revoke laptop of 100300").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke the laptop of 100300?")
    expect(page.get_by_role("table", name="The device").get_by_role("row", name="Unit EAST")).to_be_visible()
    page.get_by_role("button", name="Yes, revoke it").click()
    expect(page.get_by_role("status")).to_contain_text("marked revoked")
    expect(listed.get_by_role("row", name="laptop of 100300")).to_contain_text("revoked")
    expect(page.get_by_role("button", name="Revoke laptop of 100300")).to_have_count(0)

    # Revoked, then found to be stolen: it can still be told to wipe itself, and the page says how.
    page.get_by_role("button", name="Report laptop of 100300 lost").click()
    expect(page.locator("main")).to_contain_text("It is revoked now: HQ answers it once more, to tell it to wipe")
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(listed.get_by_role("row", name="laptop of 100300")).to_contain_text("lost")
    expect(page.get_by_role("button", name="Report laptop of 100300 lost")).to_have_count(0)

    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    expect(trail.get_by_role("row").filter(has_text="device lost")).to_have_count(2)
    expect(trail.get_by_role("row").filter(has_text="device revoked")).to_have_count(1)


def test_the_confirmation_step_keeps_the_role_and_unit_checks(
    hq: Hq, force: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lead may not even open it; an administrator of NORTH gets "Not found" for an EAST laptop; opening it
    changes nothing, and its own form (with its CSRF token) is what marks the laptop lost."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "admin.north", "--role", "admin", "--unit", "NORTH"]) == 0
    north, east = (next(d for d in devices.list_devices(hq.engine) if d["unit"] == u) for u in ("NORTH", "EAST"))

    lead = signed_in_http(hq, "lead.north")
    assert lead.get(f"{hq.url}/console/devices/{north['id']}?flag=lost", timeout=10).status_code == 403
    unit_admin = signed_in_http(hq, "admin.north")
    refused = unit_admin.get(f"{hq.url}/console/devices/{east['id']}?flag=lost", timeout=10)
    assert refused.status_code == 404 and "Not found" in refused.text and "laptop of 100300" not in refused.text

    asked = unit_admin.get(f"{hq.url}/console/devices/{north['id']}?flag=lost", timeout=10)
    assert asked.status_code == 200 and "Yes, mark it lost" in asked.text and "laptop of 100234" in asked.text
    assert unit_admin.get(hq.url + "/console/devices", timeout=10).text.count(">lost<") == 0
    confirmed = unit_admin.post(
        f"{hq.url}/console/devices/{north['id']}",
        data={"flag": "lost", "csrf": csrf_token(asked.text)},
        timeout=10,
        allow_redirects=False,
    )
    assert confirmed.status_code == 303
    assert "marked lost" in unit_admin.get(hq.url + confirmed.headers["location"], timeout=10).text


def _enrol_through_the_console(page: Page, hq: Hq, name: str) -> str:
    """Issues a code on the console's form and enrolls a laptop with it; returns the laptop's token."""
    page.get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("710001")
    page.get_by_label("Unit the laptop records for").select_option("NORTH")
    page.get_by_role("button", name="Issue a code").click()
    code = page.get_by_label("Enrollment code").inner_text().strip()
    enrolled = requests.post(
        hq.url + "/v1/enroll",
        json={"code": code, "device_name": name},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=10,
    )
    assert enrolled.status_code == 200, enrolled.text
    return str(enrolled.json()["token"])


def test_a_laptop_enrolled_this_week_is_not_flagged_but_one_enrolled_long_ago_and_never_seen_is(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Enrolling is contact: a laptop enrolled today and not yet synced has not gone quiet. One enrolled a
    month ago and never heard from since has, until it syncs."""
    sign_in(page, hq, "hq.admin")
    _enrol_through_the_console(page, hq, "New laptop")
    token = _enrol_through_the_console(page, hq, "Forgotten laptop")
    a_month_ago = (utc_now() - timedelta(days=30)).isoformat()
    shown_a_month_ago = short_date((utc_now() - timedelta(days=30)).date())
    with hq.engine.begin() as conn:  # enrolled a month ago: HQ's clock cannot be turned back for a test
        conn.execute(
            update(schema.devices).where(schema.devices.c.name == "Forgotten laptop").values(enrolled_at=a_month_ago)
        )

    page.get_by_role("link", name="Devices", exact=True).click()
    listed = page.get_by_role("table")
    expect(listed.get_by_role("row", name="New laptop")).not_to_contain_text(WARNING)
    expect(listed.get_by_role("row", name="New laptop")).to_contain_text(short_date(utc_now().date()))
    expect(listed.get_by_role("row", name="laptop of 100234")).not_to_contain_text(WARNING)  # synced today
    forgotten = listed.get_by_role("row", name="Forgotten laptop")
    expect(forgotten).to_contain_text(shown_a_month_ago)
    expect(forgotten).to_contain_text(WARNING)

    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {token}"}
    assert requests.get(hq.url + "/v1/changes", params={"since": 0}, headers=headers, timeout=10).status_code == 200
    page.reload()
    expect(forgotten).not_to_contain_text(WARNING)
    expect(forgotten).not_to_contain_text(shown_a_month_ago)
    expect(forgotten).to_contain_text(short_date(utc_now().date()))


def test_a_session_planned_without_choosing_a_unit_is_for_its_trainers_unit(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """An administrator of the whole of HQ sees every unit listed: the form no longer picks the first of them
    (a North trainer's session once went to another unit, unseen by North's lead), but the trainer's own."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Plan a session").click()
    plan_a_session(page, f"{coming(3, 10)}T09:30", trainers="100800")  # nobody on the roster
    expect(page.get_by_role("alert")).to_have_text(
        "Choose the unit it is for: the trainer's staff number is not on HQ's roster."
    )
    plan_a_session(page, f"{coming(3, 10)}T09:30", trainers="710001")
    expect(page.get_by_role("link", name="NORTH")).to_be_visible()  # the session page leads back to its unit
    planned = page.url
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    answer = page.goto(planned)
    assert answer is not None and answer.status == 200  # North's lead finds it among North's sessions

    # North's lead plans one for a trainer from East: the session is North's, the lead's own unit.
    page.get_by_role("link", name="Plan a session").click()
    plan_a_session(page, f"{coming(3, 11)}T09:30", trainers="720001")
    expect(page.get_by_role("link", name="NORTH")).to_be_visible()
