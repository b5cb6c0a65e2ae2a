"""The lesson plans as last read, kept so that the app's window need not parse them again at every start.

Reading the four bundled plans (TOML, Markdown, the force's facts filled in, every film and link checked)
takes some 40 ms, a sixth of a start. The result only changes when a file under a plan folder changes, the
force's facts change, or the program does; the cache is keyed on all three, and a file is judged by its
size, modification and change times and inode, so a plan edited in place or replaced by a sync is read
afresh. Anything wrong with the cache (missing, damaged, from another version) means the plans are read
from their files, exactly as without it; the cache can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

from trainer_desk import __version__
from trainer_desk.core import force_fields, lesson_plan, plan_library, plan_loader
from trainer_desk.core.force_fields import ForceFields
from trainer_desk.core.plan_library import PlanLibrary

log = logging.getLogger(__name__)

FORMAT = 1
Fingerprint = tuple[tuple[str, int, int, int, int], ...]


def cached_library(
    cache_file: Path, roots: Sequence[Path], force: ForceFields, load: Callable[[], PlanLibrary]
) -> PlanLibrary:
    """The library `load` would return, from `cache_file` when nothing it was read from has changed since."""
    key = (FORMAT, __version__, _program(), tuple(str(r) for r in roots), _fingerprint(roots), force)
    try:
        with cache_file.open("rb") as handle:
            stored_key, library = pickle.load(handle)
        if stored_key == key and isinstance(library, PlanLibrary):
            return library
    except FileNotFoundError:
        pass
    except Exception as error:  # damaged, or written by another version: read the plans instead
        log.info("the lesson plan cache was not used (%s); reading the plans", type(error).__name__)
    library = load()
    _store(cache_file, (key, library))
    return library


def _store(cache_file: Path, entry: object) -> None:
    """Best effort: a cache that cannot be written (a read-only or full disk) only costs the next start."""
    partial = cache_file.with_name(f".{cache_file.name}.partial")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as handle:
            pickle.dump(entry, handle, protocol=pickle.HIGHEST_PROTOCOL)
        partial.replace(cache_file)
    except OSError as error:
        log.info("the lesson plan cache was not written: %s", error.strerror)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


def _fingerprint(roots: Sequence[Path]) -> Fingerprint:
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
    for module in (lesson_plan, plan_loader, plan_library, force_fields):
        try:
            stamps.append((module.__name__, Path(module.__file__ or "").stat().st_mtime_ns))
        except OSError:
            stamps.append((module.__name__, 0))
    return tuple(stamps)
