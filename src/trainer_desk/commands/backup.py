"""`trainer-desk backup`: take a whole copy of the database now, wherever the trainer wants it, even while the
app has it open.

Unlike every other command it takes no single-instance lock and opens nothing for writing: it reads the
database through a connection of its own (see `store.backups.copy_database`), which SQLite's WAL keeps safe
beside a running app.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.atomic_file import cannot_write
from trainer_desk.core.errors import UserFacingError
from trainer_desk.key_store import database_key
from trainer_desk.keychain import Keychain
from trainer_desk.paths import AppPaths, system_config_file
from trainer_desk.settings import load_settings
from trainer_desk.store.backups import SUFFIX, copy_database
from trainer_desk.store.connection import Connector, DatabaseError, is_plaintext


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk backup` (its one-line help is in the command table)."""
    parser.add_argument("-o", "--output", type=Path, help="where to write the copy (default: backups folder)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    if not paths.database.is_file():
        raise UserFacingError(f"There is no database in {paths.data_dir} yet: nothing to back up.")
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target: Path = (args.output or paths.backups_dir / f"manual-{stamp}{SUFFIX}").expanduser()
    if target.exists():
        raise UserFacingError(f"{target}: already exists; choose another name")
    connector = _reader(paths)
    folder = target.parent.resolve()
    try:
        written = copy_database(paths.database, folder, target.name, connector)
    except OSError as error:
        raise cannot_write(folder, error) from error
    except DatabaseError as error:
        raise UserFacingError(
            f"The database {paths.database} could not be read for a backup ({error}).",
            hint="Nothing was written. Open Trainer Desk (or run 'trainer-desk info') to have the file checked.",
        ) from error
    print(f"backup written to {written}")
    return 0


def _reader(paths: AppPaths) -> Connector:
    """The key the database is locked with, asked of the keyring (or the trainer) without making a new one:
    a database not yet encrypted is read as it is."""
    if is_plaintext(paths.database):
        return Connector()
    settings = load_settings(system_config_file(), paths.user_config)
    return Connector(database_key(paths, settings.without_keyring, ask_on_terminal, Keychain()))
