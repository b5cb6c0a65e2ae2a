"""The lesson plans a start reads from its cache are always the plans on disk: an edited or removed file, new
force facts or a damaged cache file each mean the plans are read again."""

from __future__ import annotations

import json
import os
import pickle
import shutil
from datetime import datetime, tzinfo
from pathlib import Path

import pytest

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
    root, cache = tmp_path / "plans", tmp_path / "cache" / "plans.json"
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
    root, cache = tmp_path / "plans", tmp_path / "plans.json"
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
    library, reads = plans_in(root, blocked / "plans.json")
    assert reads == 1 and len(library.plans) >= 4


def test_a_cache_file_can_describe_plans_but_never_run_code(tmp_path: Path) -> None:
    """Anyone able to write the data folder can change what the cache says; it must never become a way to
    run a program inside the app (a pickle would run this one on loading)."""
    root, cache = tmp_path / "plans", tmp_path / "plans.json"
    shutil.copytree(bundled("lesson_plans"), root)
    plans_in(root, cache)
    ran = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {ran}",))

    cache.write_bytes(pickle.dumps(Payload()))
    library, reads = plans_in(root, cache)
    assert reads == 1 and len(library.plans) >= 4
    assert not ran.exists()


def test_an_older_releases_pickled_cache_is_removed_once_the_new_one_is_written(tmp_path: Path) -> None:
    """An older release kept its cache as a pickle beside where the new one goes; nothing reads it now, and a
    file that could run code on loading has no business staying in the data folder."""
    root, cache = tmp_path / "plans", tmp_path / "cache" / "lesson-plans.json"
    shutil.copytree(bundled("lesson_plans"), root)
    cache.parent.mkdir()
    old = cache.parent / "lesson-plans.pickle"
    old.write_bytes(pickle.dumps({"plans": []}))
    plans_in(root, cache)
    assert cache.is_file() and not old.exists()
    assert sorted(p.name for p in cache.parent.iterdir()) == ["lesson-plans.json"]


def test_a_cache_whose_content_was_altered_is_read_past(tmp_path: Path) -> None:
    root, cache = tmp_path / "plans", tmp_path / "plans.json"
    shutil.copytree(bundled("lesson_plans"), root)
    first, _ = plans_in(root, cache)
    for change in (
        lambda plan: plan.update(duration_minutes="ninety"),  # text where a number belongs
        lambda plan: plan.update(run="rm -rf"),  # a field no plan has
        lambda plan: plan["sections"][0].update(kind="séance"),  # a section kind that does not exist
        lambda plan: plan.pop("title"),
    ):
        plans_in(root, cache)  # a good cache again
        stored = json.loads(cache.read_text(encoding="utf-8"))
        change(stored["library"]["plans"][0])
        cache.write_text(json.dumps(stored), encoding="utf-8")
        again, reads = plans_in(root, cache)
        assert reads == 1 and again == first


def test_the_cache_is_not_used_on_another_day(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A plan past its review date warns from that day on, with no file changed: a cache from yesterday must
    not hide that (the warning itself is the plan reader's, tested with it)."""
    root, cache = tmp_path / "plans", tmp_path / "plans.json"
    shutil.copytree(bundled("lesson_plans"), root)
    plans_in(root, cache)
    _, reads = plans_in(root, cache)
    assert reads == 0

    class Tomorrow(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Tomorrow:
            return cls.fromtimestamp(datetime.now(tz).timestamp() + 86400, tz)

    # the calendar, not our code, moves on: the force's day, which the cache goes by as HQ does
    monkeypatch.setattr("trainer_desk.core.force_clock.datetime", Tomorrow)
    _, reads = plans_in(root, cache)
    assert reads == 1
