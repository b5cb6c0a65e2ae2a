"""The published versions of the lesson content in the console, in a real browser against a real HQ. Going back
to an earlier one: every laptop takes it at its next sync, so the button shows what it would change and asks
first, and a confirmation made against a version that is no longer current is refused. And each version's
note of what changed and why."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.hq.console_kit import admin, sign_in
from tests.hq.test_console_accessibility import overflowing
from tests.hq.test_console_content import plans_with, zipped
from tests.hq.test_console_phone_tables import PHONE, across, card
from tests.hq_server import Hq
from trainer_desk.core.force_clock import shown
from trainer_desk.hq import published
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import bundled

# What the person sees: the refusal itself is `record_version`'s, which test_publish runs on either database.
pytestmark = pytest.mark.any_database

ANYWAY = "Publish it with the demonstration content anyway"  # the bundled plans: going back asks as publishing did


def row_of(page: Page, version: str) -> Locator:
    """The versions table's row for `version`."""
    versions = page.get_by_role("table", name="Newest first")
    return versions.get_by_role("row").filter(has=page.get_by_role("rowheader", name=version, exact=True))


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
    page.get_by_label(ANYWAY).check()
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
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish version 1 again").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Not published: version 3 was published while you were looking at this."
    )
    row = page.get_by_role("table", name="Plans that change").get_by_role("row", name="signa-core")
    expect(row).to_have_text("signa-core1.2.01.0.0")  # against what is current now
    assert published.current(hq.engine).version == 3  # type: ignore[union-attr]

    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish version 1 again").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 is published again, as version 4")
    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("row").filter(has_text="content rolled back")).to_contain_text("version 1 as 4")


def test_going_back_twice_from_two_tabs_publishes_once_and_offers_nothing_more(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """The same rollback opened in two tabs: the second, refused, says there is nothing left to go back to
    instead of offering to publish the same files a fourth time."""
    two_versions(hq, tmp_path)
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    other = page.context.new_page()
    other.goto(page.url)
    for tab in (page, other):
        tab.get_by_role("button", name="Publish version 1 again…").click()
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish version 1 again").click()
    expect(page.get_by_role("status")).to_have_text("Version 1 is published again, as version 3")

    other.get_by_label(ANYWAY).check()
    other.get_by_role("button", name="Publish version 1 again").click()
    expect(other.get_by_role("alert")).to_contain_text("Not published: version 3 was published while you were looking")
    expect(other.get_by_text("there is nothing to go back to, and laptops already have it")).to_be_visible()
    expect(other.get_by_role("button", name="Publish version 1 again")).to_have_count(0)
    other.get_by_role("link", name="Back to Lesson content").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Lesson content")
    assert published.current(hq.engine).version == 3  # type: ignore[union-attr]


def test_each_version_says_what_changed_as_its_publisher_noted_it(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """Version 1 was published before notes were kept (here: without one); version 2 from the console with a
    note, after one with a control character in it was refused; version 3 goes back, noted as such."""
    assert hq_main([*admin(hq), "publish", str(bundled("lesson_plans")), "--allow-sample-media"]) == 0
    newer = plans_with(tmp_path, "newer", 'version = "1.0.0"', 'version = "1.1.0"')
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    page.get_by_label("Zip of the lesson plans folder").set_input_files(zipped(newer, tmp_path / "plans.zip"))
    page.get_by_role("button", name="Check and compare").click()
    note = page.get_by_label("What changed and why (optional: one line, up to 300 characters)")
    note.fill("Signa 1.1:\x07 the new reporting film")
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("alert")).to_have_text(
        "The note must be one line of plain text: it has a line break or another control character."
    )
    assert published.current(hq.engine).version == 1  # type: ignore[union-attr]
    expect(note).to_have_value("Signa 1.1:\x07 the new reporting film")  # kept, to mend; the upload too

    note.fill("Signa 1.1:\tthe new\t reporting film")  # cells pasted from a spreadsheet: tabs become spaces
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status")).to_have_text("Published version 2")
    versions = page.get_by_role("table", name="Newest first")
    expect(versions.get_by_role("row", name="2 (current)")).to_contain_text("Signa 1.1: the new reporting film")

    page.get_by_role("button", name="Publish version 1 again…").click()
    expect(note).to_have_value("Back to version 1")
    page.get_by_label(ANYWAY).check()
    page.get_by_role("button", name="Publish version 1 again").click()
    expect(versions.get_by_role("row", name="3 (current)")).to_contain_text("Back to version 1")
    expect(row_of(page, "2")).to_contain_text("Signa 1.1: the new reporting film")
    first = row_of(page, "1").get_by_role("cell")
    expect(first.nth(3)).to_have_text("")  # its Note: none was given


def test_on_a_phone_each_version_reads_as_a_card_with_its_buttons_on_screen(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """390 pixels across, the versions table ran off the side (its heading cut short, its note, download and
    "Publish again…" out of sight): each version is a card, every value under its label, nothing off screen."""
    version_1, _ = two_versions(hq, tmp_path)
    sign_in(page, hq, "hq.admin")
    page.set_viewport_size(PHONE)
    page.get_by_role("link", name="Lesson content").click()
    first = row_of(page, "1")
    expect(first).to_be_visible()
    assert overflowing(page) == 0
    assert card(first)[0] == "1"
    assert card(first)[1].startswith("Published (UK time): ")
    assert card(first)[2:] == [
        "Plans: inclusive-workplace 1.0.0, raising-concerns 1.0.0, signa-core 1.0.0, upstander 1.0.0",
        f"Files: {len(version_1.files)}",  # no note: a blank takes no line
        "Download: zip",
        "Go back: Publish again…",
    ]
    download = first.get_by_role("link", name="Download version 1 as a zip")
    again = first.get_by_role("button", name="Publish version 1 again…")
    for seen in (download, again, page.get_by_role("heading", name="Published versions")):
        across(page, seen)
    again.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Going back to version 1: what it would change")
