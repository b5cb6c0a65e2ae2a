"""`trainer-desk roster import FILE`: replace the laptop's roster with an HR export, all or nothing."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.roster_import import read_roster_file
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster, units
from trainer_desk.workspace import open_workspace

log = logging.getLogger(__name__)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("roster", help="import the roster from an HR export")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    importing = actions.add_parser("import", help="replace the roster with a .csv or .xlsx file")
    importing.add_argument("file", type=Path, metavar="FILE")
    importing.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    importing.set_defaults(handler=run_import)


def run_import(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        people = read_roster_file(args.file, [u.code for u in units.list_units(workspace.db)])
        if args.dry_run:
            changes = roster.plan_changes(workspace.db, people)
            verb = "would be"
        else:
            changes = roster.replace_roster(workspace.db, people, now=workspace.clock(), actor="roster import")
            verb = "were"
            log.info(
                "roster imported: %d added, %d updated, %d left",
                len(changes.added),
                len(changes.updated),
                len(changes.left),
            )
        print(
            f"{len(people)} people read from {args.file.name}: {len(changes.added)} {verb} added, "
            f"{len(changes.updated)} {verb} updated, {len(changes.left)} {verb} marked as left, "
            f"{changes.unchanged} unchanged."
        )
    finally:
        workspace.close()
    return 0
