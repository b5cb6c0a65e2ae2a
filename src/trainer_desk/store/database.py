"""Open the local database safely: unlock it, check it, back it up, migrate it, or explain plainly why not."""

from __future__ import annotations

import logging
import os
import shlex
import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from trainer_desk.core import force_clock
from trainer_desk.core.errors import UserFacingError
from trainer_desk.store import backups
from trainer_desk.store.connection import (
    Connector,
    Database,
    DatabaseError,
    as_database,
    encrypt_in_place,
    is_plaintext,
    says_disk_full,
)
from trainer_desk.store.migration_runner import Migrations
from trainer_desk.store.migrations import migrations as schema_migrations

log = logging.getLogger(__name__)


def schema_version(db: Database, migrations: Migrations = schema_migrations) -> list[str]:
    """The names of the migrations this file has had, in order."""
    return migrations.applied(db)


def open_database(
    path: Path,
    backups_dir: Path,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    migrations: Migrations = schema_migrations,
    connector: Connector | None = None,
    *,
    check_pages: bool = True,
) -> Database:
    """Open (creating if needed), check and migrate the database, or explain plainly why not.

    `check_pages=False` leaves SQLite's page-by-page check (tens of milliseconds on a force's roster) to
    `check_every_page`, which the app runs just after its window is up; the key and the schema are checked
    here either way, and a migration always checks first.
    """
    connector = connector or Connector()
    path.parent.mkdir(parents=True, exist_ok=True)
    if connector.encrypted and path.exists():  # also finishes an encryption a power cut interrupted
        if is_plaintext(path):
            log.info("encrypting a database written before encryption was on")
        encrypt_in_place(path, connector)
        for copy in backups_dir.glob(f"*{backups.SUFFIX}"):
            encrypt_in_place(copy, connector)
    try:
        conn = connector.connect(path)
    except DatabaseError as error:
        raise _unreadable(path, backups_dir, connector, error) from error
    try:
        db = as_database(conn)
        pending = migrations.pending(db)
        if check_pages or pending:
            check_every_page(db, path, backups_dir, connector)
        _refuse_newer_schema(db, path, migrations)
        if pending and schema_version(db, migrations):
            copy = backups.backup_before_migration(conn, backups_dir, now(), connector)
            log.info("migrating database: %d pending; copy kept as %s", len(pending), copy.name)
        migrations.apply(db)
    except DatabaseError as error:
        conn.close()
        raise _translate(error, path, backups_dir, connector) from error
    except BaseException:
        conn.close()
        raise
    return db


def check_every_page(db: Database, path: Path, backups_dir: Path, connector: Connector) -> None:
    """SQLite's quick check of every page: a damaged file is explained (`DamagedDatabaseError`) before more is
    written to it."""
    findings = [row[0] for row in db.execute("PRAGMA quick_check")]
    if findings != ["ok"]:
        raise _damaged(path, backups_dir, connector, "\n".join(findings))


def _refuse_newer_schema(db: Database, path: Path, migrations: Migrations) -> None:
    known = set(migrations.names)
    unknown = [name for name in schema_version(db, migrations) if name not in known]
    if unknown:
        raise UserFacingError(
            f"The database {path} was written by a newer version of Trainer Desk "
            f"(it has schema changes this version does not know: {', '.join(unknown)}).",
            hint="Install the newer version again, or point Trainer Desk at another data folder. "
            "The file has not been changed.",
        )


def _unreadable(path: Path, backups_dir: Path, connector: Connector, error: DatabaseError) -> UserFacingError:
    detail = str(error)
    if connector.encrypted and not is_plaintext(path) and "not a database" in detail and not _disk_full(path):
        return UserFacingError(
            f"The database {path} cannot be unlocked: the key or passphrase does not match it, or the file is damaged.",
            hint="The file has not been changed. If you typed a passphrase, try again; otherwise ask your "
            "support team, who can restore it from HQ's records.",
        )
    return _translate(error, path, backups_dir, connector)


# Less free than this on the data folder's disk, and SQLite cannot open a database as it should (its write-ahead
# log and shared memory file need room): whatever SQLite said, the disk is full, not the file damaged.
FULL_BELOW_BYTES = 1024 * 1024


def _disk_full(path: Path) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < FULL_BELOW_BYTES
    except OSError:
        return False


class DamagedDatabaseError(UserFacingError):
    """The database file is damaged: nothing more may be written to it, and the app must close."""


def _damaged(path: Path, backups_dir: Path, connector: Connector, detail: str) -> DamagedDatabaseError:
    """One plain paragraph: what is wrong, the newest good backup and the command that puts it back. SQLite's
    own findings (up to a hundred lines of pages and cells, no one's data) go to the log for support."""
    log.error("database damaged: %s", detail)
    good = backups.last_good_backup(backups_dir, connector)
    if good is None:
        hint = "No good backup was found. Keep the damaged file: your support team may recover it. "
    else:
        taken = force_clock.local(datetime.fromtimestamp(good.stat().st_mtime, UTC))
        hint = (
            f"The newest good backup is {good}, from {taken:%d %b %Y %H:%M}. To put it back, close Trainer Desk "
            f"and run: trainer-desk --data-dir {_quoted(path.parent)} restore {_quoted(good)} "
            "(the damaged file is kept beside it). "
        )
    return DamagedDatabaseError(
        f"The database {path} is damaged and cannot be used.",
        hint=hint + "SQLite's findings are in the log.",
    )


def _quoted(path: Path) -> str:
    """A path as it can be pasted into this platform's terminal."""
    if os.name == "nt":
        return f'"{path}"'
    return shlex.quote(str(path))


def _translate(error: DatabaseError, path: Path, backups_dir: Path, connector: Connector) -> UserFacingError:
    text = str(error)
    if says_disk_full(error) or _disk_full(path):
        # Never called damaged: a restore would put back an older backup over records that are all there.
        return UserFacingError(
            f"Cannot use the database {path}: the disk is full or failing ({text}).",
            hint="Free some space on that disk and start Trainer Desk again. Nothing already saved has been lost; "
            "do not restore a backup.",
        )
    if "readonly" in text or "unable to open" in text:
        return UserFacingError(f"Cannot open the database {path} for writing ({text}).")
    return _damaged(path, backups_dir, connector, text)
