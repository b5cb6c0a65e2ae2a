"""A new HQ set up from the console: its first units.toml read as "8 added, 3 changed, 10 retired", units that
were only the demonstration list's, never named by any record; the Add one unit form waited for a tree imported
from a file, and spoke of a file and of "1 units" once it did not; and Lesson content offered nothing to start
from until something was published."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.test_console_units import FERNSHIRE, _preview_count, _upload
from tests.hq_server import Hq
from trainer_desk.hq import published
from trainer_desk.hq import units as hq_units
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.content import content_files
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database


@pytest.fixture
def fresh(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> Hq:
    """A new HQ with its first administrator and nothing else."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "hq.admin", "--role", "admin"]) == 0
    return hq


def _units_page(page: Page, hq: Hq) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Units").click()


def test_a_new_hqs_first_unit_tree_is_all_added(page: Page, fresh: Hq, tmp_path: Path) -> None:
    _units_page(page, fresh)
    _upload(page, tmp_path / "units.toml", FERNSHIRE)
    counts = ("Added", "Renamed", "Moved", "Removed (kept for past records, no longer offered)")
    assert [_preview_count(page, c) for c in counts] == ["4", "0", "0", "0"]
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text("Unit tree imported from units.toml: 4 added, 0 changed, 0 retired")
    tree = page.get_by_role("table", name="Units", exact=True)
    expect(tree.get_by_role("row")).to_have_count(5)  # the header and the force's four units: no demonstration BCU
    assert hq_units.unit_codes(fresh.engine) == ["EAST", "FERN", "NORTH", "NORTH-RESPONSE"]


def test_a_new_hq_builds_its_tree_with_the_add_one_unit_form(page: Page, fresh: Hq) -> None:
    _units_page(page, fresh)
    form = page.get_by_role("region", name="Add one unit")
    expect(form).to_contain_text("start with the force at the top")
    expect(form.get_by_label("Part of").get_by_role("option")).to_have_text(["none: a force at the top"])
    form.get_by_label("Code").fill("WESTSHIRE")
    form.get_by_label("Name").fill("Westshire Police")
    form.get_by_label("Kind").fill("force")
    form.get_by_role("button", name="See what adding it would change").click()
    preview = page.get_by_role("heading", name="Adding Westshire Police (WESTSHIRE): what it would do")
    expect(preview).to_be_visible()
    expect(page.get_by_role("main")).not_to_contain_text("1 units")
    counts = ("Added", "Renamed", "Moved", "Removed (kept for past records, no longer offered)")
    assert [_preview_count(page, c) for c in counts] == ["1", "0", "0", "0"]
    page.get_by_role("button", name="Apply this unit tree").click()
    expect(page.get_by_role("status")).to_have_text("Westshire Police (WESTSHIRE) added")

    form.get_by_label("Code").fill("NORTH")
    form.get_by_label("Name").fill("North BCU")
    form.get_by_label("Kind").fill("BCU")
    form.get_by_label("Part of").select_option("WESTSHIRE")
    form.get_by_role("button", name="See what adding it would change").click()
    page.get_by_role("button", name="Apply this unit tree").click()
    tree = page.get_by_role("table", name="Units", exact=True)
    expect(tree.get_by_role("row")).to_have_text(
        ["Code Name Kind People, with the units under them", "WESTSHIRE Westshire Police force 0",
         "NORTH North BCU BCU 0"], use_inner_text=True,
    )  # fmt: skip


def test_a_new_hq_offers_the_installed_plans_to_start_from_and_takes_them_back(
    page: Page, fresh: Hq, tmp_path: Path
) -> None:
    sign_in(page, fresh, "hq.admin")
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Lesson content").click()
    expect(page.get_by_role("main")).to_contain_text("Nothing is published yet")
    with page.expect_download() as download:
        page.get_by_role("link", name="download the installed plans as a zip").click()
    archive = tmp_path / download.value.suggested_filename
    download.value.save_as(archive)
    with zipfile.ZipFile(archive) as opened:  # the layout an upload takes, as a published version's zip has
        names = opened.namelist()
    installed = bundled("lesson_plans")
    assert sorted(names) == sorted(
        f"lesson_plans/{p.relative_to(installed).as_posix()}" for p in content_files(installed)
    )

    page.get_by_label("Zip of the lesson plans folder").set_input_files(archive)
    page.get_by_role("button", name="Check and compare").click()
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 1")
    current = published.current(fresh.engine)
    assert current is not None and sorted(current.files) == sorted(n.removeprefix("lesson_plans/") for n in names)
