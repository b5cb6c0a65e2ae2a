"""HQ shows and counts times as the force's people read their clocks, whatever the clock of HQ's server: a
session at 00:30 on 1 September (British Summer Time, stored as 23:30 UTC on 31 August) is shown at 00:30, its
sheet is dated 1 September, and it is delivered, and its people trained, in September."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.dates import short_date
from tests.hq.console_kit import sign_in, signed_in_http
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq.test_console_downloads import pdf_text
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq.receipt import record_at_hq
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PushItem


@pytest.fixture(autouse=True)
def _hq_s_clock_is_utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """HQ's server on UTC, as a cloud machine is: its own clock must not decide what the force reads."""
    monkeypatch.setenv("TZ", "UTC")


def night_session(hq: Hq) -> str:
    night = session("NORTH", status="closed") | {
        "starts_at": "2026-08-31T23:30:00+00:00",
        "ends_at": "2026-09-01T02:30:00+00:00",
    }
    line = attendance(night, "710002") | {"marked_at": "2026-08-31T23:35:00+00:00", "follow_up_due": "2027-03-01"}
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    assert laptop.push(item("session", night), item("attendance", line)) == [("created", "")] * 2
    return str(night["uuid"])


def test_a_session_after_midnight_in_summer_is_shown_printed_and_counted_on_its_own_day(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    uuid = night_session(hq)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="NORTH").first.click()
    page.get_by_role("table", name="Sessions").get_by_role("link", name="1 Sep 2026 00:30").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Signa: sexism, misogyny and sexual harassment at work, 1 Sep 2026 00:30"
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Attendance sheet (PDF)").click()
    assert download.value.suggested_filename == "attendance-2026-09-01-NORTH.pdf"
    sheet = tmp_path / "sheet.pdf"
    download.value.save_as(sheet)
    text = pdf_text(sheet)
    # Said to be UK time, as the laptop's sheet of a session says it (`tests/ui/test_reports_panel.py`).
    said = " ".join(text.split())
    assert "Date and time Tuesday 01 September 2026, 00:30 to 03:30 (UK time)" in said, text
    assert "Status UK time Walk-in" in said, text
    assert "Rhys ap Gwilym" in text and "00:35" in text

    # The force's compliance report for August does not count it; September's does.
    http = signed_in_http(hq, "hq.admin")
    for start, end, delivered, trained in (("2026-08-01", "2026-08-31", 0, False),
                                           ("2026-09-01", "2026-09-30", 1, True)):  # fmt: skip
        asked = {"programme": "signa", "start": start, "end": end}
        pdf = http.get(f"{hq.url}/console/reports/compliance", params=asked | {"format": "pdf"}, timeout=30)
        assert pdf.status_code == 200, pdf.text
        (tmp_path / "report.pdf").write_bytes(pdf.content)
        said = " ".join(pdf_text(tmp_path / "report.pdf").split())
        assert f"; {delivered} session{'' if delivered == 1 else 's'} delivered" in said
        chase = http.get(f"{hq.url}/console/reports/compliance", params=asked | {"format": "csv"}, timeout=30)
        outstanding = {row[0] for row in csv.reader(io.StringIO(chase.text.lstrip("\ufeff")))}
        assert ("710002" not in outstanding) == trained, outstanding
        dashboard = http.get(f"{hq.url}/console/", params=asked, timeout=30).text
        period = f"{short_date(date.fromisoformat(start))} to {short_date(date.fromisoformat(end))}"
        row = dashboard.split(f"Sessions of Signa delivered, {period}</th>", 1)[1]
        assert row.startswith(f'<td class="number">{delivered}</td>'), row[:80]
    # The dashboard's trend puts Rhys's completion in September.
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Dashboard").click()
    chart = json.loads(page.locator("#dashboard-data").text_content() or "{}")["trend"]
    done_by = dict(zip(chart["months"], chart["completed"], strict=True))
    assert chart["months"][0] == "2026-09" and done_by["2026-09"] == 1, done_by
    assert http.get(f"{hq.url}/console/sessions/{uuid}", timeout=30).status_code == 200


def test_a_session_stored_with_the_force_s_offset_counts_on_its_own_day_and_a_time_hq_cannot_read_harms_nothing(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """A session planned at HQ keeps the force's offset: 23:30 on 31 August (BST) was read, as text, as after
    midnight UTC and counted in September. A laptop's time HQ cannot read left the whole dashboard failing."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    late = session("NORTH", status="closed") | {"starts_at": "2026-08-31T23:30:00+01:00", "ends_at": None}
    garbled = session("NORTH", status="closed") | {"starts_at": "31/08/2026 09:00"}
    before_time = session("NORTH", status="closed") | {"starts_at": "0001-01-01T00:30:00+01:00"}  # no UTC for it
    lines = [attendance(late, "710002"), attendance(garbled, "710003"), attendance(before_time, "710003")]
    laptop = RawLaptop.enrolled(hq, "100234", "NORTH")
    sessions = (item("session", late), item("session", garbled), item("session", before_time))
    sent = laptop.push(*sessions, *(item("attendance", a) for a in lines))
    assert [status for status, _ in sent] == ["created", "refused", "refused", "created", "refused", "refused"]
    assert "the start is not a date and time with its time zone" in sent[1][1]
    assert "the start is not between 2000 and two years from now" in sent[2][1]
    # HQ refuses such times now; those it stored before are still read without harm.
    record_at_hq(hq.engine, [PushItem(i["entity"], i["uuid"], 1, None, "upsert", i["payload"]) for i in sessions[1:]])
    record_at_hq(hq.engine, [PushItem("attendance", a["uuid"], 1, None, "upsert", a) for a in lines[1:]])
    http = signed_in_http(hq, "hq.admin")
    # Completion counts as of the end of a period: trained by 31 August, and still in September.
    for start, end, delivered, trained in (("2026-08-01", "2026-08-31", 1, True),
                                           ("2026-09-01", "2026-09-30", 0, True)):  # fmt: skip
        asked = {"programme": "signa", "start": start, "end": end}
        pdf = http.get(f"{hq.url}/console/reports/compliance", params=asked | {"format": "pdf"}, timeout=30)
        (tmp_path / "report.pdf").write_bytes(pdf.content)
        said = " ".join(pdf_text(tmp_path / "report.pdf").split())
        assert f"; {delivered} session{'' if delivered == 1 else 's'} delivered" in said
        chase = http.get(f"{hq.url}/console/reports/compliance", params=asked | {"format": "csv"}, timeout=30)
        outstanding = {row[0] for row in csv.reader(io.StringIO(chase.text.lstrip("\ufeff")))}
        assert ("710002" not in outstanding) == trained, outstanding
    sign_in(page, hq, "hq.admin")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    chart = json.loads(page.locator("#dashboard-data").text_content() or "{}")["trend"]
    done_by = dict(zip(chart["months"], chart["completed"], strict=True))
    assert done_by["2026-08"] == 1, done_by
