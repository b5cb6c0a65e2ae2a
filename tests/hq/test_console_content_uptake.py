"""Which laptops have taken the newest lesson content, as the learning team sees it in the console: real laptops
sync to a real HQ, one takes version 2 and one has not synced since it was published. The Lesson content page
counts the active laptops that hold it (a lost or revoked one is not counted) and links to the Devices page,
which gives each laptop's version, at desktop width and in its phone-width cards."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.hq.console_kit import admin, sign_in
from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.workspace import Workspace, open_workspace

pytestmark = pytest.mark.any_database  # what the person sees; tests/sync/test_content_uptake runs both databases


def publish(hq: Hq, tmp_path: Path, plan_version: str) -> None:
    folder = tmp_path / f"published-{plan_version}"
    shutil.copytree(bundled("lesson_plans") / "raising-concerns", folder / "raising-concerns")
    plan = folder / "raising-concerns" / "plan.toml"
    plan.write_text(plan.read_text().replace('version = "1.0.0"', f'version = "{plan_version}"'))
    hq_content.publish_content(hq.engine, folder, hq.blobs, allow_sample_media=True)


def laptop(hq: Hq, tmp_path: Path, trainer: str) -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / trainer))
    hq_link.enroll(workspace, hq.url, devices.issue_code(hq.engine, trainer, "NORTH"))
    return workspace


def device_of(hq: Hq, trainer: str) -> str:
    [found] = [d["id"] for d in devices.list_devices(hq.engine) if d["trainer"] == trainer]
    return str(found)


def test_the_console_shows_how_many_active_laptops_took_the_newest_version_and_which(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    # The force's two other laptops are out of service: neither is counted.
    assert hq_main([*admin(hq), "devices", "revoke", device_of(hq, "100234")]) == 0
    assert hq_main([*admin(hq), "devices", "lost", device_of(hq, "100300")]) == 0
    publish(hq, tmp_path, "1.1.0")
    taking, waiting = laptop(hq, tmp_path, "710001"), laptop(hq, tmp_path, "710002")
    try:
        assert hq_link.sync_once(taking).content_version == 1
        assert hq_link.sync_once(waiting).content_version == 1
        publish(hq, tmp_path, "1.2.0")
        assert hq_link.sync_once(taking).content_version == 2
    finally:
        taking.close()
        waiting.close()

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Lesson content").click()
    expect(page.locator("#uptake")).to_have_text(
        "Version 2 (current): 1 of 2 active laptops have taken it; 1 has not synced since it was published. "
        "Each laptop's version is on the Devices page."
    )
    page.get_by_role("link", name="Each laptop's version is on the Devices page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Devices")
    table = page.get_by_role("table")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for trainer, shown in (
            ("710001", "version 2, the newest"),
            ("710002", "version 1: not yet taken version 2"),
            ("100234", "not known"),
            ("100300", "not known"),
        ):
            row = table.get_by_role("row").filter(has_text=device_of(hq, trainer)[:8])
            cell = row.get_by_role("cell").nth(4)  # after trainer, unit, role and last contact
            expect(cell).to_have_text(shown)
            expect(cell).to_be_visible()
