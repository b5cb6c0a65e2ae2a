"""`trainer-desk info`: where this installation keeps things and what it holds (counts only)."""

from __future__ import annotations

import argparse

from trainer_desk import __version__
from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.logs import LOG_FILE_NAME
from trainer_desk.paths import AppPaths, system_config_file
from trainer_desk.store import outbox, roster
from trainer_desk.store.database import schema_version
from trainer_desk.workspace import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk info` (its one-line help is in the command table)."""
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        schema = schema_version(workspace.db)
        print(f"Trainer Desk {__version__}")
        print(f"data folder:      {paths.data_dir}")
        print(f"database:         {paths.database} (schema {schema[-1] if schema else 'none'})")
        print(f"backups:          {paths.backups_dir}")
        print(f"log file:         {paths.log_dir / LOG_FILE_NAME}")
        print(f"settings (IT):    {system_config_file()}")
        print(f"settings (yours): {paths.user_config}")
        key = workspace.connector.key
        how = "off" if key is None else ("on, key in the OS keyring" if key.raw else "on, start-up passphrase")
        print(f"encryption:       {how}")
        print(f"people on roster: {roster.count_people(workspace.db)}")
        held = outbox.held_back_count(workspace.db)
        print(f"waiting for HQ:   {outbox.waiting_count(workspace.db) - held}")
        print(f"not taken by HQ:  {held}")
    finally:
        workspace.close()
    return 0
