"""An HQ serving two forces publishes one set of lesson content with each force's own details in
`forces/CODE.toml`: the console checks those files as it checks force.toml, refuses one named by a code that
is no force of HQ's, and its preview says which forces have details of their own and which show the shared
force.toml's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.forces_content import PEOPLE, WEST_AND_NORTH, plans_for_two_forces
from tests.hq.console_kit import PASSWORD, admin, sign_in
from tests.hq.test_console_content import zipped
from tests.hq_server import Hq
from trainer_desk.hq import published
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database


@pytest.fixture
def two_forces(hq: Hq, monkeypatch: pytest.MonkeyPatch) -> None:
    import_units(hq.engine, WEST_AND_NORTH)
    hq_roster.import_roster(hq.engine, PEOPLE)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "hq.admin", "--role", "admin"]) == 0


def _upload(page: Page, archive: Path) -> None:
    page.get_by_role("navigation", name="Console").get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(archive)
    page.get_by_role("button", name="Check and compare").click()


def test_each_force_s_own_file_is_checked_and_the_preview_says_who_has_one(
    page: Page, hq: Hq, two_forces: None, tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    broken = plans_for_two_forces(
        tmp_path / "broken",
        extra={"forces/ESX.toml": '[force]\nname = "Essex Police"\n', "forces/NTH.toml": '[force]\nwellbeing = "x"\n'},
    )
    _upload(page, zipped(broken, tmp_path / "broken.zip", top="lesson_plans/"))
    problems = page.get_by_role("list", name="Problems in the plans")
    expect(problems).to_contain_text("forces/ESX.toml: ESX is not a force in HQ's unit tree (its forces: NTH, WST)")
    expect(problems).to_contain_text("forces/NTH.toml: unknown force field 'wellbeing'")
    assert published.current(hq.engine) is None

    plans = plans_for_two_forces(tmp_path / "good")
    (plans / "forces" / "NTH.toml").unlink()  # Northshire's details are the shared file's
    _upload(page, zipped(plans, tmp_path / "plans.zip", top="lesson_plans/"))
    details = page.get_by_role("region", name="Each force's details")
    expect(details).to_contain_text("With details of their own: Westshire Police (WST)")
    expect(details).to_contain_text("Showing the shared force.toml: Northshire Police (NTH)")
    page.get_by_label("Publish it with the demonstration content anyway").check()  # the bundled sample films
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 1")
    current = published.current(hq.engine)
    assert current is not None and "forces/WST.toml" in current.files
