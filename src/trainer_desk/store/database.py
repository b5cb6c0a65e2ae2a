"""Open the local database safely: check it, back it up, migrate it, and configure every connection alike.

Every connection (the UI's and each worker's) comes from `connect`, so WAL, foreign keys, the busy timeout
and durability are the same everywhere.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from trainer_desk.core.errors import UserFacingError
from trainer_desk.store import backups
from trainer_desk.store.migrations import migrations as schema_migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


def connect(path: Path, *, check_same_thread: bool = True) -> sqlite3.Connection:
    """A connection in autocommit mode: transactions are explicit (`Database.atomic`).

    `check_same_thread=False` is for the writer connection, which the single database worker uses; the
    one-thread pool serialises it even when Qt replaces that worker thread after it idles.
    """
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=check_same_thread
    )
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        # FULL: a registration shown as saved must survive the laptop losing power a moment later.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn


def schema_version(db: Database, migrations: Migrations = schema_migrations) -> list[str]:
    """The names of the migrations this file has had, in order."""
    return [m.name for m in migrations.applied(db)]


def open_database(
    path: Path,
    backups_dir: Path,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    migrations: Migrations = schema_migrations,
) -> Database:
    """Open (creating if needed), check and migrate the database, or explain plainly why not."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        conn = connect(path)
    except sqlite3.DatabaseError as error:
        raise _damaged(path, backups_dir, str(error)) from error
    try:
        verdict = conn.execute("PRAGMA quick_check").fetchone()[0]
        if verdict != "ok":
            raise _damaged(path, backups_dir, verdict)
        db = Database(conn)
        _refuse_newer_schema(db, path, migrations)
        pending = migrations.pending(db)
        if pending and schema_version(db, migrations):
            copy = backups.backup_before_migration(conn, backups_dir, now())
            log.info("migrating database: %d pending; copy kept as %s", len(pending), copy.name)
        migrations.apply(db)
    except sqlite3.DatabaseError as error:
        conn.close()
        raise _translate(error, path, backups_dir) from error
    except BaseException:
        conn.close()
        raise
    return db


def _refuse_newer_schema(db: Database, path: Path, migrations: Migrations) -> None:
    known = {m.name for m in migrations.pending(Database(memory=True))}
    unknown = [name for name in schema_version(db, migrations) if name not in known]
    if unknown:
        raise UserFacingError(
            f"The database {path} was written by a newer version of Trainer Desk "
            f"(it has schema changes this version does not know: {', '.join(unknown)}).",
            hint="Install the newer version again, or point Trainer Desk at another data folder. "
            "The file has not been changed.",
        )


def _damaged(path: Path, backups_dir: Path, detail: str) -> UserFacingError:
    good = backups.last_good_backup(backups_dir)
    hint = (
        f"The last good backup is {good}. Close Trainer Desk, move the damaged file aside and copy "
        "the backup in its place."
        if good
        else "No good backup was found. Keep the damaged file: your support team may recover it."
    )
    return UserFacingError(f"The database {path} is damaged and cannot be used ({detail}).", hint=hint)


def _translate(error: sqlite3.DatabaseError, path: Path, backups_dir: Path) -> UserFacingError:
    text = str(error)
    if "disk is full" in text or "disk I/O" in text:
        return UserFacingError(
            f"Cannot write to the database {path}: the disk is full or failing ({text}).",
            hint="Free some space and try again. Nothing already saved has been lost.",
        )
    if "readonly" in text or "unable to open" in text:
        return UserFacingError(f"Cannot open the database {path} for writing ({text}).")
    return _damaged(path, backups_dir, text)
