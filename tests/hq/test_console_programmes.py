"""Who must complete what, from the console: a programme's audience and due date changed and published as a
new content version that laptops read as they read any programmes.toml; exemptions recorded with a reason, in
the recorder's units only, and counted apart in HQ's compliance report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.hq.console_kit import said_at, sign_in, signed_in_http
from tests.hq_server import Hq
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import published
from trainer_desk.paths import bundled


def record_exemption(page: Page, number: str, reason: str, kind: str = "exempt") -> None:
    """Fill in and send the Exemptions page's form for Upstander, as a lead does."""
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill(number)
    record.get_by_label("Programme").select_option(label="Upstander")
    record.get_by_label(kind, exact=True).check()
    record.get_by_label("Reason").fill(reason)
    record.get_by_role("button", name="Record the exemption").click()


def test_an_administrator_narrows_a_programme_and_moves_its_due_date(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Programmes").click()
    change = page.get_by_role("form", name="Change Signa")
    change.get_by_label("special").uncheck()
    change.get_by_label("staff").uncheck()
    change.get_by_label("Due by (blank: no due date)").fill("2027-06-30")
    change.get_by_role("button", name="Preview the change to Signa").click()
    page.get_by_label("These dates are our force's own").check()  # the bundled rules are the demonstration's
    page.get_by_role("button", name="Publish the change to Signa").click()
    expect(page.get_by_role("status")).to_have_text("Published as content version 2")
    expect(page.get_by_role("table", name="Programmes as published").get_by_role("row", name="Signa")).to_contain_text(
        "For officer; due by 30 Jun 2027"
    )
    newest = published.current(hq.engine)
    assert newest is not None and newest.version == 2
    laid_out = tmp_path / "as-a-laptop-has-it"
    published.lay_out(newest.files, hq.blobs, laid_out)
    rule = read_rules(laid_out / "programmes.toml")["signa"]  # as a laptop reads it after its next sync
    assert rule.roles == {"officer"} and rule.due == date(2027, 6, 30) and rule.refresh_months == 36
    assert read_rules(laid_out / "programmes.toml")["upstander"].roles == {"officer", "staff", "special"}

    page.get_by_role("link", name="Dashboard").click()
    expect(page.locator("#trend-summary")).to_contain_text("1 of 3")  # only the three officers must: one has


def test_exemptions_are_recorded_with_a_reason_for_ones_own_units_and_excused_in_the_report(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("720002")  # in EAST: not the lead's to excuse
    record.get_by_label("Reason").fill("long-term absence")
    record.get_by_role("button", name="Record the exemption").click()
    refused = "No one with staff number 720002 is on the roster in your units."
    expect(page.get_by_role("alert")).to_have_text(refused)
    # Said at the number, which keeps what was typed and has the cursor; the reason typed is kept too.
    expect(record.get_by_label("Staff number")).to_have_value("720002")
    expect(record.get_by_label("Staff number")).to_have_accessible_description(refused)
    expect(record.get_by_label("Staff number")).to_be_focused()
    expect(record.get_by_label("Reason")).to_have_value("long-term absence")

    record.get_by_label("Staff number").fill("710003")
    record.get_by_label("Reason").fill(" ")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("alert")).to_contain_text("Give the reason")
    expect(record.get_by_label("Reason")).to_be_focused()  # read out with it, and the keyboard starts there
    expect(record.get_by_label("Reason")).to_have_attribute("aria-invalid", "true")

    record.get_by_label("Staff number").fill("710003")
    record.get_by_label("completed another way").check()
    record.get_by_label("Reason").fill("one to one with the wellbeing lead")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Nguyễn Thị Lan (710003) completed ")
    row = page.get_by_role("table", name="Exemptions that hold in your units, newest first").get_by_role(
        "row", name="Nguyễn"
    )
    expect(row).to_contain_text("one to one with the wellbeing lead")

    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Period from").fill("2026-01-01")
    with page.expect_download() as report:
        page.get_by_role("button", name="Download").click()
    pdf = tmp_path / "report.pdf"
    report.value.save_as(pdf)
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "completed another way" in text and "Thị Lan" in text


def test_an_exemption_recorded_by_mistake_is_withdrawn_and_the_person_is_chased_again(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """A lead exempted the wrong person: withdrawing it asks why, puts them back on the chase list, keeps the
    exemption in the history and the withdrawal in the audit trail."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710003", "on secondment")
    expect(page.get_by_role("status")).to_contain_text("Recorded: Nguyễn Thị Lan (710003) exempt from Upstander")
    page.goto(hq.url + "/console/units/NORTH?programme=upstander")
    expect(page.get_by_role("table", name="Outstanding in NORTH")).not_to_contain_text("Nguyễn")

    page.get_by_role("link", name="Exemptions").click()
    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    holds.get_by_role("link", name="Withdraw Nguyễn Thị Lan's exemption from Upstander").click()
    expect(page.get_by_role("heading", name="Withdraw an exemption")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("on secondment")
    withdraw = page.get_by_role("form", name="Withdraw the exemption")
    withdraw.get_by_label("Why it is withdrawn").fill("  ")
    withdraw.get_by_role("button", name="Withdraw the exemption").click()
    said_at(
        withdraw.get_by_label("Why it is withdrawn"), "Give the reason for withdrawing it: it goes in the audit trail."
    )
    withdraw.get_by_label("Why it is withdrawn").fill("recorded for the wrong person")
    withdraw.get_by_role("button", name="Withdraw the exemption").click()

    expect(page.get_by_role("status")).to_have_text("Withdrawn: Nguyễn Thị Lan (710003) is counted again for Upstander")
    expect(holds).to_contain_text("No exemptions.")
    history = page.get_by_role("table", name=re.compile("^Every exemption recorded in your units"))
    expect(history.get_by_role("row", name="Nguyễn")).to_have_count(2)
    expect(history.get_by_role("row", name="Nguyễn").nth(0)).to_contain_text("recorded for the wrong person")
    expect(history.get_by_role("row", name="Nguyễn").nth(1)).to_contain_text("on secondment")
    expect(history.get_by_role("row", name="Nguyễn").nth(1)).to_contain_text("withdrawn")
    page.goto(hq.url + "/console/units/NORTH?programme=upstander")
    expect(page.get_by_role("table", name="Outstanding in NORTH")).to_contain_text("Nguyễn Thị Lan")

    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert (
        "exemption withdrawn" in audit
        and "710003 for Upstander [programme upstander]: recorded for the wrong person" in audit
    )


def test_an_exemption_replaced_while_the_withdraw_page_is_open_is_not_withdrawn(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """A second lead (or a laptop) records a newer exemption for the person while the first has the Withdraw page
    open: confirming says the one shown no longer holds, and the newer one stays, unseen by the first lead."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710003", "on secondment")
    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    holds.get_by_role("link", name="Withdraw Nguyễn Thị Lan's exemption from Upstander").click()

    other = page.context.new_page()
    other.goto(hq.url + "/console/exemptions")
    record_exemption(other, "710003", "completed it at her last force", kind="completed another way")
    expect(other.get_by_role("status")).to_contain_text("Recorded: Nguyễn Thị Lan (710003)")

    withdraw = page.get_by_role("form", name="Withdraw the exemption")
    withdraw.get_by_label("Why it is withdrawn").fill("recorded for the wrong person")
    withdraw.get_by_role("button", name="Withdraw the exemption").click()
    expect(page.get_by_role("main")).to_contain_text("That exemption no longer holds: it was replaced or withdrawn.")
    page.goto(hq.url + "/console/exemptions")
    expect(holds.get_by_role("row", name="Nguyễn")).to_contain_text("completed it at her last force")


def test_exempting_someone_who_has_completed_says_they_no_longer_count_as_completed(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """An exemption takes a person out of the completed as well as the chased: the lead who records it for
    someone with a completion is told, with the day, and how to undo it."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    record_exemption(page, "710003", "on secondment")  # no completion: nothing more is said
    expect(page.get_by_role("status")).to_have_text("Recorded: Nguyễn Thị Lan (710003) exempt from Upstander")
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("710001")  # present at the NORTH session of Signa
    record.get_by_label("Programme").select_option(label="Signa")
    record.get_by_label("exempt", exact=True).check()
    record.get_by_label("Reason").fill("long-term sick leave")
    record.get_by_role("button", name="Record the exemption").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text(
        "Recorded: Aleksandra Wiśniewska (710001) exempt from Signa. They completed it at a session on "
    )
    expect(status).to_contain_text("they now count as exempt, not as completed (withdraw the exemption")
