"""`trainer-desk roster import FILE`: replace the laptop's roster with an HR export, all or nothing."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.roster_import import read_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster, units
from trainer_desk.store.roster import RosterChanges
from trainer_desk.workspace import open_workspace

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("roster", help="import the roster from an HR export")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="replace the roster with a .csv or .xlsx file")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    importing.add_argument(
        "--allow-shrink",
        action="store_true",
        help="go ahead even if more than a fifth of the roster would be marked as left",
    )
    importing.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        db = workspace.db
        read = read_roster(args.file, [u.code for u in units.list_units(db)], roster.staff_number_widths(db))
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


def summary(read: int, name: str, changes: RosterChanges, verb: str) -> str:
    return (
        f"{read} people read from {name}: {len(changes.added)} {verb} added, "
        f"{len(changes.updated)} {verb} updated, {len(changes.left)} {verb} marked as left, "
        f"{changes.unchanged} unchanged."
    )
