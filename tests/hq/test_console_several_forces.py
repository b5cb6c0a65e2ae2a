"""One HQ serving three forces, as a national review ran it: every paper HQ prints names the force it is about
from the unit tree, never the force whose force.toml was published; a report on every force says so; files and
pages spanning forces say whose each unit is; and the dashboard sets the forces side by side."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

from tests.hq.console_kit import PASSWORD, admin, said_at, sign_in, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from tests.three_forces import PEOPLE, THREE_FORCES, content_naming_northshire
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units

pytestmark = pytest.mark.any_database  # what the person reads on paper: the same on either database


@pytest.fixture
def national(hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Three forces, content that names Northshire, a held Upstander session in each of the two teams called
    "North Response Team 1", and an administrator granted on all of HQ; returns the sessions' ids."""
    import_units(hq.engine, THREE_FORCES)
    hq_roster.import_roster(hq.engine, PEOPLE)
    hq_content.publish_content(hq.engine, content_naming_northshire(tmp_path), hq.blobs, allow_sample_media=True)
    held = {}
    for unit, trainer, attendee in (("NSP-RT1", "810001", "810002"), ("WSP-RT1", "820001", "820002")):
        delivered = {**session(unit, (trainer,), "closed"), "programme_id": "upstander", "plan_id": "upstander"}
        laptop = RawLaptop.enrolled(hq, trainer, unit)
        pushed = laptop.push(item("session", delivered), item("attendance", attendance(delivered, attendee, unit)))
        assert pushed == [("created", "")] * 2
        held[unit] = delivered["uuid"]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "national.admin", "--role", "admin"]) == 0
    return held


def _downloaded(page: Page, tmp_path: Path, name: str, click: object) -> list[str]:
    with page.expect_download() as download:
        click()  # type: ignore[operator]
    saved = tmp_path / name
    download.value.save_as(saved)
    return [line.strip() for p in PdfReader(saved).pages for line in p.extract_text().splitlines()]


def test_westshire_papers_from_hq_carry_westshire_name(
    page: Page, hq: Hq, national: dict[str, str], tmp_path: Path
) -> None:
    """Westshire's attendance sheet read "Northshire Police: attendance sheet", and its compliance report
    "Northshire Police · …" at the foot of each page, because Northshire's force.toml was the one published."""
    sign_in(page, hq, "national.admin")
    page.goto(f"{hq.url}/console/sessions/{national['WSP-RT1']}")
    sheet = _downloaded(
        page, tmp_path, "sheet.pdf", lambda: page.get_by_role("link", name="Attendance sheet (PDF)").click()
    )
    assert "Westshire Police: attendance sheet" in sheet
    assert any(line.startswith("Westshire Police · ") for line in sheet)
    assert not any("Northshire" in line for line in sheet)

    page.goto(hq.url + "/console/reports")
    page.get_by_label("Programme", exact=True).select_option(label="Upstander")
    page.get_by_label("Unit", exact=True).select_option(value="WSP")
    page.get_by_label("PDF report").check()
    report = _downloaded(page, tmp_path, "report.pdf", lambda: page.get_by_role("button", name="Download").click())
    text = " ".join(report)
    assert "Upstander: compliance for Westshire Police" in text
    assert any(line.startswith("Westshire Police · ") for line in report)
    assert "Northshire" not in text

    page.goto(f"{hq.url}/console/sessions/{national['NSP-RT1']}")
    sheet = _downloaded(
        page, tmp_path, "north.pdf", lambda: page.get_by_role("link", name="Attendance sheet (PDF)").click()
    )
    assert "Northshire Police: attendance sheet" in sheet and "Westshire" not in " ".join(sheet)


def test_a_report_on_every_force_names_the_forces_not_the_whole_force(
    page: Page, hq: Hq, national: dict[str, str], tmp_path: Path
) -> None:
    """Asked for "All units you can see" on an HQ of three forces, the report said "compliance for the whole
    force" under "Trainer Desk HQ", and the audit trail logged "the whole force", as if there were one."""
    sign_in(page, hq, "national.admin")
    page.goto(hq.url + "/console/reports")
    page.get_by_label("Programme", exact=True).select_option(label="Upstander")
    page.get_by_label("Unit", exact=True).select_option(label="All units you can see")
    page.get_by_label("PDF report").check()
    report = _downloaded(page, tmp_path, "all.pdf", lambda: page.get_by_role("button", name="Download").click())
    forces = "Eastshire Police, Northshire Police and Westshire Police"
    assert f"Upstander: compliance for {forces}" in " ".join(report)
    assert any(line.startswith(f"{forces} · ") for line in report)
    assert not any("whole force" in line or "Trainer Desk HQ" in line for line in report)

    page.goto(hq.url + "/console/audit")
    expect(page.get_by_role("main")).to_contain_text(f"compliance pdf for upstander, {forces}")
    expect(page.get_by_role("main")).not_to_contain_text("the whole force")


def _csv(http: requests.Session, url: str) -> list[dict[str, str]]:
    answer = http.get(url, timeout=30)
    assert answer.status_code == 200, answer.text
    return list(csv.DictReader(io.StringIO(answer.content.decode("utf-8-sig"))))


def test_national_files_and_pages_say_which_force_each_unit_is(page: Page, hq: Hq, national: dict[str, str]) -> None:
    """Both Northshire and Westshire have a "North Response Team 1": the national chase list, the Records
    registrations and the Sessions list named the team alone, so no one could tell whose a row was."""
    http = signed_in_http(hq, "national.admin")
    chase = _csv(http, hq.url + "/console/reports/compliance?programme=upstander&format=csv")
    assert {r["staff_number"]: (r["force"], r["unit"], r["unit_code"]) for r in chase} == {
        "810001": ("Northshire Police", "North Response Team 1", "NSP-RT1"),
        "820001": ("Westshire Police", "North Response Team 1", "WSP-RT1"),
        "830001": ("Eastshire Police", "Eastshire Central BCU", "ESP-C"),
    }
    registrations = _csv(http, hq.url + "/console/records/registrations.csv")
    assert {r["Staff number"]: (r["Force"], r["Unit"]) for r in registrations} == {
        "810002": ("Northshire Police", "North Response Team 1"),
        "820002": ("Westshire Police", "North Response Team 1"),
    }

    sign_in(page, hq, "national.admin")
    page.get_by_role("link", name="Sessions", exact=True).first.click()
    listed = page.get_by_role("table", name=re.compile("session", re.IGNORECASE))
    expect(listed).to_contain_text("North Response Team 1 (Westshire Police)")
    expect(listed).to_contain_text("North Response Team 1 (Northshire Police)")


def test_the_national_dashboard_compares_the_forces_and_leads_to_each_forces_units(
    page: Page, hq: Hq, national: dict[str, str]
) -> None:
    """The national dashboard added every force into one headline and listed every team of every force under
    "By unit": with 43 forces, unusable. It now sets the forces side by side, each leading to its own figures."""
    sign_in(page, hq, "national.admin")
    page.get_by_label("Programme", exact=True).select_option(label="Upstander")
    page.get_by_role("button", name="Show").click()
    forces = page.get_by_role("table", name="Upstander: completion per force")
    rows = forces.get_by_role("row")
    expect(rows).to_have_count(4)  # the header, then one row per force
    expect(rows.nth(1)).to_contain_text("Eastshire Police")
    expect(rows.nth(2)).to_contain_text("Northshire Police")
    expect(rows.nth(3)).to_contain_text("Westshire Police")
    expect(rows.nth(3).get_by_role("cell")).to_have_text(["1", "2", re.compile("50%")])
    expect(page.get_by_role("heading", name="By unit")).to_have_count(0)

    forces.get_by_role("link", name="Westshire Police").click()
    expect(page.get_by_role("heading", name="Upstander in Westshire Police")).to_be_visible()
    expect(page.locator("#trend-summary")).to_contain_text("1 of 2")
    by_unit = page.get_by_role("table", name=re.compile("completion per unit"))
    expect(by_unit).to_contain_text("North Response Team 1")
    expect(by_unit).not_to_contain_text("Northshire")
    expect(page.get_by_role("heading", name="By force")).to_have_count(0)


def test_a_password_made_of_a_forces_name_is_refused_beside_the_field(
    page: Page, hq: Hq, national: dict[str, str]
) -> None:
    """Westshire's administrator chose `westshire2024`, which the common-password check let through: the
    forces' and units' own names, with digits or symbols added, are the first a guesser of this HQ tries."""
    sign_in(page, hq, "national.admin")
    page.get_by_role("link", name="Password").click()
    change = page.get_by_role("form", name="Change your password")
    for new in ("westshire2024", "Northshire Police 1!", "TrainerDesk2024", "2024-North Response Team 1"):
        change.get_by_label("Current password").fill(PASSWORD)
        change.get_by_label("New password", exact=True).fill(new)
        change.get_by_label("New password again").fill(new)
        change.get_by_role("button", name="Change the password").click()
        said_at(
            change.get_by_label("New password", exact=True),
            "A password made from the name of a force, a unit, the police or Trainer Desk (with digits or symbols "
            "added) is among the first tried here: choose another.",
        )
    change.get_by_label("Current password").fill(PASSWORD)
    change.get_by_label("New password", exact=True).fill("heather on the westshire fells")  # a name among others
    change.get_by_label("New password again").fill("heather on the westshire fells")
    change.get_by_role("button", name="Change the password").click()
    expect(page.get_by_role("status")).to_contain_text("Your password is changed.")


def test_a_subject_access_file_names_the_force_of_each_unit_and_the_consoles_status_words(
    page: Page, hq: Hq, national: dict[str, str], tmp_path: Path
) -> None:
    """A Westshire officer's file read `"unit": "North Response Team 1"`, a name Northshire has too, and its
    session's status "Closed" where the console says "closed"."""
    sign_in(page, hq, "national.admin")
    page.goto(f"{hq.url}/console/sessions/{national['WSP-RT1']}")
    expect(page.get_by_role("main")).to_contain_text(" · closed · ")
    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Staff number").fill("820002")
    with page.expect_download() as download:
        page.get_by_role("button", name="Export").click()
    found = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    [registration] = found["registrations"]
    assert registration["unit when recorded"] == "North Response Team 1 (Westshire Police)"
    assert registration["session"]["unit"] == "North Response Team 1 (Westshire Police)"
    assert registration["session"]["session status"] == "closed"
    assert found["roster entry"]["unit"] == "North Response Team 1 (Westshire Police)"


def _added(page: Page, username: str, role: str, unit: str) -> str:
    """Adds an account through the Accounts page's form, as its administrator does; returns the password shown."""
    add = page.get_by_role("form", name="Add an account")
    add.get_by_label("Username (lowercase letters, digits, '.', '_' or '-')").fill(username)
    add.get_by_label("Role").select_option(role)
    add.get_by_label("Granted on").select_option(unit)
    add.get_by_role("button", name="Add the account").click()
    expect(page.get_by_role("status")).to_contain_text(f"Added {username}: ")
    return page.get_by_role("region", name=f"Password for {username}").locator(".code").inner_text().strip()


def _forged(page: Page, hq: Hq, path: str, **form: str) -> tuple[int, str]:
    """A form the page does not offer, sent with this session's cookie and token, as a crafted request would be."""
    token = page.locator("input[name=csrf]").first.input_value()
    answer = page.request.post(hq.url + path, form={**form, "csrf": token}, max_redirects=0)
    return answer.status, answer.text()


@pytest.fixture
def force_accounts(hq: Hq, national: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    """Westshire's administrator, and a Northshire lead who has signed in (an entry of Northshire's)."""
    for username, role, unit in (("wsp.admin", "admin", "WSP"), ("nsp.lead", "lead", "NSP-N")):
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert hq_main([*admin(hq), "users", "add", username, "--role", role, "--unit", unit]) == 0
    signed_in_http(hq, "nsp.lead")


def test_a_forces_administrator_adds_their_own_forces_lead_and_no_other_forces(
    page: Page, browser: Browser, hq: Hq, force_accounts: None
) -> None:
    """On a national HQ only the national team could open Accounts, so every force's new BCU lead, forgotten
    password and leaver waited on them. Westshire's administrator now runs Westshire's accounts, and only those:
    no Northshire unit is offered or taken, no grant on the whole of HQ, and a Northshire account is not found."""
    sign_in(page, hq, "wsp.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Accounts").click()
    expect(page.get_by_role("heading", name="Every account of Westshire Police")).to_be_visible()
    listed = page.get_by_role("table", name="Accounts")
    expect(listed).to_contain_text("wsp.admin")
    expect(listed).not_to_contain_text("nsp.lead")
    expect(listed).not_to_contain_text("national.admin")
    offered = page.get_by_role("form", name="Add an account").get_by_label("Granted on").locator("option")
    expect(offered).to_have_text(
        ["Westshire Police (WSP)", re.compile("Westshire North BCU"), re.compile(r"North Response Team 1 \(WSP-RT1\)")]
    )

    given = _added(page, "wsp.lead", "lead", "WSP-N")
    expect(page.get_by_role("status")).to_contain_text(
        "BCU training lead: their unit only, everywhere, on Westshire North BCU (WSP-N)"
    )
    expect(listed.get_by_role("row", name="wsp.lead")).to_contain_text("Westshire North BCU")

    status, said = _forged(page, hq, "/console/accounts", username="wsp.spy", role="lead", unit="NSP-N")
    assert status == 400 and "You can grant roles only on Westshire Police and the units under it" in said
    status, said = _forged(page, hq, "/console/accounts", username="wsp.boss", role="admin", unit="")
    assert status == 400 and "A grant on the whole of HQ needs an administrator of the whole of HQ" in said
    status, said = _forged(page, hq, "/console/accounts/grant", username="wsp.lead", role="admin", unit="")
    assert status == 400 and "A grant on the whole of HQ needs" in said
    for change in ("reset", "disable"):
        status, said = _forged(page, hq, f"/console/accounts/nsp.lead/{change}")
        assert status == 404 and "Not found among the units you can see." in said, change
    status, said = _forged(page, hq, "/console/accounts/grant", username="nsp.lead", role="lead", unit="WSP-N")
    assert status == 404
    page.reload()
    expect(listed).not_to_contain_text("wsp.spy")
    expect(listed).not_to_contain_text("wsp.boss")
    expect(listed.get_by_role("row", name="wsp.lead")).to_contain_text("BCU training lead")
    signed_in_http(hq, "nsp.lead")  # neither reset nor disabled

    lead = browser.new_context().new_page()
    try:
        sign_in(lead, hq, "wsp.lead", given)
        expect(lead.get_by_role("heading", name="Your password")).to_be_visible()
        expect(lead.get_by_role("banner")).to_contain_text("wsp.lead · BCU training lead · Westshire North BCU")
    finally:
        lead.context.close()


def test_a_forces_auditor_reads_their_forces_audit_trail_and_none_of_another_forces(
    page: Page, browser: Browser, hq: Hq, force_accounts: None
) -> None:
    """The audit trail was for readers of the whole of HQ alone. Westshire's administrator, and an auditor they
    grant on Westshire, now read what Westshire's accounts did, and nothing a Northshire account or the national
    team did."""
    signed_in_http(hq, "national.admin")
    sign_in(page, hq, "wsp.admin")
    nav = page.get_by_role("navigation", name="Console")
    nav.get_by_role("link", name="Accounts").click()
    given = _added(page, "wsp.audit", "auditor", "WSP")
    expect(page.get_by_role("status")).to_contain_text("auditor: the audit trail only, on Westshire Police (WSP)")
    nav.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("main")
    expect(trail).to_contain_text("What the accounts of Westshire Police did.")
    expect(trail).to_contain_text("wsp.audit as auditor WSP")
    expect(trail).not_to_contain_text("nsp.lead")
    expect(trail).not_to_contain_text("national.admin")

    auditor = browser.new_context().new_page()
    try:
        sign_in(auditor, hq, "wsp.audit", given)
        change = auditor.get_by_role("form", name="Change your password")
        change.get_by_label("Current password").fill(given)
        change.get_by_label("New password", exact=True).fill("heather on the fells")
        change.get_by_label("New password again").fill("heather on the fells")
        change.get_by_role("button", name="Change the password").click()
        auditor.get_by_role("link", name="Go on to the console").click()
        expect(auditor.get_by_role("heading", name="Audit trail")).to_be_visible()
        entries = auditor.get_by_role("main")
        expect(entries).to_contain_text("wsp.admin")  # signing in, adding this account
        expect(entries).to_contain_text("password changed")
        expect(entries).not_to_contain_text("nsp.lead")
        expect(entries).not_to_contain_text("national.admin")
        auditor.get_by_label("Search", exact=True).fill("signed in")
        auditor.get_by_role("button", name="Search").click()
        expect(entries).to_contain_text("wsp.admin")
        expect(entries).not_to_contain_text("nsp.lead")
    finally:
        auditor.context.close()
