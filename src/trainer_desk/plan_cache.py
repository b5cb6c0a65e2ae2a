"""The lesson plans as last read, kept so that the app's window need not parse them again at every start.

Reading the four bundled plans (TOML, Markdown, the force's facts filled in, every film and link checked)
takes some 40 ms, a sixth of a start. The result only changes when a file under a plan folder changes, the
force's facts change, or the program does; the cache is keyed on all three, and a file is judged by its
size, modification and change times and inode, so a plan edited in place or replaced by a sync is read
afresh. The key holds today's date too, because a plan past its review date warns from that day on.
Anything wrong with the cache (missing, damaged, from another version) means the plans are read from their
files, exactly as without it; the cache can be deleted at any time.

The cache is JSON rebuilt by the dataclasses' own type hints (`dataclass_json`), never a pickle: a file in
the data folder must not be able to run code in the app, only to describe plans, as the plan files do.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from trainer_desk import __version__
from trainer_desk.core import dataclass_json, force_clock, force_fields, lesson_plan, plan_library, plan_loader
from trainer_desk.core.dataclass_json import from_plain, to_plain
from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.plan_library import PlanLibrary

log = logging.getLogger(__name__)

FORMAT = 2


def cached_library(
    cache_file: Path, roots: Sequence[Path], force: ForceFields, load: Callable[[], PlanLibrary]
) -> PlanLibrary:
    """The library `load` would return, from `cache_file` when nothing it was read from has changed since."""
    key = to_plain(
        (
            FORMAT,
            __version__,
            _program(),
            tuple(str(r) for r in roots),
            _fingerprint(roots),
            tuple(sorted(force.values.items())),
            force_clock.today(),
        )
    )
    try:
        with cache_file.open("rb") as handle:
            stored = json.load(handle)
        if isinstance(stored, dict) and stored.get("key") == key:
            return from_plain(PlanLibrary, stored.get("library"))
    except FileNotFoundError:
        pass
    except (OSError, ValueError) as error:  # damaged, or written by another version: read the plans instead
        log.info("the lesson plan cache was not used (%s); reading the plans", type(error).__name__)
    library = load()
    _store(cache_file, {"key": key, "library": to_plain(library)})
    return library


def _store(cache_file: Path, entry: object) -> None:
    """Best effort: a cache that cannot be written (a read-only or full disk) only costs the next start. Each
    writer has its own temporary file, so two processes starting at once never write into one."""
    partial: Path | None = None
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=cache_file.parent, prefix=f".{cache_file.name}.", suffix=".partial")
        partial = Path(name)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(entry, out, ensure_ascii=False, separators=(",", ":"))
        partial.replace(cache_file)
    except OSError as error:
        log.info("the lesson plan cache was not written: %s", error.strerror)
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
        return
    for earlier in cache_file.parent.glob(f"{cache_file.stem}.*"):  # an older release's format (a pickle)
        if earlier != cache_file and earlier.is_file():
            with contextlib.suppress(OSError):  # left there, it only takes space
                earlier.unlink()


def _fingerprint(roots: Sequence[Path]) -> tuple[tuple[str, int, int, int, int], ...]:
    """Every file under `roots`, by name, size, modification and change times and inode."""
    found: list[tuple[str, int, int, int, int]] = []
    for root in roots:
        for folder, folders, files in os.walk(root):
            folders.sort()
            for name in sorted(files):
                path = Path(folder, name)
                try:
                    stat = path.stat()
                except OSError:
                    continue
                found.append((str(path), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return tuple(found)


def _program() -> tuple[tuple[str, int], ...]:
    """The modules that read plans, by file and modification time: a changed reader means a stale cache even
    within one version (an installed bundle has no such files, and is judged by its version alone)."""
    stamps = []
    for module in (lesson_plan, plan_loader, plan_library, force_fields, dataclass_json):
        try:
            stamps.append((module.__name__, Path(module.__file__ or "").stat().st_mtime_ns))
        except OSError:
            stamps.append((module.__name__, 0))
    return tuple(stamps)
