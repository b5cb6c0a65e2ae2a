"""A new HQ's dashboard said only that nothing was published and no session had reached HQ, and a learning team
running HQ from the console alone had to guess where to begin. An administrator of the whole of HQ now sees the
first steps in order, each linking to its page and marked done once it is; a lead sees that HQ is still being
set up."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.hq.console_kit import FORCE, PASSWORD, admin, sign_in
from tests.hq.test_console_units import FERNSHIRE
from tests.hq_server import Hq
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import unit_tree_import
from trainer_desk.hq.cli import main as hq_main

pytestmark = pytest.mark.any_database


def _add(hq: Hq, monkeypatch: pytest.MonkeyPatch, username: str, role: str, *unit: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", username, "--role", role, *unit]) == 0


def test_a_new_hq_lists_its_first_steps_and_marks_each_done(
    page: Page, browser: Browser, hq: Hq, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(hq, monkeypatch, "hq.admin", "admin")
    sign_in(page, hq, "hq.admin")
    steps = page.get_by_role("list", name="Steps to set up HQ").get_by_role("listitem")
    expect(steps).to_have_text(
        [
            "Units: import the force's units: the force, its BCUs and their teams.",
            "Roster: load the HR export of everyone who must complete training.",
            "Lesson content: publish the lesson plans, videos and FAQ answers.",
            "Accounts: add an account for each BCU training lead and colleague.",
            "Enrollment codes: issue a code to enrol each trainer's laptop.",
        ]
    )
    expect(page.get_by_role("main")).to_contain_text("take these steps in order (0 of 5 done)")

    (tmp_path / "units.toml").write_text(FERNSHIRE, encoding="utf-8")
    unit_tree_import.apply_tree(hq.engine, read_unit_tree(tmp_path / "units.toml"))
    hq_roster.import_roster(hq.engine, FORCE)
    _add(hq, monkeypatch, "lead.north", "lead", "--unit", "NORTH")
    page.reload()
    expect(page.get_by_role("main")).to_contain_text("(3 of 5 done)")
    for done in (0, 1, 3):
        expect(steps.nth(done)).to_contain_text("Done.")
    for waiting in (2, 4):
        expect(steps.nth(waiting)).not_to_contain_text("Done.")
    steps.nth(4).get_by_role("link", name="Enrollment codes").click()
    expect(page.get_by_role("heading", name="Enrollment codes", level=1)).to_be_visible()

    lead = browser.new_context().new_page()
    sign_in(lead, hq, "lead.north")
    expect(lead.get_by_role("main")).to_contain_text("HQ's learning team is still setting HQ up")
    expect(lead.get_by_role("list", name="Steps to set up HQ")).to_have_count(0)
    lead.context.close()
