"""Rosters uploaded to HQ's console in a real browser: a stray quotation mark is named with the rows it hid, the
preview has an address of its own (Back and reload show it again, to the account that uploaded it alone), and
no roster file stays in HQ's uploads folder once applied, refused or older than HQ keeps an upload."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.test_console import excel_roster
from tests.hq_server import Hq, database_url, running_hq
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.upload_store import KEPT_S

pytestmark = pytest.mark.any_database  # what the person sees, and what is left on disk: the same on either

REAL = Path(__file__).parent.parent / "data" / "rosters_real"
EXPIRED = "This preview has expired: upload the file again."
PREVIEW = re.compile(r".*/console/roster/preview/[A-Za-z0-9_-]+$")


def kept(hq: Hq) -> list[Path]:
    """What HQ's uploads folder holds."""
    uploads = hq.blobs.parent / "uploads"
    return sorted(uploads.iterdir()) if uploads.exists() else []


def preview(page: Page, path: Path) -> None:
    page.get_by_label("Roster file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def test_a_stray_quotation_mark_is_named_with_the_rows_it_hid_and_the_mended_file_is_read(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Excel's "CSV UTF-8" with a `"` typed before a surname in row 12: the rows after it were read as one cell,
    and their own problems (a misspelt unit in row 13, an empty staff number in row 14) never said."""
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Roster").click()
    preview(page, REAL / "stray-quote.csv")
    expect(page.get_by_label("Roster file")).to_have_accessible_description(  # said beside the file field
        'stray-quote.csv: row 12 opens a quotation mark (") in column C "Last Name" that is never closed, so rows '
        "13 to 61 could not be read. Remove the stray quotation mark, or close it, and choose the file again."
    )
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 3, "EAST": 2}
    assert kept(hq) == []  # a file that cannot be applied is not kept

    preview(page, REAL / "multi-line-address.csv")  # an address over two lines in one cell, quoted as Excel does
    expect(page.get_by_role("table", name="Preview").get_by_role("row", name="Added")).to_contain_text("60")


def test_back_after_applying_says_the_preview_has_gone_and_no_roster_file_is_left(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview is at an address of its own: reloading it shows it again, not Chromium's "Confirm Form
    Resubmission"; once applied, or older than HQ keeps an upload, Back finds it gone and says what to do."""
    lines = ["710001\tAleksandra\tWiśniewska\tNORTH\tofficer", "730001\tFfion\tLlywelyn\tNORTH\tofficer"]
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Roster").click()
    preview(page, excel_roster(tmp_path, "hr-export.csv", lines))
    expect(page).to_have_url(PREVIEW)
    page.reload()
    expect(page.get_by_role("heading", name="hr-export.csv: what importing it would do")).to_be_visible()
    page.get_by_label("Yes, this many people have left").check()
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text("Roster imported: 1 added")
    assert kept(hq) == []

    page.go_back()
    expect(page.get_by_role("alert")).to_have_text(EXPIRED)
    expect(page.get_by_label("Roster file")).to_be_visible()  # where to upload it again

    # Another administrator, given the address, sees no one's names.
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "hq.admin2", "--role", "admin"]) == 0
    page.goto(hq.url + "/console/roster")
    preview(page, excel_roster(tmp_path, "leavers.csv", lines))
    expect(page).to_have_url(PREVIEW)
    address = page.url
    other = page.context.browser.new_context().new_page()  # type: ignore[union-attr]
    sign_in(other, hq, "hq.admin2")
    other.goto(address)
    expect(other.get_by_role("alert")).to_have_text(EXPIRED)
    expect(other.locator("main")).not_to_contain_text("Ffion")
    other.context.close()

    # A preview left a day: its file is gone at the next upload, and its address says so.
    (folder,) = kept(hq)
    day_ago = time.time() - KEPT_S - 60
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (day_ago, day_ago))
    page.goto(hq.url + "/console/roster")
    preview(page, excel_roster(tmp_path, "newer.csv", lines))
    expect(page).to_have_url(PREVIEW)
    assert folder not in kept(hq) and len(kept(hq)) == 1
    page.goto(address)
    expect(page.get_by_role("alert")).to_have_text(EXPIRED)


def test_hq_starting_deletes_uploads_older_than_it_keeps_them(tmp_path: Path) -> None:
    """A roster previewed and never applied, on an HQ that then stopped: deleted when HQ next starts, once a day
    old, rather than at an upload that may be months away; one uploaded an hour ago can still be applied."""
    uploads = tmp_path / "hq-home" / "uploads"
    old, recent = uploads / "Hf3kPq9ZcW2mXa7LbN4tRg", uploads / "Qw8eRt5yUi1oPa3sDf6gHj"
    for folder, age in ((old, KEPT_S + 60), (recent, 3600)):
        folder.mkdir(parents=True)
        (folder / "roster.csv").write_text("Staff Number,First Name,Last Name\n700101,Zbigniew,Łukasiewicz\n")
        for path in (folder / "roster.csv", folder):
            os.utime(path, (time.time() - age, time.time() - age))
    with database_url("sqlite", tmp_path) as url, running_hq(url, tmp_path, warm=True) as hq:
        assert requests.get(hq.url + "/console/", timeout=10).status_code == 200
        assert kept(hq) == [recent]
