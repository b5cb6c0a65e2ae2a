"""A member of the learning team with no text editor skills sets up the force's units from the console alone: the
Units page shows a worked example and offers the tree HQ holds as a units.toml to edit, which uploads back as no
change at all; and it counts each unit's people with the units under it, as the dashboard does, where it once
said the force had nobody and a BCU only those placed in it directly."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, sign_in
from tests.hq.test_console_units import FERNSHIRE, _preview_count, _upload
from tests.hq_server import Hq
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import unit_tree_import
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database


@pytest.fixture
def fernshire(hq: Hq, force: dict[str, str], tmp_path: Path) -> None:
    """The force's own tree, with one officer of NORTH placed in its response team."""
    (tmp_path / "imported.toml").write_text(FERNSHIRE, encoding="utf-8")
    unit_tree_import.apply_tree(hq.engine, read_unit_tree(tmp_path / "imported.toml"))
    moved = [dataclasses.replace(p, unit_code="NORTH-RESPONSE") if p.staff_number == "710001" else p for p in FORCE]
    hq_roster.import_roster(hq.engine, moved)


def test_the_tree_downloads_as_a_file_that_uploads_back_as_no_change(
    page: Page, hq: Hq, fernshire: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()
    expect(page.get_by_label("Example units.toml")).to_contain_text('parent = "WESTSHIRE"')
    expect(page.get_by_role("main")).to_contain_text("Uploading changes nothing yet")
    with page.expect_download() as download:
        page.get_by_role("link", name="download the tree as it is now (units.toml)").click()
    saved = tmp_path / "edited" / "units.toml"
    download.value.save_as(saved)
    assert download.value.suggested_filename == "units.toml"

    _upload(page, saved, saved.read_text(encoding="utf-8"))
    expect(page.get_by_role("heading", name="units.toml: what importing its 4 units would do")).to_be_visible()
    for change in ("Added", "Renamed", "Moved", "Removed (kept for past records, no longer offered)"):
        assert _preview_count(page, change) == "0", change
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text("Unit tree imported from units.toml: 0 added, 0 changed, 0 retired")


def test_the_units_page_counts_people_as_the_dashboard_does(page: Page, hq: Hq, fernshire: None) -> None:
    """Signa is for every officer and member of staff, so its audience is the whole roster: the figures agree."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "hq.admin")
    by_unit = page.get_by_role("table", name="Signa: completion per unit, each with the units under it")
    dashboard = {
        name: by_unit.get_by_role("row", name=name).get_by_role("cell").nth(1).inner_text()
        for name in ("Fernshire Constabulary", "North", "Response Team A", "East")
    }
    assert dashboard == {"Fernshire Constabulary": "5", "North": "3", "Response Team A": "1", "East": "2"}

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()
    tree = page.get_by_role("table", name="Units", exact=True)
    expect(tree.get_by_role("row")).to_have_text(
        ["Code Name Kind People, with the units under them", "FERN Fernshire Constabulary force 5",
         "EAST East BCU 2", "NORTH North BCU 3 (2 in North itself)", "NORTH-RESPONSE Response Team A team 1"],
        use_inner_text=True,
    )  # fmt: skip


def test_units_to_choose_from_read_as_the_tree_and_a_code_names_its_unit(page: Page, hq: Hq, fernshire: None) -> None:
    """The force came last ("Fernshire Constabulary" after "East"), a team apart from its BCU; and the code just
    issued named its unit by code alone."""
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Accounts").click()
    offered = page.get_by_label("Granted on", exact=True).first.locator("option").all_text_contents()
    indent = "\u00a0\u00a0\u00a0"
    assert offered == [
        "the whole of HQ",
        "Fernshire Constabulary (FERN)",
        f"{indent}\u2013\u00a0East",
        f"{indent}\u2013\u00a0North",
        f"{indent * 2}\u2013\u00a0Response Team A (NORTH-RESPONSE)",
    ]

    page.get_by_role("navigation", name="Console").get_by_role("link", name="Enrollment codes").click()
    page.get_by_label("Trainer's staff number").fill("710001")
    page.get_by_role("button", name="Issue a code").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Code for Aleksandra Wiśniewska (710001), trainer, Response Team A (NORTH-RESPONSE)"
    )
    waiting = page.get_by_role("table", name=re.compile("issued and not yet used"))
    expect(waiting.get_by_role("row", name="Aleksandra Wiśniewska (710001)")).to_contain_text(
        "Response Team A (NORTH-RESPONSE)"
    )


def test_one_unit_is_added_by_a_form_through_the_same_preview_as_a_file(page: Page, hq: Hq, fernshire: None) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()
    page.get_by_label("Code", exact=True).fill("NORTH")
    page.get_by_label("Name", exact=True).fill("North CID")
    page.get_by_label("Kind", exact=True).fill("team")
    page.get_by_label("Part of").select_option("NORTH")
    page.get_by_role("button", name="See what adding it would change").click()
    code = page.get_by_label("Code", exact=True)
    expect(code).to_have_accessible_description(re.compile("North \\(NORTH\\) has that code already"))
    expect(page.get_by_label("Name", exact=True)).to_have_value("North CID")  # what was typed stays

    code.fill("north-cid")
    page.get_by_role("button", name="See what adding it would change").click()
    expect(page.get_by_role("list", name="Units that would be added")).to_have_text("NORTH-CID North CID, under NORTH")
    assert _preview_count(page, "Removed (kept for past records, no longer offered)") == "0"
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text("North CID (NORTH-CID) added")
    expect(page.get_by_role("table", name="Units", exact=True).get_by_role("row", name="NORTH-CID")).to_have_text(
        "NORTH-CID North CID team 0", use_inner_text=False
    )
