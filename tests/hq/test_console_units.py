"""An administrator who runs HQ without a terminal sets up the force's units from the console: the Units page
shows the tree as HQ holds it (indented, with each unit's people on the roster), and a units.toml uploaded is
shown as what it would change before a second press applies it, with the command line's own refusal of a tree
that would lose a unit the roster, an account or a laptop still names."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.raw_laptop import RawLaptop, item, session
from tests.hq_server import Hq
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import unit_tree_import
from trainer_desk.hq import units as hq_units
from trainer_desk.hq.cli import main as hq_main

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
    expect(page.get_by_role("alert").get_by_role("list")).to_have_text(
        "unit X: parent NOWHERE is not a unit in the file"
    )
    expect(page.get_by_role("alert")).not_to_contain_text("uploads")  # where HQ keeps files is not the user's business
    chooser = page.get_by_label("Unit tree file (units.toml)")  # said at the file to mend, the cursor there
    expect(chooser).to_have_accessible_description(re.compile("1 problem in the unit tree; nothing was imported"))
    expect(chooser).to_be_focused()

    _upload(page, tmp_path / "units.toml", WITHOUT_NORTH)  # NORTH still has people, a lead's account and a laptop
    expect(page.get_by_role("alert")).to_contain_text("This tree cannot be imported")
    expect(page.get_by_role("list", name="Units still in use")).to_have_text(
        "NORTH (North) is left out, yet still has 3 people on the roster, 1 console account, 1 laptop in use and 1 "
        "session running (started, not yet closed)."
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
    # The other 11 demonstration BCUs: nothing ever named them, so the force's tree replaces them outright.
    assert _preview_count(page, "Removed (kept for past records, no longer offered)") == "0"
    assert hq_units.unit_codes(hq.engine)[0] == "CENTRAL-EAST"  # nothing applied on the preview
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text("Unit tree imported from units.toml: 2 added, 2 changed, 0 retired")
    tree = page.get_by_role("table", name="Units", exact=True)
    expect(tree.get_by_role("row")).to_have_text(
        ["Code Name Kind People, with the units under them", "FERN Fernshire Constabulary force 5", "EAST East BCU 2",
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


def test_a_unit_a_session_runs_in_or_a_code_would_enrol_for_is_kept_and_a_move_names_whose_view_changes(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A team dropped while a session ran in it, or with a code printed for it, left the session's register and
    the laptop the code enrolled naming a unit HQ no longer offers. And a team moved to another BCU left one
    lead without its sessions and gave them to another, with nothing said before it was applied."""
    (tmp_path / "units.toml").write_text(FERNSHIRE, encoding="utf-8")
    unit_tree_import.apply_tree(hq.engine, read_unit_tree(tmp_path / "units.toml", "units.toml"))
    running = session("NORTH-RESPONSE")  # started on a laptop, not yet closed
    team_laptop = RawLaptop.enrolled(hq, "100234", "NORTH-RESPONSE")
    assert team_laptop.push(item("session", running)) == [("created", "")]
    (laptop,) = [d for d in hq_devices.list_devices(hq.engine) if d["unit"] == "NORTH-RESPONSE"]
    assert hq_devices.set_device_flag(hq.engine, laptop["id"], "revoked")  # handed back mid-session: not in use
    hq_devices.issue_code(hq.engine, "100301", "NORTH-RESPONSE")  # printed for a trainer, not yet used
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "lead.east", "--role", "lead", "--unit", "EAST"]) == 0

    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()
    without_team = FERNSHIRE[: FERNSHIRE.index('[[unit]]\ncode = "NORTH-RESPONSE"')]
    _upload(page, tmp_path / "units.toml", without_team)
    expect(page.get_by_role("alert")).to_contain_text("This tree cannot be imported")
    expect(page.get_by_role("list", name="Units still in use")).to_have_text(
        "NORTH-RESPONSE (Response Team A) is left out, yet still has 1 session running (started, not yet closed) "
        "and 1 enrollment code not yet used."
    )

    page.get_by_role("link", name="Upload another file instead").click()
    _upload(page, tmp_path / "units.toml", FERNSHIRE.replace('parent = "NORTH"', 'parent = "EAST"'))
    expect(page.get_by_role("list", name="Units that would move")).to_have_text(
        "NORTH-RESPONSE Response Team A: from NORTH to EAST"
    )
    expect(page.get_by_role("list", name="Whose view would change").get_by_role("listitem")).to_have_text(
        [
            "lead.east (BCU training lead on EAST) would see NORTH-RESPONSE (Response Team A) and its sessions.",
            "lead.north (BCU training lead on NORTH) would no longer see NORTH-RESPONSE (Response Team A) or its "
            "sessions.",
        ]
    )
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_contain_text("1 changed")
