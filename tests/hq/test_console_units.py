"""An administrator who runs HQ without a terminal sets up the force's units from the console: the Units page
shows the tree as HQ holds it (indented, with each unit's people on the roster), and a units.toml uploaded is
shown as what it would change before a second press applies it, with the command line's own refusal of a tree
that would lose a unit the roster, an account or a laptop still names."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq
from trainer_desk.hq import units as hq_units

WITHOUT_NORTH = """
[[unit]]
code = "FERN"
name = "Fernshire Constabulary"
kind = "force"

[[unit]]
code = "EAST"
name = "East"
kind = "BCU"
parent = "FERN"
"""

FERNSHIRE = (
    WITHOUT_NORTH
    + """
[[unit]]
code = "NORTH"
name = "North"
kind = "BCU"
parent = "FERN"

[[unit]]
code = "NORTH-RESPONSE"
name = "Response Team A"
kind = "team"
parent = "NORTH"
"""
)


def _upload(page: Page, path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    page.get_by_label("Unit tree file (units.toml)").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()


def _preview_count(page: Page, label: str) -> str:
    return (
        page.get_by_role("table", name="Preview")
        .get_by_role("rowheader", name=label, exact=True)
        .locator("xpath=..")
        .get_by_role("cell")
        .inner_text()
    )


def test_an_administrator_previews_then_applies_a_unit_tree_from_the_console(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()
    expect(page.get_by_role("heading", name="No unit tree imported yet")).to_be_visible()
    units = page.get_by_role("table", name="Units (demonstration)")
    expect(units.get_by_role("row", name="NORTH North")).to_contain_text("3")

    broken = tmp_path / "units.toml"
    _upload(
        page, broken, WITHOUT_NORTH + '\n[[unit]]\ncode = "X"\nname = "Orphan"\nkind = "team"\nparent = "NOWHERE"\n'
    )
    expect(page.get_by_role("alert")).to_contain_text("units.toml: 1 problem in the unit tree; nothing was imported")
    expect(page.get_by_role("list", name="Problems in the file")).to_have_text(
        "unit X: parent NOWHERE is not a unit in the file"
    )
    expect(page.get_by_role("alert")).not_to_contain_text("uploads")  # where HQ keeps files is not the user's business

    _upload(page, tmp_path / "units.toml", WITHOUT_NORTH)  # NORTH still has people, a lead's account and a laptop
    expect(page.get_by_role("alert")).to_contain_text("This tree cannot be imported")
    expect(page.get_by_role("list", name="Units still in use")).to_have_text(
        "NORTH (North) is left out, yet still has 3 people on the roster, 1 console account and 1 laptop in use."
    )
    expect(page.get_by_role("button", name="Apply this unit tree")).to_have_count(0)
    assert hq_units.unit_codes(hq.engine)[:3] == ["CENTRAL-EAST", "CENTRAL-NORTH", "CENTRAL-SOUTH"]  # unchanged

    _upload(page, tmp_path / "units.toml", FERNSHIRE)
    expect(page.get_by_role("heading", name="units.toml: what importing its 4 units would do")).to_be_visible()
    assert _preview_count(page, "Added") == "2"  # NORTH and EAST were among the demonstration units: moved under FERN
    expect(page.get_by_role("list", name="Units that would be added")).to_contain_text(
        "NORTH-RESPONSE Response Team A, under NORTH"
    )
    assert _preview_count(page, "Moved") == "2"
    assert _preview_count(page, "Removed (kept for past records, no longer offered)") == "11"  # the other 11 BCUs
    assert hq_units.unit_codes(hq.engine)[0] == "CENTRAL-EAST"  # nothing applied on the preview
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text(
        "Unit tree imported from units.toml: 2 added, 2 changed, 11 retired"
    )
    tree = page.get_by_role("table", name="Units", exact=True)
    expect(tree.get_by_role("row")).to_have_text(
        ["Code Name Kind On the roster", "FERN Fernshire Constabulary force 0", "EAST East BCU 2",
         "NORTH North BCU 3", "NORTH-RESPONSE Response Team A team 0"], use_inner_text=True
    )  # fmt: skip
    padding = "e => parseFloat(getComputedStyle(e).paddingLeft)"
    indent = [tree.get_by_role("rowheader", name=code, exact=True).evaluate(padding)
              for code in ("FERN", "NORTH", "NORTH-RESPONSE")]  # fmt: skip
    assert indent[0] < indent[1] < indent[2]  # each level under its parent

    renamed = FERNSHIRE.replace('name = "East"', 'name = "East Division"').replace(
        'parent = "NORTH"', 'parent = "EAST"'
    )
    _upload(page, tmp_path / "fernshire units.toml", renamed)
    assert (_preview_count(page, "Renamed"), _preview_count(page, "Moved")) == ("1", "1")
    expect(page.get_by_role("list", name="Units that would be renamed")).to_have_text(
        "EAST: East becomes East Division"
    )
    expect(page.get_by_role("list", name="Units that would move")).to_have_text(
        "NORTH-RESPONSE Response Team A: from NORTH to EAST"
    )
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_contain_text("2 changed")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("main")).to_contain_text("fernshire units.toml: 0 added, 2 changed, 0 retired")
