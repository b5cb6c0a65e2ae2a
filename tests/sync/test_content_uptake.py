"""HQ learns which lesson content each laptop holds from the laptop itself, once installed: real laptops
syncing to a real HQ, on SQLite and PostgreSQL. A laptop of an earlier release never says, and stays not known."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import content_uptake
from trainer_desk.hq import devices as hq_devices
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.sync.client import HqClient, SyncError
from trainer_desk.workspace import Workspace, open_workspace


def publish(hq: Hq, tmp_path: Path, plan_version: str) -> int:
    """Publish one plan at `plan_version` as HQ's next content version; returns its number."""
    folder = tmp_path / f"published-{plan_version}"
    shutil.copytree(bundled("lesson_plans") / "raising-concerns", folder / "raising-concerns")
    plan = folder / "raising-concerns" / "plan.toml"
    plan.write_text(plan.read_text().replace('version = "1.0.0"', f'version = "{plan_version}"'))
    return hq_content.publish_content(hq.engine, folder, hq.blobs, allow_sample_media=True)


def laptop(hq: Hq, tmp_path: Path, name: str, trainer: str) -> Workspace:
    workspace = open_workspace(AppPaths.resolve(tmp_path / name))
    assert hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, trainer, "NORTH")) == "NORTH"
    return workspace


def held_by_trainer(hq: Hq) -> dict[str, int | None]:
    return {d["trainer"]: d["content_version"] for d in hq_devices.list_devices(hq.engine)}


def test_hq_keeps_the_version_each_laptop_installed_not_the_one_it_was_offered(hq: Hq, tmp_path: Path) -> None:
    assert publish(hq, tmp_path, "1.1.0") == 1
    one, two = laptop(hq, tmp_path, "one", "100234"), laptop(hq, tmp_path, "two", "100300")
    try:
        assert hq_link.sync_once(one).content_version == 1
        assert hq_link.sync_once(two).content_version == 1
        assert held_by_trainer(hq) == {"100234": 1, "100300": 1}

        assert publish(hq, tmp_path, "1.2.0") == 2
        assert hq_link.sync_once(one).content_version == 2
        assert held_by_trainer(hq) == {"100234": 2, "100300": 1}  # the second has not synced since

        hq_link.sync_once(one)  # nothing new: HQ's record stays as it is
        assert held_by_trainer(hq) == {"100234": 2, "100300": 1}
    finally:
        one.close()
        two.close()
    newest = content_uptake.newest_version(hq.engine)
    assert newest is not None
    taken = content_uptake.uptake(hq_devices.list_devices(hq.engine), newest)
    assert taken.words() == "1 of 2 active laptops have taken it; 1 has not synced since it was published."


def test_a_laptop_of_an_earlier_release_stays_not_known_and_a_made_up_version_is_refused(
    hq: Hq, tmp_path: Path
) -> None:
    assert publish(hq, tmp_path, "1.1.0") == 1
    token = HqClient(hq.url).enroll(hq_devices.issue_code(hq.engine, "100234", "NORTH"), "older laptop")["token"]
    older = HqClient(hq.url, token)
    assert older.changes(0).content is not None  # offered the version, and pulls as that release does
    assert held_by_trainer(hq) == {"100234": None}
    assert older.content_held(1)
    assert held_by_trainer(hq) == {"100234": 1}
    with pytest.raises(SyncError, match="never published content version 9"):
        older.content_held(9)
    assert held_by_trainer(hq) == {"100234": 1}
