"""`trainer-desk backup`: take a whole copy of the database now, wherever the trainer wants it."""

from __future__ import annotations

import argparse
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.store.backups import take_backup
from trainer_desk.workspace import open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("backup", help="copy the database to a file, safely, while in use")
    parser.add_argument("-o", "--output", type=Path, help="where to write the copy (default: backups folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        stamp = workspace.clock().strftime("%Y%m%d-%H%M%S")
        target: Path = args.output or paths.backups_dir / f"manual-{stamp}.sqlite3"
        if target.exists():
            raise UserFacingError(f"{target}: already exists; choose another name")
        try:
            written = take_backup(workspace.db.conn, target.parent.resolve(), target.name, workspace.connector)
        except OSError as error:
            raise UserFacingError(f"{target}: cannot write the backup: {error.strerror}") from error
        print(f"backup written to {written}")
    finally:
        workspace.close()
    return 0
