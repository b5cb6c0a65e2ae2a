"""`trainer-desk plans`: check lesson plans before they are published, and list what this laptop has."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import plan_folders
from trainer_desk.core.plan_loader import MANIFEST, SHARED_FAQ, PlanProblem, load_faq, load_plan
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.lesson_content import PROGRAMME_RULES, load_plans
from trainer_desk.paths import AppPaths


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk plans` (its one-line help is in the command table)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    validate = actions.add_parser(
        "validate",
        help="check plan folders (or a folder of plans, or a shared FAQ file); exit 0 only if all are valid",
    )
    validate.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    validate.set_defaults(handler=run_validate)
    listing = actions.add_parser("list", help="list the lesson plans this laptop has")
    listing.set_defaults(handler=run_list)


def run_validate(args: argparse.Namespace, paths: AppPaths) -> int:
    problems: list[PlanProblem] = []
    checked = 0
    for path in args.paths:
        if path.is_file() and path.name == SHARED_FAQ:
            load_faq(path, problems)
            checked += 1
        elif path.is_file() and path.name == PROGRAMME_RULES:
            _check_rules(path, problems)
            checked += 1
        elif (path / MANIFEST).exists():
            problems.extend(load_plan(path)[1])
            checked += 1
        elif path.is_dir() and plan_folders(path):
            for folder in plan_folders(path):
                problems.extend(load_plan(folder)[1])
                checked += 1
            if (path / SHARED_FAQ).exists():
                load_faq(path / SHARED_FAQ, problems)
            if (path / PROGRAMME_RULES).exists():
                _check_rules(path / PROGRAMME_RULES, problems)
        else:
            problems.append(
                PlanProblem(path, 1, "not a lesson plan folder (no plan.toml), a shared FAQ file or programme rules")
            )
    for problem in problems:
        print(f"{_shown(problem.file)}:{problem.line}: {problem.message}", file=sys.stderr)
    print(f"{checked} checked, {len(problems)} problem(s)" if problems else f"{checked} checked, all valid")
    return 1 if problems else 0


def _check_rules(path: Path, problems: list[PlanProblem]) -> None:
    """The force's programme rules (who must complete what, by when), checked as the reports will read them."""
    try:
        read_rules(path)
    except UserFacingError as error:
        problems.append(PlanProblem(path, 1, str(error).removeprefix(f"{path}: ")))


def _shown(path: Path) -> str:
    """Paths as the person typed them: relative to where they are, when the file is below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    library = load_plans(paths)
    for plan in library.plans:
        print(f"{plan.id:24} v{plan.version:8} {plan.duration_minutes:4} min  {plan.title}")
    for broken in library.broken:
        print(f"{broken.folder.name:24} BROKEN ({len(broken.problems)} problem(s))")
    return 0
