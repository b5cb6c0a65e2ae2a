"""The audit trail and the console's messages name things as people know them: a laptop by its trainer and
unit, a session by its plan, day and unit, a walk-in by the session it was at, each with its id kept for
searching, and a link to the session's or laptop's page while it exists. Entries recorded before stay as they
were. Lists of units to choose from say "North BCU (NORTH)"; the Exemptions table names the unit."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.dates import ahead, short_date
from tests.hq.console_kit import FORCE, plan_a_session, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import audit_trail, schema
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import planning as hq_planning
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person reads: the same on either database

SIGNA = "Signa: sexism, misogyny and sexual harassment at work"  # signa-core's title in the bundled plans
UPSTANDER = "Upstander: stepping in when it matters"
DETECTIVE = Person("730001", "Ola", "Nowak", "NORTH-CID", PersonRole.OFFICER)


def _named_force(hq: Hq) -> None:
    """The force's units by name, a CID team under North BCU, its plans published."""
    hq_units.import_units(
        hq.engine,
        [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", "North BCU", "BCU", "FERN"),
         UnitNode("NORTH-CID", "North CID", "team", "NORTH"), UnitNode("EAST", "East BCU", "BCU", "FERN")],
    )  # fmt: skip
    hq_roster.import_roster(hq.engine, [*FORCE, DETECTIVE])
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)


def test_the_audit_trail_names_the_laptop_the_session_and_the_walk_in_and_links_to_them(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    _named_force(hq)
    RawLaptop.enrolled(hq, "710001", "NORTH")
    with hq.engine.connect() as conn:
        laptop_id = conn.execute(select(schema.devices.c.id).where(schema.devices.c.trainer == "710001")).scalar_one()
    north = session("NORTH", ("100234",))
    walk_in = {**attendance(north, "71OOO2"), "walk_in": True, "walk_in_name": "Rhys ap Gwilym"}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", north), item("attendance", walk_in))
        == [("created", "")] * 2
    )
    recorded_before = f"{force['NORTH']} for NORTH, 49 expected"  # as entries were worded until now
    audit_trail.record(hq.engine, "hq.admin", "session planned", recorded_before)

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Devices", exact=True).click()
    laptop = page.get_by_role("row", name="laptop of 710001")
    expect(laptop.get_by_role("cell").nth(1)).to_have_text("North BCU (NORTH)")  # as people know it, not "NORTH"
    page.get_by_role("button", name="Report laptop of 710001 lost").click()
    unit = page.get_by_role("table", name="The device").get_by_role("row", name=re.compile("^Unit "))
    expect(unit.get_by_role("cell")).to_have_text("North BCU (NORTH)")
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(page.get_by_role("status")).to_have_text(
        "The laptop of Aleksandra Wiśniewska (710001), North BCU is marked lost."
    )

    page.get_by_role("link", name="Plan a session").click()
    starts = ahead(days=3)
    plan_a_session(page, starts.strftime("%Y-%m-%dT09:30"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(UPSTANDER)
    planned_uuid = page.url.rsplit("/", 1)[1]

    page.get_by_role("link", name="Walk-ins").click()
    page.get_by_label("Staff number of Rhys ap Gwilym").fill("710002")
    page.get_by_role("button", name="Match Rhys ap Gwilym").click()
    page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").click()
    expect(page.get_by_role("status")).to_contain_text("matched to 710002")

    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    lost = trail.get_by_role("row").filter(has_text="device lost")
    expect(lost).to_contain_text(f"the laptop of Aleksandra Wiśniewska (710001), North BCU [device {laptop_id}]")
    expect(lost.get_by_role("link", name=f"[device {laptop_id}]")).to_have_attribute(
        "href", f"/console/devices#device-{laptop_id}"
    )
    matched = trail.get_by_role("row").filter(has_text="walk-in")
    expect(matched).to_contain_text(
        f"the walk-in [walk-in {walk_in['uuid']}] at {SIGNA}, 23 Nov 2026, North BCU [session {north['uuid']}] "
        "matched to Rhys ap Gwilym (710002)"
    )
    before = trail.get_by_role("row").filter(has_text=recorded_before)
    expect(before).to_have_count(1)  # as it was recorded: the trail is evidence
    expect(before.get_by_role("link")).to_have_count(0)

    planned = trail.get_by_role("row").filter(has_text=f"[session {planned_uuid}]")
    expect(planned).to_contain_text(f"{UPSTANDER}, {short_date(starts)}, North BCU [session {planned_uuid}], ")
    planned.get_by_role("link", name=f"[session {planned_uuid}]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(UPSTANDER)

    page.get_by_role("link", name="Audit trail").click()
    page.get_by_label("Search").fill(laptop_id)  # the id is kept, for the auditor to search by
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table").get_by_role("row").filter(has_text="device lost")).to_have_count(1)
    expect(page.get_by_role("table")).to_contain_text("Aleksandra Wiśniewska")


def test_lists_of_units_and_the_exemptions_table_name_each_unit(page: Page, hq: Hq, force: dict[str, str]) -> None:
    _named_force(hq)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    granted = page.get_by_role("form", name="Add an account").get_by_label("Granted on")
    expect(granted.locator("option")).to_contain_text(
        ["the whole of HQ", "Fernshire Police (FERN)", "East BCU (EAST)", "North BCU (NORTH)", "North CID"]
    )  # as the tree reads: the force, then each BCU with its teams
    every = page.get_by_role("table", name="Accounts")
    expect(every.get_by_role("row", name="lead.north")).to_contain_text("North BCU (NORTH)")

    page.get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("730001")
    page.get_by_label("Unit the laptop records for").select_option("NORTH-CID")
    page.get_by_role("button", name="Issue a code").click()
    expect(page.get_by_role("heading", name="Code for Ola Nowak (730001)")).to_be_visible()

    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("730001")
    record.get_by_label("Reason").fill("long-term absence")
    record.get_by_role("button", name="Record the exemption").click()
    row = page.get_by_role("table", name="Exemptions that hold in your units, newest first").get_by_role(
        "row", name="Ola Nowak"
    )
    expect(row.get_by_role("cell").nth(3)).to_have_text("North CID")


def test_an_exemption_s_entries_name_the_programme_and_keep_its_id_to_search_by(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """The entries for an exemption recorded and withdrawn read "for Upstander", not "for upstander", the id
    following in a tag as a session's and a laptop's do; an entry recorded before reads as it was recorded."""
    _named_force(hq)
    recorded_before = "710002 exempt for signa: long-term sick leave"  # as entries were worded until now
    audit_trail.record(hq.engine, "lead.north", "exemption", recorded_before)

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("710003")
    record.get_by_label("Programme").select_option(label="Upstander")
    record.get_by_label("Reason").fill("on secondment")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Nguyễn Thị Lan (710003) exempt")
    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    holds.get_by_role("link", name="Withdraw Nguyễn Thị Lan's exemption from Upstander").click()
    page.get_by_label("Why it is withdrawn").fill("recorded for the wrong person")
    page.get_by_role("button", name="Withdraw the exemption").click()
    expect(page.get_by_role("status")).to_have_text("Withdrawn: Nguyễn Thị Lan (710003) is counted again for Upstander")

    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    expect(trail.get_by_role("row").filter(has_text="on secondment")).to_contain_text(
        "710003 exempt for Upstander [programme upstander]: on secondment"
    )
    expect(trail.get_by_role("row").filter(has_text="exemption withdrawn")).to_contain_text(
        "710003 for Upstander [programme upstander]: recorded for the wrong person"
    )
    expect(trail.get_by_role("row").filter(has_text=recorded_before)).to_have_count(1)  # the trail is evidence

    page.get_by_label("Search").fill("[programme upstander]")  # the id is kept, for the auditor to search by
    page.get_by_role("button", name="Search").click()
    expect(trail.get_by_role("row").filter(has_text="710003")).to_have_count(2)


def test_taking_someone_off_sessions_and_booking_them_again_name_each_session_and_link_to_it(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """The entries listed the sessions by bare ids, for the auditor to look each one up: each is now named by
    plan, day and unit, its id in a tag that links to its page; an entry recorded before reads as recorded."""
    _named_force(hq)
    day = ahead(30)
    planned = hq_planning.plan_session(
        hq.engine, hq.blobs, plan_id="signa-core", starts_at=datetime.fromisoformat(f"{day}T09:30+00:00"),
        venue="Room 2, Northgate", unit="NORTH", trainers=["710001"], expected=["710002"],
    )  # fmt: skip
    uuid = planned.session.uuid
    recorded_before = f"710003 for signa: {uuid}"  # as entries were worded until now
    audit_trail.record(hq.engine, "lead.north", "taken off sessions", recorded_before)

    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("710002")
    record.get_by_label("Programme").select_option("signa")
    record.get_by_label("Reason").fill("recorded for the wrong person")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("status")).to_contain_text("Taken off Signa")
    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    holds.get_by_role("link", name="Withdraw Rhys ap Gwilym's exemption from Signa").click()
    page.get_by_label("Why it is withdrawn").fill("recorded for the wrong person")
    page.get_by_role("button", name="Withdraw the exemption").click()
    page.get_by_role("form", name="Book them again").get_by_role("button", name="Book them on it again").click()
    expect(page.get_by_role("status")).to_contain_text("Booked again: Rhys ap Gwilym (710002)")

    page.context.clear_cookies()
    sign_in(page, hq, "hq.admin")  # the auditor
    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    named = f"{SIGNA}, {short_date(day)}, North BCU [session {uuid}]"
    taken = trail.get_by_role("row").filter(has_text="taken off sessions").filter(has_text="710002")
    expect(taken).to_contain_text(f"710002 for Signa [programme signa]: {named}")
    again = trail.get_by_role("row").filter(has_text="booked again")
    expect(again).to_contain_text(f"710002 for Signa [programme signa]: {named}")
    before = trail.get_by_role("row").filter(has_text=recorded_before)
    expect(before).to_have_count(1)  # as it was recorded: the trail is evidence
    expect(before.get_by_role("link")).to_have_count(0)
    taken.get_by_role("link", name=f"[session {uuid}]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SIGNA)
