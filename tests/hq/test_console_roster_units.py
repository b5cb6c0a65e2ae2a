"""A roster uploaded to HQ's console that names units as people write them: by name, in any case, as well as
by code; a name two units of the force's tree share is refused, naming both, rather than guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq_server import Hq
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import unit_tree_import

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

TREE = """
[[unit]]
code = "FERN"
name = "Fernshire Constabulary"
kind = "force"
"""
for code, name, parent in (
    ("NORTH", "North", "FERN"),
    ("EAST", "East", "FERN"),
    ("NORTH-RT-A", "Response Team A", "NORTH"),
    ("EAST-RT-A", "Response Team A", "EAST"),
    ("NORTH-CID", "Criminal Investigation & Safeguarding", "NORTH"),
):
    TREE += f'\n[[unit]]\ncode = "{code}"\nname = "{name}"\nkind = "{"team" if "-" in code else "BCU"}"\n'
    TREE += f'parent = "{parent}"\n'


def workbook(path: Path, units: dict[str, str]) -> Path:
    """HR's export of the force's people, each unit as HR writes it (by name unless `units` says otherwise)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Staff Number", "First Name", "Last Name", "Unit", "Type"])
    for person in FORCE:
        unit = units.get(person.staff_number, person.unit_code.title())
        sheet.append([person.staff_number, person.forename, person.surname, unit, person.role.value])
    book.save(path)
    return path


def test_units_are_read_by_name_and_a_name_two_units_share_is_refused_naming_both(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    (tmp_path / "units.toml").write_text(TREE, encoding="utf-8")
    unit_tree_import.apply_tree(hq.engine, read_unit_tree(tmp_path / "units.toml", "units.toml"))
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Roster").click()
    first, second = FORCE[0].staff_number, FORCE[1].staff_number

    shared = workbook(tmp_path / "hr-export.xlsx", {first: "response team a", second: "response team a"})
    page.get_by_label("Roster file").set_input_files(str(shared))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("hr-export.xlsx: nothing can be imported.")
    expect(page.get_by_role("alert").get_by_role("list").get_by_role("listitem")).to_have_text(
        [
            """column D "Unit": 'response team a' is the name of more than one unit: Response Team A (EAST-RT-A) """
            "and Response Team A (NORTH-RT-A); give the unit's code: rows 2 and 3"  # said once for both rows
        ]
    )

    fixed = workbook(
        tmp_path / "hr-export-fixed.xlsx", {first: "NORTH-RT-A", second: "criminal investigation and safeguarding"}
    )
    page.get_by_label("Roster file").set_input_files(str(fixed))
    page.get_by_role("button", name="Preview").click()
    page.get_by_text("Whose details would change (2)").click()
    moved = page.get_by_role("list", name="Whose details would change")
    expect(moved).to_contain_text(f"{first} ")
    expect(moved).to_contain_text("Response Team A (NORTH-RT-A) (was North)")
    expect(moved).to_contain_text("Criminal Investigation & Safeguarding (NORTH-CID) (was North)")
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text("Roster imported: 0 added, 2 updated, 0 left")
    assert hq_roster.unit_of(hq.engine, second) == "NORTH-CID"
