"""All the lesson plans a laptop has: the ones shipped with the app and the ones HQ has sent since.

A broken plan never hides the others: it is listed with its problems. Where HQ has sent a plan with the
same id as a bundled one, the higher version is the one trainers see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from trainer_desk.core.force_fields import FORCE_FILE, NO_FIELDS, ForceFields, fill_all, read_force_fields
from trainer_desk.core.lesson_plan import FaqEntry, LessonPlan
from trainer_desk.core.plan_loader import MANIFEST, SHARED_FAQ, PlanProblem, load_faq, load_plan, readable_title


@dataclass(frozen=True, slots=True)
class BrokenPlan:
    folder: Path
    problems: tuple[PlanProblem, ...]
    # The plan's title where its plan.toml could still be read, so the trainer recognises it ("" otherwise).
    title: str = ""

    def name(self) -> str:
        """How the library names it: by title with its folder, or by its folder alone."""
        return f"{self.title} ({self.folder.name})" if self.title else self.folder.name


@dataclass(frozen=True, slots=True)
class PlanLibrary:
    plans: tuple[LessonPlan, ...] = ()
    broken: tuple[BrokenPlan, ...] = ()
    shared_faq: tuple[FaqEntry, ...] = ()
    problems: tuple[PlanProblem, ...] = field(default=())  # in the shared FAQ

    def get(self, plan_id: str) -> LessonPlan | None:
        return next((p for p in self.plans if p.id == plan_id), None)


def _version_key(plan: LessonPlan) -> tuple[int, ...]:
    return version_order(plan.version)


def version_order(version: str) -> tuple[int, ...]:
    """A plan version ("1.10.0") as what orders it: numbers compared as numbers, not as text (where "1.10"
    comes before "1.9"). A plan's version is checked to be of this form when it is loaded."""
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def plan_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and (p / MANIFEST).exists())


def load_library(*roots: Path, force: ForceFields | None = None) -> PlanLibrary:
    """Load every plan under each root (later roots are newer sources, such as HQ's downloads), with the
    force's facts filled in: `force`, or else the newest root's force.toml, so that no `{{force.…}}` ever
    reaches a screen or a page unfilled."""
    if force is None:
        force = NO_FIELDS
        for root in roots:
            if (root / FORCE_FILE).is_file():
                force = read_force_fields(root / FORCE_FILE)[0]
    best: dict[str, LessonPlan] = {}
    broken: list[BrokenPlan] = []
    shared: list[FaqEntry] = []
    problems: list[PlanProblem] = []
    for root in roots:
        for folder in plan_folders(root):
            plan, found = load_plan(folder, force)
            if plan is None:
                broken.append(BrokenPlan(folder, tuple(found), readable_title(folder / MANIFEST)))
            elif plan.id not in best or _version_key(plan) >= _version_key(best[plan.id]):
                best[plan.id] = plan
        if (root / SHARED_FAQ).exists():
            shared = load_faq(root / SHARED_FAQ, problems) or shared
    shared = [fill_all(entry, force) for entry in shared]
    plans = sorted(best.values(), key=lambda p: p.title.casefold())
    return PlanLibrary(tuple(plans), tuple(broken), tuple(shared), tuple(problems))
