"""The console's downloads in a real browser against a real HQ: a session's attendance and sign-in sheets and
the compliance report, as the PDFs and CSV the laptop prints, read back; a lead gets only their unit's; every
download is in the audit trail."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.dates import ahead, short_date
from tests.hq.console_kit import plan_a_session, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database


def pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def feedback(session_uuid: str, recommend: bool, reason: str = "") -> dict[str, object]:
    return {
        "uuid": new_uuid(),
        "session_uuid": session_uuid,
        "would_recommend": recommend,
        "reason_not": reason,
        "ratings": [{"objective_id": "spot", "before": 2, "after": 4}],
    }


def test_an_administrator_follows_a_session_to_its_sheets_and_downloads_the_force_report(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    north = force["NORTH"]
    forms = [feedback(north, True) for _ in range(5)] + [feedback(north, False, "Too long for a night shift")]
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(*(item("feedback", f) for f in forms)) == [("created", "")] * 6
    )
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="NORTH").first.click()
    page.get_by_role("table", name="Sessions").get_by_role("link").first.click()
    expect(page.get_by_role("table", name="Register: 1 person")).to_contain_text("Wiśniewska")
    said = page.get_by_role("region", name="Feedback: 6 forms")
    expect(said).to_contain_text("Would recommend it: 83%")
    expect(said).to_contain_text("Too long for a night shift")  # six forms: the learning team reads the reasons

    with page.expect_download() as attendance:
        page.get_by_role("link", name="Attendance sheet (PDF)").click()
    sheet = tmp_path / attendance.value.suggested_filename
    attendance.value.save_as(sheet)
    text = pdf_text(sheet)
    assert "Aleksandra Wiśniewska" in text and "Signa: sexism, misogyny and sexual" in text
    assert "OFFICIAL-SENSITIVE" in text and "Present" in text

    with page.expect_download() as sign_in_sheet:
        page.get_by_role("link", name="Sign-in sheet (PDF)").click()
    blank = tmp_path / "sign-in.pdf"
    sign_in_sheet.value.save_as(blank)
    assert "Aleksandra Wiśniewska" in pdf_text(blank) and "Present" not in pdf_text(blank)

    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Programme").select_option(label="Signa")
    page.get_by_label("Period from").fill("2026-01-01")
    page.get_by_label("Period to").fill("2026-12-31")
    with page.expect_download() as report:
        page.get_by_role("button", name="Download").click()
    pdf = tmp_path / "compliance.pdf"
    report.value.save_as(pdf)
    text = pdf_text(pdf)
    assert "the whole force" in text and "Signa" in text
    assert "Too long for a night shift" in text  # the learning team reads the reasons of a session of six
    assert "Yusuf Al-Masri" not in text  # he completed it in EAST: not outstanding

    page.get_by_role("link", name="Audit trail").click()
    trail = page.get_by_role("table")
    session_named = f"Signa: sexism, misogyny and sexual harassment at work, 23 Nov 2026, NORTH [session {north}]"
    expect(trail).to_contain_text(f"attendance sheet for {session_named}")
    expect(trail).to_contain_text(f"sign-in sheet for {session_named}")
    expect(trail).to_contain_text("compliance pdf for signa")


def test_a_lead_downloads_only_their_units_and_never_the_reasons(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    north = force["NORTH"]
    forms = [feedback(north, False, "The room was cold") for _ in range(5)]
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(*(item("feedback", f) for f in forms)) == [("created", "")] * 5
    )
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_label("Unit")).not_to_contain_text("EAST")
    page.get_by_role("group", name="Format").get_by_label("CSV chase list").check()
    page.get_by_label("Period from").fill("2026-01-01")
    with page.expect_download() as chase:
        page.get_by_role("button", name="Download").click()
    assert "-NORTH-" in chase.value.suggested_filename  # the lead's unit, not "all"
    rows = list(csv.reader(io.StringIO(Path(chase.value.path()).read_text(encoding="utf-8-sig"))))
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {"710002", "710003"}  # NORTH's people still to complete it; nobody from EAST

    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Period from").fill("2026-01-01")
    with page.expect_download() as report:
        page.get_by_role("button", name="Download").click()
    pdf = tmp_path / "lead.pdf"
    report.value.save_as(pdf)
    text = pdf_text(pdf)
    assert "Rhys ap Gwilym" in text and "Al-Masri" not in text and "王" not in text
    assert "The room was cold" not in text  # reasons are for HQ's roles only

    page.goto(hq.url + f"/console/sessions/{north}")
    said = page.get_by_role("region", name="Feedback: 5 forms")
    expect(said).to_contain_text("Would recommend it: 0%")
    expect(said).not_to_contain_text("The room was cold")  # a lead never reads what participants wrote

    for elsewhere in (
        f"/console/sessions/{force['EAST']}/attendance.pdf",
        f"/console/sessions/{force['EAST']}/sign-in.pdf",
        "/console/reports/compliance?programme=signa&unit=EAST",
    ):
        answer = page.request.get(hq.url + elsewhere)
        assert answer.status == 404, elsewhere


def test_the_chase_list_says_who_is_already_booked_on_a_session(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """A lead books Rhys on next month's session: the chase list still lists him (he has not done it) but says
    he is booked, and for when, so nobody chases him for nothing."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    page.get_by_label("People expected: a staff number a line, or separated by commas").fill("710002")
    plan_a_session(page, f"{ahead(30)}T09:30")
    expect(page.get_by_role("table", name="Register: 1 person")).to_contain_text("Rhys ap Gwilym")
    # A trainer's laptop plans one too, books two, then takes one off; a session planned for last week, never
    # held, books nobody.
    soon = {**session("NORTH", ("100234",), status="planned"), "plan_id": "upstander", "programme_id": "upstander",
            "starts_at": f"{ahead(20)}T09:30:00+00:00"}  # fmt: skip
    gone = {**soon, "uuid": new_uuid(), "starts_at": f"{ahead(-7)}T09:30:00+00:00"}
    booked = [
        {**attendance(s, n), "status": "absent"} for s, n in ((soon, "710001"), (soon, "710003"), (gone, "710003"))
    ]
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    assert (
        laptop.push(item("session", soon), item("session", gone), *(item("attendance", b) for b in booked))
        == [("created", "")] * 5
    )
    assert laptop.push(item("attendance", booked[1], version=2, op="delete")) == [("created", "")]
    page.get_by_role("link", name="Reports").click()
    page.get_by_label("Programme").select_option(label="Upstander")
    page.get_by_role("group", name="Format").get_by_label("CSV chase list").check()
    with page.expect_download() as chase:
        page.get_by_role("button", name="Download").click()
    reports_csv = Path(chase.value.path()).read_text(encoding="utf-8-sig")
    rows = {r["staff_number"]: r for r in csv.DictReader(io.StringIO(reports_csv))}
    booked_for = short_date(ahead(30))
    assert rows["710002"]["booked_for"] == ahead(30).isoformat()
    assert rows["710001"]["booked_for"] == ahead(20).isoformat()
    assert rows["710003"]["booked_for"] == ""  # taken off one session, and the other was never held

    page.goto(hq.url + "/console/units/NORTH?programme=upstander")  # the unit's own chase list says the same
    chase = page.get_by_role("table", name="Outstanding in NORTH")
    expect(chase.get_by_role("row", name="710002")).to_contain_text(booked_for)
    expect(chase.get_by_role("row", name="710003")).not_to_contain_text(str(ahead(20).year))
    with page.expect_download() as unit_csv:
        page.get_by_role("link", name="Download this list (CSV)").click()
    unit_text = Path(unit_csv.value.path()).read_text(encoding="utf-8-sig")
    assert unit_text.splitlines()[0] == reports_csv.splitlines()[0]  # one chase list, whichever page it came from
    listed = {r["staff_number"]: r for r in csv.DictReader(io.StringIO(unit_text))}
    assert listed["710002"]["booked_for"] == ahead(30).isoformat()
    assert {n: (r["team"], r["role"], r["due_by"], r["overdue_or_due_soon"]) for n, r in listed.items()} == {
        n: (r["team"], r["role"], r["due_by"], r["overdue_or_due_soon"])
        for n, r in rows.items()
        if r["unit"] == "NORTH"
    }
    assert {r["due_by"] for r in listed.values()} == {"2027-06-30"}  # upstander's, as published
