"""HQ's files read on their own, and say what is true: the Records page's sheet of every registration names
each line's programme, session, venue and person, in words; a booking on a session not yet held is "Booked"
(never "absent", with no follow-up date); a walk-in no one on the roster matched counts for no one yet; and
a subject access file says a booking was taken off, in keys and values its owner reads, without HQ's
bookkeeping. Both downloaded over HTTP from a real HQ."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.dates import ahead
from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.force_clock import today
from trainer_desk.hq import bookings
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import planning as hq_planning
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database


@pytest.fixture
def planned(hq: Hq, force: dict[str, str]) -> str:
    """Upstander planned a month ahead with 710002 and 710003 booked, 710002 then taken off it (as an
    exemption does); and a walk-in whose number no one on the roster has at the fixture's North session."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    made = hq_planning.plan_session(
        hq.engine, hq.blobs, plan_id="upstander", starts_at=datetime.fromisoformat(f"{ahead(30)}T09:30+00:00"),
        venue="Room 2, Northgate", unit="NORTH", trainers=["710001"], expected=["710002", "710003"],
    )  # fmt: skip
    assert bookings.take_off(hq.engine, bookings.booked_on(hq.engine, "710002", "upstander", today())) == []
    north = session("NORTH", ("100234",))
    visitor = {**attendance(north, "777777"), "walk_in": True, "walk_in_name": "Dafydd Pritchard"}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", north), item("attendance", visitor))
        == [("created", "")] * 2
    )
    return made.session.uuid


def test_every_registration_reads_on_its_own_and_a_booking_is_booked(page: Page, hq: Hq, planned: str) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Records").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Every registration (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(rows[0]) == [
        "Registration id", "Session id", "Programme", "Session starts", "Venue", "Unit", "Staff number", "Name",
        "Status", "Recorded at", "Recorded by", "Follow-up due", "Walk-in", "Counts for", "Correction at HQ",
        "Taken off the register", "Conflicting copy sent",
    ]  # fmt: skip
    by_number = {r["Staff number"]: r for r in rows}
    booked = by_number["710003"]
    assert booked["Session id"] == planned and booked["Programme"] == "Upstander"
    assert booked["Session starts"] == f"{ahead(30)} 09:30" or booked["Session starts"] == f"{ahead(30)} 10:30"
    assert (booked["Venue"], booked["Name"], booked["Status"]) == ("Room 2, Northgate", "Nguyễn Thị Lan", "Booked")
    assert booked["Follow-up due"] == "" and booked["Recorded by"] == "HQ"  # nothing held yet to follow up
    taken_off = by_number["710002"]
    assert (taken_off["Status"], taken_off["Taken off the register"]) == ("Booked, then taken off the register", "yes")
    present = by_number["710001"]
    assert (present["Status"], present["Name"], present["Walk-in"]) == ("Present", "Aleksandra Wiśniewska", "no")
    assert present["Counts for"] == "Aleksandra Wiśniewska (710001)" and present["Follow-up due"] == "2027-05-23"
    visitor = by_number["777777"]
    assert (visitor["Name"], visitor["Walk-in"], visitor["Counts for"]) == (
        "Dafydd Pritchard", "yes", "no one on the roster yet"
    )  # fmt: skip
    assert "absent" not in text.lower() and "True" not in text and "False" not in text


def test_a_subject_access_file_says_a_booking_was_taken_off_in_plain_words(page: Page, hq: Hq, planned: str) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Staff number").fill("710002")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    found = json.loads(text)
    assert found["staff number"] == "710002"
    assert found["roster entry"]["forename"] == "Rhys" and found["roster entry"]["rank or grade"] == ""
    [booking] = found["registrations"]
    assert booking["status"] == "Booked, then taken off the register" and booking["follow-up due"] == ""
    assert booking["session"]["programme"] == "Upstander" and booking["session"]["venue"] == "Room 2, Northgate"
    assert "absent" not in text.lower()
    for internal in ('"seq"', '"name_key"', '"previous_unit"', '"staff_number"', '"deleted"'):
        assert internal not in text, internal
