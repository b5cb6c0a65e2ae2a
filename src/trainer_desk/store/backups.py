"""Copies of the database taken with SQLite's online backup API, so a copy is whole even while in use, and
encrypted with the same key as the database itself.

Two kinds: a rolling daily copy (the newest few are kept) and a copy taken just before a schema migration
(kept until removed by hand, since it is the way back from a failed upgrade).
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer_desk.core.atomic_file import sync_folder
from trainer_desk.store.connection import Connector, DatabaseError

if TYPE_CHECKING:
    from trainer_desk.store.connection import AnyConnection

log = logging.getLogger(__name__)

DAILY_PREFIX = "daily-"
PRE_MIGRATION_PREFIX = "pre-migration-"
SUFFIX = ".sqlite3"


def take_backup(source: AnyConnection, folder: Path, name: str, connector: Connector | None = None) -> Path:
    """Write a whole copy to `folder/name`; a partial copy never takes the final name, and is removed when the
    copy fails."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    partial.open("xb").close()  # a read-only or full disk fails here with its own reason, before SQLite's vaguer one
    try:
        dest = (connector or Connector()).connect(partial)
        try:
            source.backup(dest)  # type: ignore[arg-type]  # both ends are SQLCipher connections
            # The copy takes the source's pages, its WAL flag among them: a backup is one self-contained file.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        partial.replace(target)
    except BaseException:
        for leftover in (partial, *(partial.with_name(partial.name + end) for end in ("-wal", "-shm", "-journal"))):
            leftover.unlink(missing_ok=True)
        raise
    sync_folder(folder)
    log.info("backup written: %s", target.name)
    return target


def copy_database(database: Path, folder: Path, name: str, connector: Connector) -> Path:
    """A copy of the database at `database` through a read-only connection of its own, so it works beside a
    running app: under WAL the reader copies one consistent snapshot while the app goes on writing, and
    nothing in the database is changed (no lock, no migration, no checkpoint)."""
    source = connector.connect(database, read_only=True)
    try:
        return take_backup(source, folder, name, connector)
    finally:
        source.close()


def backup_before_migration(source: AnyConnection, folder: Path, now: datetime, connector: Connector) -> Path:
    return take_backup(source, folder, f"{PRE_MIGRATION_PREFIX}{now:%Y%m%d-%H%M%S}{SUFFIX}", connector)


def daily_backup_if_due(
    source: AnyConnection, folder: Path, now: datetime, keep: int, connector: Connector | None = None
) -> Path | None:
    """Take today's copy if there is none yet, then keep only the newest `keep` daily copies."""
    name = f"{DAILY_PREFIX}{now:%Y%m%d}{SUFFIX}"
    made = None if (folder / name).exists() else take_backup(source, folder, name, connector)
    for old in sorted(folder.glob(f"{DAILY_PREFIX}*{SUFFIX}"), reverse=True)[max(keep, 1) :]:
        old.unlink()
        log.info("old backup removed: %s", old.name)
    return made


def restore_backup(backup: Path, database: Path, stamp: str) -> Path | None:
    """Put a backup in the database's place, keeping what was there (with its -wal and -shm, which would
    otherwise be replayed onto the restored file) beside it as `NAME.damaged-STAMP`. Returns where the old
    file went, or None when there was none. The caller holds the single-instance lock."""
    incoming = database.with_name(database.name + ".restoring")
    try:
        shutil.copyfile(backup, incoming)
        with incoming.open("rb+") as handle:
            os.fsync(handle.fileno())
    except OSError:
        incoming.unlink(missing_ok=True)  # a part-copy (a full disk) is no use, and takes the room it needs
        raise
    aside = database.with_name(f"{database.name}.damaged-{stamp}")
    moved = None
    for end in ("", "-wal", "-shm"):
        current = database.with_name(database.name + end)
        if current.exists():
            current.replace(aside.with_name(aside.name + end))
            moved = moved or aside
    incoming.replace(database)
    sync_folder(database.parent)
    log.info("backup restored: %s", backup.name)
    return moved


def is_healthy(path: Path, connector: Connector | None = None) -> bool:
    try:
        conn = (connector or Connector()).connect(path, read_only=True)
    except DatabaseError:
        return False
    try:
        return bool(conn.execute("PRAGMA quick_check").fetchone()[0] == "ok")
    except DatabaseError:
        return False
    finally:
        conn.close()


def last_good_backup(folder: Path, connector: Connector | None = None) -> Path | None:
    """The newest backup that SQLite itself says is sound, to point a person at after damage."""
    candidates = sorted(folder.glob(f"*{SUFFIX}"), key=lambda p: p.stat().st_mtime, reverse=True)
    return next((p for p in candidates if is_healthy(p, connector)), None)
