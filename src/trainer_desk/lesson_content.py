"""The lesson plans this laptop uses: those shipped with the app, overlaid by the newest version HQ sent.

Older versions HQ sent stay on disk while anything uses them: a window open on one of their plans, or a
planned or unfinished session stamped with a plan version only they hold (resuming needs that exact version).
`prune_unused_content` removes the rest, at start-up or after a sync.
"""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from trainer_desk.core.force_fields import FORCE_FILE, ForceFields, read_force_fields
from trainer_desk.core.force_files import force_file, plain_code
from trainer_desk.core.lesson_plan import FaqEntry, LessonPlan
from trainer_desk.core.plan_library import PlanLibrary, load_library, plan_folders
from trainer_desk.core.plan_loader import MANIFEST, load_plan
from trainer_desk.core.programme_rules import ProgrammeRule, read_rules
from trainer_desk.paths import AppPaths, bundled, system_config_file
from trainer_desk.plan_cache import cached_library
from trainer_desk.settings import load_settings
from trainer_desk.sync import content
from trainer_desk.sync.content import current_content

if TYPE_CHECKING:
    from trainer_desk.store.connection import Database

log = logging.getLogger(__name__)

PROGRAMME_RULES = "programmes.toml"


def load_plans(paths: AppPaths, force: ForceFields | None = None) -> PlanLibrary:
    """Every plan this laptop has, with the force's facts filled in (`force`, or the force's own)."""
    from_hq = current_content(paths.content_dir)
    roots = (bundled("lesson_plans"), *([from_hq] if from_hq else []))
    if force is not None:  # a session's own facts: read afresh, leaving the laptop's cached plans alone
        return load_library(*roots, force=force)
    fields = force_fields(paths)
    return cached_library(paths.plan_cache, roots, fields, lambda: load_library(*roots, force=fields))


def for_session(paths: AppPaths, plan: LessonPlan, wellbeing_contact: str) -> tuple[LessonPlan, tuple[FaqEntry, ...]]:
    """`plan` and the shared FAQ as one session shows them: with the wellbeing contact named for it in place of
    the force's general one."""
    force = ForceFields({"wellbeing_lead": wellbeing_contact}).over(force_fields(paths))
    library = load_plans(paths, force)
    same = library.get(plan.id)
    if same is None or same.version != plan.version:  # an older version, kept for this session
        same = load_plan(plan.folder, force)[0]
    return same or plan, library.shared_faq


def force_fields(paths: AppPaths) -> ForceFields:
    """The force's facts for its plans: its own force's file in HQ's published content (`forces/CODE.toml`, the
    force its unit tree from HQ puts it in), then HQ's shared force.toml once it has sent any lesson content
    (else the bundled one), then what IT's settings fill in, then the force name from the settings."""
    from_hq = current_content(paths.content_dir)
    root = from_hq if from_hq is not None and (from_hq / FORCE_FILE).is_file() else bundled("lesson_plans")
    published, problems = read_force_fields(root / FORCE_FILE)
    for problem in problems:
        log.warning("%s: %s", FORCE_FILE, problem)
    code = content.noted_force(paths.content_dir)
    if from_hq is not None and code and plain_code(code):
        own, problems = read_force_fields(force_file(from_hq, code))
        for problem in problems:
            log.warning("%s: %s", force_file(from_hq, code).name, problem)
        published = own.over(published)
    settings = load_settings(system_config_file(), paths.user_config)
    return published.over(settings.force).over(ForceFields({"name": settings.force_name}))


def load_programme_rules(paths: AppPaths) -> dict[str, ProgrammeRule]:
    """The force's programme rules: HQ's published ones once it has sent any lesson content, else the bundled."""
    from_hq = current_content(paths.content_dir)
    if from_hq is not None and (from_hq / PROGRAMME_RULES).is_file():
        return read_rules(from_hq / PROGRAMME_RULES)
    return read_rules(bundled("lesson_plans") / PROGRAMME_RULES)


def find_plan(paths: AppPaths, plan_id: str, version: str, library: PlanLibrary | None = None) -> LessonPlan | None:
    """Exactly this version of a plan: from the library in use (`library`, or loaded), else from an older
    content version kept for a session stamped with it."""
    plan = (library or load_plans(paths)).get(plan_id)
    if plan is not None and plan.version == version:
        return plan
    current = current_content(paths.content_dir)
    for root in content.version_folders(paths.content_dir):
        if root == current:
            continue
        for folder in plan_folders(root):
            if _identity(folder) == (plan_id, version):
                found, _ = load_plan(folder, force_fields(paths))
                if found is not None:
                    return found
    return None


def content_in_use(paths: AppPaths, db: Database) -> set[Path]:
    """The plan folders of older content versions that planned or unfinished sessions need, because neither
    the bundled plans nor the version in use has their exact plan version."""
    wanted = {
        (str(plan_id), str(version))
        for plan_id, version in db.execute(
            "SELECT DISTINCT plan_id, plan_version FROM sessions WHERE deleted = 0"
            " AND (status IN ('planned', 'running') OR uuid IN (SELECT session_uuid FROM delivery_progress))"
        )
    }
    current = current_content(paths.content_dir)
    available = {_identity(f) for root in (bundled("lesson_plans"), current) if root for f in plan_folders(root)}
    wanted -= available
    needed: set[Path] = set()
    for root in content.version_folders(paths.content_dir):
        if root != current:
            needed.update(f for f in plan_folders(root) if _identity(f) in wanted)
    return needed


def prune_unused_content(
    paths: AppPaths, db: Database, open_folders: Iterable[Path] = (), older_than: int | None = None
) -> list[Path]:
    """Delete the older content versions nothing uses: none of `open_folders` (the plan folders the running
    app's windows show), no session in the database, and none from `older_than` on (the version a running
    app loaded its library from). Take `open_folders` after the app has switched to the newest library, so
    that no window opened later can show an older version."""
    removed = content.prune(paths.content_dir, [*content_in_use(paths, db), *open_folders], older_than)
    if removed:
        log.info("removed %d older lesson content folder(s) no longer in use", len(removed))
    return removed


def _identity(folder: Path) -> tuple[str, str] | None:
    """A plan folder's id and version, read from its manifest alone (the whole plan is not needed)."""
    try:
        data = tomllib.loads((folder / MANIFEST).read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    plan_id, version = data.get("id"), data.get("version")
    return (plan_id, version) if isinstance(plan_id, str) and isinstance(version, str) else None
