"""Going back to an earlier version of the lesson content from the console, in a real browser against a real
HQ: every laptop takes it at its next sync, so the button shows what it would change and asks first, and a
confirmation made against a version that is no longer current is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import admin, sign_in
from tests.hq.test_console_content import plans_with
from tests.hq_server import Hq
from trainer_desk.hq import published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.force_clock import shown
from trainer_desk.paths import bundled

# What the person sees: the refusal itself is `record_version`'s, which test_publish runs on either database.
pytestmark = pytest.mark.any_database


def two_versions(hq: Hq, tmp_path: Path) -> tuple[published.Version, published.Version]:
    """Version 1, the bundled plans; version 2, with signa-core moved to 1.1.0."""
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    newer = plans_with(tmp_path, "newer", 'version = "1.0.0"', 'version = "1.1.0"')
    assert hq_main([*admin(hq), "publish", str(newer), "--allow-sample-media"]) == 0
    second, first = published.versions(hq.engine)  # newest first
    return first, second


def test_publish_again_shows_what_going_back_changes_and_publishes_only_when_confirmed(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    first, second = two_versions(hq, tmp_path)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_role("button", name="Publish version 1 again…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Going back to version 1: what it would change")
    main = page.locator("main")
    expect(main).to_contain_text(f"Version 1 was published {shown(first.published_at)}")
    expect(main).to_contain_text(f"the current version 2, published {shown(second.published_at)}")
    row = page.get_by_role("table", name="Plans that change").get_by_role("row", name="signa-core")
    expect(row).to_have_text("signa-core1.1.01.0.0")
    expect(page.get_by_role("table", name="Files").get_by_role("row", name="Changed")).to_contain_text(
        "1signa-core/plan.toml"
    )
    assert published.current(hq.engine) == second  # nothing is published by looking

    page.get_by_role("link", name="Leave without publishing").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lesson content")
    assert published.current(hq.engine) == second

    page.get_by_role("button", name="Publish version 1 again…").click()
    page.get_by_role("button", name="Publish version 1 again").press("Enter")  # by keyboard as well as by mouse
    expect(page.get_by_role("status")).to_have_text("Version 1 is published again, as version 3")
    third = published.current(hq.engine)
    assert third is not None and third.version == 3 and third.files == first.files


def test_going_back_is_refused_when_another_version_was_published_meanwhile_and_the_new_comparison_shown(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    two_versions(hq, tmp_path)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_role("button", name="Publish version 1 again…").click()
    expect(page.get_by_role("table", name="Plans that change")).to_contain_text("1.1.0")

    meanwhile = plans_with(tmp_path, "meanwhile", 'version = "1.0.0"', 'version = "1.2.0"')
    assert hq_main([*admin(hq), "publish", str(meanwhile), "--allow-sample-media"]) == 0  # another administrator
    page.get_by_role("button", name="Publish version 1 again").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Not published: version 3 was published while you were looking at this."
    )
    row = page.get_by_role("table", name="Plans that change").get_by_role("row", name="signa-core")
    expect(row).to_have_text("signa-core1.2.01.0.0")  # against what is current now
    assert published.current(hq.engine).version == 3  # type: ignore[union-attr]

    page.get_by_role("button", name="Publish version 1 again").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 is published again, as version 4")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("row").filter(has_text="content rolled back")).to_contain_text("version 1 as 4")
