"""Names in HR's workbook with characters no one can see, uploaded to HQ's console in a real browser: refused
with the row and column to put right, while the joiners some scripts write between letters stay in the name."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq_server import Hq
from trainer_desk.hq import roster as hq_roster

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

# Arjun as Marathi writes it: the zero-width joiner (U+200D) after the virama gives the ra its half form.
ARJUN = "\u0905\u0930\u094d\u200d\u091c\u0941\u0928"


def workbook(path: Path, extra: list[list[str]]) -> Path:
    """HR's export: the force's people as they are, and the rows under test."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff Number", "First Name", "Last Name", "Unit", "Type"])
    for person in FORCE:
        sheet.append([person.staff_number, person.forename, person.surname, person.unit_code, person.role.value])
    for row in extra:
        sheet.append(row)
    book.save(path)
    return path


def test_a_roster_with_invisible_characters_in_names_is_refused_by_row_and_column(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Roster").click()
    pasted = [
        ["740001", "Priya\u200d", "Shah", "NORTH", "officer"],  # a joiner after a Latin letter joins nothing
        ["740002", "Dana", "Levi\u200e", "EAST", "staff"],  # a direction mark copied with the name
    ]
    page.get_by_label("Roster file").set_input_files(str(workbook(tmp_path / "hr-export.xlsx", pasted)))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("hr-export.xlsx: nothing can be imported.")
    problems = page.get_by_role("alert").get_by_role("list")
    expect(problems.get_by_role("listitem")).to_have_text(
        [
            'row 7, column B "First Name": contains a zero-width joiner (U+200D) between letters that do not use '
            "it, which cannot be seen but stops searches and matches finding it",
            'row 8, column C "Last Name": contains a left-to-right mark (U+200E), which cannot be seen but stops '
            "searches and matches finding it",
        ]
    )

    fixed = [["740001", ARJUN, "Shah", "NORTH", "officer"], ["740002", "Dana", "Levi", "EAST", "staff"]]
    page.get_by_label("Roster file").set_input_files(str(workbook(tmp_path / "hr-export-fixed.xlsx", fixed)))
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Who would be added (2)").click()
    expect(page.get_by_role("list", name="Who would be added")).to_contain_text(f"740001 {ARJUN} Shah, North")
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Roster imported: 2 added"
    )  # and Aleksandra's team, not in this export
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 4, "EAST": 3}
