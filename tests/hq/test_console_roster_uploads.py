"""Rosters uploaded to HQ's console in a real browser: a stray quotation mark is named with the rows it hid."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq
from trainer_desk.hq import roster as hq_roster

pytestmark = pytest.mark.any_database  # what the person sees, and what is left on disk: the same on either

REAL = Path(__file__).parent.parent / "data" / "rosters_real"


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
    expect(page.get_by_role("alert")).to_have_text("stray-quote.csv: nothing can be imported.")
    expect(page.get_by_role("list", name="Problems in the file")).to_have_text(
        'stray-quote.csv: row 12 opens a quotation mark (") in column C "Last Name" that is never closed, so rows '
        "13 to 61 could not be read. Remove the stray quotation mark, or close it, and choose the file again."
    )
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 3, "EAST": 2}
    assert kept(hq) == []  # a file that cannot be applied is not kept

    preview(page, REAL / "multi-line-address.csv")  # an address over two lines in one cell, quoted as Excel does
    expect(page.get_by_role("table", name="Preview").get_by_role("row", name="Added")).to_contain_text("60")
