"""`trainer-desk plans`: check lesson plans before they are published, and list what this laptop has."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from trainer_desk.core import force_files
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.force_fields import FORCE_FILE, ForceFields, read_force_fields
from trainer_desk.core.plan_library import plan_folders
from trainer_desk.core.plan_loader import MANIFEST, SHARED_FAQ, PlanProblem, load_faq, load_plan
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.lesson_content import PROGRAMME_RULES, load_plans
from trainer_desk.paths import AppPaths
from trainer_desk.settings import Settings


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
    """Errors fail the check; warnings (a missing film, a force field nobody has filled in) are listed and do
    not. Plans are checked with the force's facts from the force.toml beside them."""
    problems: list[PlanProblem] = []
    checked = 0
    for path in args.paths:
        if path.is_file() and path.name == SHARED_FAQ:
            load_faq(path, problems)
            checked += 1
        elif path.is_file() and path.name == PROGRAMME_RULES:
            _check_rules(path, problems)
            checked += 1
        elif path.is_file() and path.name == FORCE_FILE:
            _force_of(path.parent, problems)
            checked += 1
        elif (path / MANIFEST).exists():
            problems.extend(load_plan(path, _force_of(path.parent, []))[1])
            checked += 1
        elif path.is_dir() and plan_folders(path):
            force = _force_of(path, problems)
            problems.extend(_each_force_s_own(path))
            for folder in plan_folders(path):
                problems.extend(load_plan(folder, force)[1])
                checked += 1
            if (path / SHARED_FAQ).exists():
                load_faq(path / SHARED_FAQ, problems)
            if (path / PROGRAMME_RULES).exists():
                _check_rules(path / PROGRAMME_RULES, problems)
        else:
            problems.append(
                PlanProblem(
                    path, 1, "not a lesson plan folder (no plan.toml), a shared FAQ file, programme rules or force.toml"
                )
            )
    # What HQ refuses at publish (captions that cannot be read) fails the author's check too, though a laptop
    # only warns of it.
    errors = [p for p in problems if not p.warning or p.refused_at_publish]
    for problem in problems:
        kind = "" if problem in errors else "warning: "
        print(f"{_shown(problem.file)}:{problem.line}: {kind}{problem.message}", file=sys.stderr)
    warned = f", {counted(len(problems) - len(errors), 'warning')}" if len(problems) > len(errors) else ""
    print(
        f"{checked} checked, {counted(len(errors), 'problem')}{warned}"
        if errors
        else f"{checked} checked, all valid{warned}"
    )
    return 1 if errors else 0


def _force_of(root: Path, problems: list[PlanProblem]) -> ForceFields:
    """The force's facts in root/force.toml (a problem in it is reported against it). The force's name is
    never missing: left out, it is the force_name in IT's settings."""
    force, found = read_force_fields(root / FORCE_FILE)
    problems.extend(PlanProblem(root / FORCE_FILE, 1, message) for message in found)
    return force.over(ForceFields({"name": Settings().force_name}))


def _each_force_s_own(root: Path) -> list[PlanProblem]:
    """The problems of each force's own file in root/forces/ (`force_files`), each against its file: HQ
    refuses to publish them, and an author finds them sooner here. Their codes are HQ's to check."""
    found = []
    for message in force_files.problems_in(root, None):
        inside, _, said = message.partition(": ")
        found.append(PlanProblem(root / inside, 1, said))
    return found


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
        print(f"{broken.folder.name:24} BROKEN ({counted(len(broken.problems), 'problem')})")
    return 0
