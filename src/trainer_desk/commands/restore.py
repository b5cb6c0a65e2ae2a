"""`trainer-desk restore BACKUP`: put a backup back in place of a damaged database, the command a damaged
database's message gives.

Only with the app closed (it takes the single-instance lock), only a backup SQLite finds sound, and the
damaged file is kept beside it rather than deleted: support may still recover something from it.
"""

from __future__ import annotations

import argparse
import sqlite3
from datetime import datetime
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.errors import UserFacingError
from trainer_desk.key_store import database_key
from trainer_desk.keychain import Keychain
from trainer_desk.paths import AppPaths, system_config_file
from trainer_desk.settings import load_settings
from trainer_desk.store.backups import is_healthy, restore_backup
from trainer_desk.store.connection import Connector, DatabaseError, is_plaintext
from trainer_desk.store.instance_lock import InstanceLock
from trainer_desk.sync.sync_state import WHOLE_PULLS


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk restore` (its one-line help is in the command table)."""
    parser.add_argument("backup", metavar="BACKUP", type=Path, help="the backup file to put back")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    backup: Path = args.backup.expanduser().resolve()
    if not backup.is_file():
        raise UserFacingError(f"{backup}: no such backup file")
    with InstanceLock(paths.lock_file):
        connector = Connector() if is_plaintext(backup) else _key_of(paths)
        if not is_healthy(backup, connector):
            raise UserFacingError(
                f"{backup} is not a sound backup of this database (damaged, or locked with another key).",
                hint="Nothing was changed. Choose another backup.",
            )
        try:
            aside = restore_backup(backup, paths.database, datetime.now().strftime("%Y%m%d-%H%M%S"))
        except OSError as error:
            raise UserFacingError(
                f"The backup could not be put back ({error.strerror}): the database is as it was.",
                hint="If the disk is full, free some space first: a full disk is not a damaged database, "
                "and nothing saved is lost while it stays.",
            ) from error
        _pull_everything_again(connector, paths.database)
    print(f"restored {backup}")
    print("If this laptop is enrolled with HQ, its next sync takes in HQ's whole record again, so what was recorded")
    print("after the backup counts here too.")
    if aside is not None:
        print(f"the previous database was kept as {aside}")
    return 0


def _pull_everything_again(connector: Connector, database: Path) -> None:
    """A backup holds the place in HQ's record this laptop had reached when it was made, and HQ never sends a
    laptop what it sent itself: what it recorded after the backup (at HQ, and counted there) would never count
    on this laptop again. Noting that it has had none of its pulls from the start makes its next sync take HQ's
    whole record, completions included."""
    conn = connector.connect(database)
    try:
        with conn:
            conn.execute("DELETE FROM sync_state WHERE key = ?", [WHOLE_PULLS])
    except (sqlite3.Error, DatabaseError):
        pass  # a backup from before laptops synced has no sync state: nothing to start again
    finally:
        conn.close()


def _key_of(paths: AppPaths) -> Connector:
    settings = load_settings(system_config_file(), paths.user_config)
    return Connector(database_key(paths, settings.without_keyring, ask_on_terminal, Keychain()))
