"""The lesson plans a start reads from its cache are always the plans on disk: an edited or removed file, new
force facts or a damaged cache file each mean the plans are read again."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.plan_library import PlanLibrary, load_library
from trainer_desk.paths import bundled
from trainer_desk.plan_cache import cached_library

FORCE = ForceFields({"name": "Fernshire Police"})


def plans_in(root: Path, cache: Path, force: ForceFields = FORCE) -> tuple[PlanLibrary, int]:
    """The library, and how many times the plans were read from their files to make it."""
    reads = []

    def load() -> PlanLibrary:
        reads.append(1)
        return load_library(root, force=force)

    return cached_library(cache, [root], force, load), len(reads)


def test_a_second_start_uses_the_cache_and_sees_every_later_change(tmp_path: Path) -> None:
    root, cache = tmp_path / "plans", tmp_path / "cache" / "plans.pickle"
    shutil.copytree(bundled("lesson_plans"), root)
    first, reads = plans_in(root, cache)
    assert reads == 1 and cache.is_file()
    again, reads = plans_in(root, cache)
    assert reads == 0 and again == first

    plan_file = root / "upstander" / "plan.toml"
    plan_file.write_text(
        plan_file.read_text(encoding="utf-8").replace("Upstander: stepping in", "Upstander: stepping up"),
        encoding="utf-8",
    )
    edited, reads = plans_in(root, cache)
    assert reads == 1
    assert edited.get("upstander") is not None and edited.get("upstander").title.startswith("Upstander: stepping up")

    film = next((root / "upstander" / "videos").glob("*.mp4"))
    film.unlink()  # a film gone missing is a warning the trainer must see at once
    without_film, reads = plans_in(root, cache)
    assert reads == 1 and without_film != edited

    other_force = ForceFields({"name": "Dalesmoor Police"})
    _, reads = plans_in(root, cache, other_force)
    assert reads == 1


def test_a_damaged_cache_is_read_past(tmp_path: Path) -> None:
    root, cache = tmp_path / "plans", tmp_path / "plans.pickle"
    shutil.copytree(bundled("lesson_plans"), root)
    first, _ = plans_in(root, cache)
    cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
    again, reads = plans_in(root, cache)
    assert reads == 1 and again == first
    _, reads = plans_in(root, cache)
    assert reads == 0  # written whole again


def test_a_cache_that_cannot_be_written_costs_nothing_but_time(tmp_path: Path) -> None:
    root = tmp_path / "plans"
    shutil.copytree(bundled("lesson_plans"), root)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    library, reads = plans_in(root, blocked / "plans.pickle")
    assert reads == 1 and len(library.plans) >= 4
