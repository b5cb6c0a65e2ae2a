"""Lesson content published with its demonstration content anyway: nothing said so afterwards. The setting-up
checklist called the step done, the versions table showed "1 (current)" unmarked, and the made-up force's due
dates read as the force's own. Now the dashboard and Lesson content say so, naming what, while it lasts, and
the step is not done until the force's own replaces it. Against a real HQ, in Debian's chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.test_console_content import zipped
from tests.hq_server import Hq
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database

NOTICE = "The published lesson content is still the demonstration's"


def test_demonstration_content_published_anyway_is_said_until_it_is_replaced(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(
        zipped(bundled("lesson_plans"), tmp_path / "p.zip")
    )
    page.get_by_role("button", name="Check and compare").click()
    page.get_by_label("Publish it with the demonstration content anyway").check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 1")
    on_content = page.get_by_role("region", name=NOTICE)
    expect(on_content.get_by_role("list", name="Demonstration content published")).to_contain_text(
        "programmes.toml holds the demonstration force's due dates"
    )
    expect(page.get_by_role("table", name="Newest first").get_by_role("rowheader").first).to_have_text(
        "1 (current), with demonstration content"
    )

    page.get_by_role("link", name="Dashboard").click()
    notice = page.get_by_role("region", name=NOTICE)
    expect(notice).to_contain_text("programmes.toml holds the demonstration force's due dates")
    expect(notice.get_by_role("link", name="Publish the force's own content")).to_be_visible()
    page.locator("summary", has_text="Setting up HQ").click()
    step = page.get_by_role("list", name="Steps to set up HQ").get_by_role("listitem").filter(has_text="Lesson content")
    expect(step).to_have_text("Lesson content: replace the demonstration content published with the force's own.")
