"""The console's Records page in a real browser against a real HQ: an administrator of the whole of HQ downloads
every registration, the compliance summary and the follow-up due list (the files the command line writes, read
back), and removes the records of someone who left long ago after seeing what would go, never more than was
shown; each is in the audit trail. Leads and viewers never reach it."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy import select, update

from tests.dates import short_date
from tests.hq.console_kit import FORCE, admin, said_at, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import retention, schema
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import utc_now
from trainer_desk.paths import bundled

# What these check is what the page offers and the files it hands out: the functions behind them are the
# command line's, whose tests run on each database.
pytestmark = pytest.mark.any_database


def downloaded(page: Page, control: Locator) -> list[list[str]]:
    """Click `control` (a link or a form's button) and read the CSV file it downloads."""
    with page.expect_download() as download:
        control.click()
    return written(Path(download.value.path()))


def written(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def test_an_administrator_downloads_the_registrations_the_summary_and_the_follow_up_due_list(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    seven_months_ago = {**session("NORTH"), "starts_at": (utc_now() - timedelta(days=210)).isoformat()}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(
            item("session", seven_months_ago), item("attendance", attendance(seven_months_ago, "710003"))
        )
        == [("created", "")] * 2
    )
    with hq.engine.begin() as conn:
        conn.execute(
            update(schema.roster)
            .where(schema.roster.c.staff_number == "710003")
            .values(email="n.lan@example.police.uk")
        )
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Records").click()
    expect(page.get_by_role("heading", name="HQ's records")).to_be_visible()

    registrations = downloaded(page, page.get_by_role("link", name="Every registration (CSV)"))
    assert hq_main([*admin(hq), "export-registrations", "-o", str(tmp_path / "registrations.csv")]) == 0
    assert registrations == written(tmp_path / "registrations.csv")  # the command line's columns and rows
    assert registrations[0][:3] == ["Registration id", "Session id", "Programme"]
    assert sorted(r[6] for r in registrations[1:]) == ["710001", "710003", "720001"]

    summary = downloaded(page, page.get_by_role("link", name="Compliance summary (CSV)"))
    assert hq_main([*admin(hq), "compliance-summary", "-o", str(tmp_path / "summary.csv")]) == 0
    assert summary == written(tmp_path / "summary.csv")
    assert summary[0] == ["Unit", "Unit code", "Programme", "Completed", "Must complete it", "Part of"]
    north = next(r for r in summary if r[1] == "NORTH" and r[2] == "Signa")
    assert north[0] not in ("", "NORTH") and north[3:] == ["2", "3", ""]  # named; 2 of NORTH's 3; no tree above
    # No sergeant or inspector on this roster: that programme's row is no unit's, and says so.
    assert ["All units", "", "Managing an Inclusive Workplace", "0", "0", ""] in summary

    address = page.get_by_label("HQ's public address, which each personal link starts with")
    expect(address).to_have_value(hq.url)  # where the browser reached HQ, until changed
    address.fill("http://training.example.police.uk")
    due_list = page.get_by_role("button", name="Download the follow-up due list (CSV)")
    due_list.click()
    said_at(address, re.compile("need HQ's public https:// address"))  # said there, the address still as typed
    expect(address).to_have_value("http://training.example.police.uk")
    address.fill(hq.url)
    due = downloaded(page, due_list)
    assert due[0][:3] == ["staff_number", "name", "email"]
    assert [(r[0], r[2]) for r in due[1:]] == [("710003", "n.lan@example.police.uk")]
    assert due[1][-1].startswith(hq.url + "/feedback/follow-up/")

    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    expect(
        trail.get_by_role("row").filter(has_text="hq.admin").filter(has_text="every registration: 3")
    ).to_be_visible()
    expect(trail.get_by_role("row").filter(has_text="hq.admin").filter(has_text="compliance summary:")).to_be_visible()
    expect(trail).to_contain_text("follow-up due list: 1, with their email addresses")


def test_an_administrator_sees_what_retention_would_remove_then_removes_only_that(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Rhys left seven years ago, Nguyễn today. A register naming Rhys arrives after the administrator looked:
    the removal is refused, and the page says what would go now; removed from there, Rhys's records go and
    Nguyễn's stay."""
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    first, later = session("NORTH"), session("NORTH")
    assert laptop.push(item("session", first), item("attendance", attendance(first, "710002"))) == [("created", "")] * 2
    hq_roster.import_roster(hq.engine, [p for p in FORCE if p.staff_number not in ("710002", "710003")])
    today = utc_now().date()
    with hq.engine.begin() as conn:
        conn.execute(
            update(schema.roster)
            .where(schema.roster.c.staff_number == "710002")
            .values(left_at=(today - timedelta(days=7 * 366)).isoformat())
        )
    cutoff_day = today - timedelta(days=round(6 * 365.25))
    cutoff = short_date(cutoff_day)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Records").click()
    years = page.get_by_label("Years to keep someone's records after they leave")
    expect(years).to_have_value("6")
    page.goto(hq.url + "/console/records/retention?years=0")  # a bookmarked or edited address: said at the years
    said_at(years, retention.YEARS_PROBLEM)
    expect(years).to_have_value("0")
    years.fill("6")
    page.get_by_role("button", name="Show what would go").click()
    shown = page.get_by_role("region", name="What would go")
    expect(shown).to_contain_text(f"Would remove 1 person who left before {cutoff}, with 1 registration and 0 ")

    assert laptop.push(item("session", later), item("attendance", attendance(later, "710002"))) == [("created", "")] * 2
    page.get_by_role("button", name="Remove these records").click()
    expect(page.get_by_role("alert")).to_contain_text("Nothing was removed: HQ's records changed after you looked")
    expect(shown).to_contain_text(f"1 person who left before {cutoff}, with 2 registrations")
    with hq.engine.connect() as conn:
        on_roster = set(conn.execute(select(schema.roster.c.staff_number)).scalars())
    assert "710002" in on_roster  # nothing went

    page.get_by_role("button", name="Remove these records").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Removed 1 person who left before {cutoff}, with 2 registrations"
    )
    with hq.engine.connect() as conn:
        on_roster = set(conn.execute(select(schema.roster.c.staff_number)).scalars())
        registered = set(
            conn.execute(select(schema.records.c.payload).where(schema.records.c.entity == "attendance")).scalars()
        )
    assert "710002" not in on_roster and "710003" in on_roster  # the recent leaver is kept
    assert not any('"710002"' in payload for payload in registered)
    assert any('"710001"' in payload for payload in registered)  # everyone else's registers stay

    page.get_by_role("link", name="Audit trail").click()
    page.get_by_label("Search").fill("records removed")
    page.get_by_role("button", name="Search").click()
    removal = page.get_by_role("table").get_by_role("row").filter(has_text="records removed")
    expect(removal).to_have_count(1)
    expect(removal).to_contain_text("hq.admin")
    expect(removal).to_contain_text(f"1 person who left before {cutoff_day.isoformat()}")  # as the command line


def test_leads_and_viewers_never_reach_records(browser: Browser, hq: Hq, force: dict[str, str]) -> None:
    for username in ("lead.north", "hq.viewer"):
        context = browser.new_context()
        page = context.new_page()
        try:
            sign_in(page, hq, username)
            expect(page.get_by_role("navigation", name="Console")).to_be_visible()
            expect(page.get_by_role("link", name="Records")).to_have_count(0)
            page.goto(hq.url + "/console/records")
            expect(page.get_by_role("heading", name="Not for your role")).to_be_visible()
            for address in ("/console/records/registrations.csv", "/console/records/compliance-summary.csv",
                            "/console/records/retention?years=1"):  # fmt: skip
                assert page.request.get(hq.url + address).status == 403, (username, address)
            form = {"years": "1", "cutoff": "2099-01-01"}
            assert page.request.post(hq.url + "/console/records/retention", form=form).status == 403
            due = page.request.post(hq.url + "/console/records/follow-up-due.csv", form={"link_base": hq.url})
            assert due.status == 403
        finally:
            context.close()
    with hq.engine.connect() as conn:
        done = set(conn.execute(select(schema.hq_audit.c.action).where(schema.hq_audit.c.actor != "trainer-desk-hq")))
    assert {action for (action,) in done} == {"signed in"}  # nothing downloaded, nothing removed
