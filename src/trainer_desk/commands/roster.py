"""`trainer-desk roster import FILE`: replace the laptop's roster with an HR export, all or nothing. Only on a
laptop not enrolled with HQ: an enrolled one takes its roster from HQ."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.roster_import import read_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster, units
from trainer_desk.store.roster import RosterChanges
from trainer_desk.workspace import open_workspace

log = logging.getLogger(__name__)


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk roster` (its one-line help is in the command table)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser(
        "import", help="replace the roster with a .csv or .xlsx file (not on a laptop enrolled with HQ)"
    )
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    importing.add_argument(
        "--allow-shrink",
        action="store_true",
        help="go ahead even if more than a fifth of the roster would be marked as left",
    )
    importing.set_defaults(handler=run_import)
    exempt = actions.add_parser("exempt", help="excuse someone from a programme, or record another way they did it")
    exempt.add_argument("staff_number", metavar="NUMBER")
    exempt.add_argument("--programme", required=True, metavar="ID", help="a programme id, e.g. signa")
    exempt.add_argument("--reason", required=True, help="why: kept with the record and in the audit trail")
    exempt.add_argument(
        "--completed-another-way",
        action="store_true",
        help="they completed it another way (one to one, say) rather than being excused",
    )
    exempt.add_argument("--by", required=True, metavar="NUMBER", help="your staff number, for the audit trail")
    exempt.set_defaults(handler=run_exempt)


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        db = workspace.db
        roster.check_file_import_allowed(db)  # before reading: a file's problems are moot on an enrolled laptop
        read = read_roster(args.file, {u.code: u.name for u in units.list_units(db)}, roster.staff_number_holders(db))
        for note in read.notes:
            print(note)
        for warning in read.warnings:
            print(f"warning: {warning}")
        planned = roster.plan_changes(db, read.people)
        if args.dry_run:
            print(summary(len(read.people), args.file.name, planned, "would be"))
            if planned.shrink.needs_confirmation and not args.allow_shrink:
                print(f"note: {planned.shrink.describe()}: importing it needs --allow-shrink.")
            check_roster_shrink(planned.shrink, allow_shrink=True)  # an empty file is refused even in a dry run
            return 0
        if planned.shrink.needs_confirmation and not args.allow_shrink:
            print(summary(len(read.people), args.file.name, planned, "would be"))  # the counts, then the refusal
        changes = roster.replace_roster(
            db, read.people, now=workspace.clock(), actor="roster import", allow_shrink=args.allow_shrink
        )
        log.info(
            "roster imported: %d added, %d updated, %d left",
            len(changes.added),
            len(changes.updated),
            len(changes.left),
        )
        print(summary(len(read.people), args.file.name, changes, "were"))
    finally:
        workspace.close()
    return 0


def run_exempt(args: argparse.Namespace, paths: AppPaths) -> int:
    from trainer_desk.core.compliance_count import ExemptionKind
    from trainer_desk.lesson_content import load_plans
    from trainer_desk.report_jobs import find_programme
    from trainer_desk.store import exemptions

    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        kind = ExemptionKind.OTHER_WAY if args.completed_another_way else ExemptionKind.EXEMPT
        number = normalise_staff_number(args.staff_number)
        # Its id or title, as reports take it; a typo was recorded and left the person on the chase list.
        programme, _title = find_programme(workspace.db, load_plans(workspace.paths), args.programme)
        exemptions.record(workspace.db, number, programme, kind, args.reason, args.by, workspace.clock())
        print(f"recorded: {number} {kind.label} for {programme}")
    finally:
        workspace.close()
    return 0


def summary(read: int, name: str, changes: RosterChanges, verb: str) -> str:
    return (
        f"{read} people read from {name}: {len(changes.added)} {verb} added, "
        f"{len(changes.updated)} {verb} updated, {len(changes.left)} {verb} marked as left, "
        f"{changes.unchanged} unchanged."
    )
