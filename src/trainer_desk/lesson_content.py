"""The lesson plans this laptop uses: those shipped with the app, overlaid by the newest version HQ sent."""

from __future__ import annotations

from trainer_desk.core.plan_library import PlanLibrary, load_library
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.sync.content import current_content


def load_plans(paths: AppPaths) -> PlanLibrary:
    from_hq = current_content(paths.content_dir)
    return load_library(bundled("lesson_plans"), *([from_hq] if from_hq else []))
