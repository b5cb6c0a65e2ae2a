"""Copies of the database taken with SQLite's online backup API, so a copy is whole even while in use, and
encrypted with the same key as the database itself.

Two kinds: a rolling daily copy (the newest few are kept) and a copy taken just before a schema migration
(kept until removed by hand, since it is the way back from a failed upgrade).
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from trainer_desk.store.connection import AnyConnection, Connector, DatabaseError

log = logging.getLogger(__name__)

DAILY_PREFIX = "daily-"
PRE_MIGRATION_PREFIX = "pre-migration-"
SUFFIX = ".sqlite3"


def take_backup(source: AnyConnection, folder: Path, name: str, connector: Connector | None = None) -> Path:
    """Write a whole copy to `folder/name`; a partial copy never takes the final name."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    dest = (connector or Connector()).connect(partial)
    try:
        dest.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
        source.backup(dest)  # type: ignore[arg-type]  # both ends are SQLCipher connections
    finally:
        dest.close()
    partial.replace(target)
    log.info("backup written: %s", target.name)
    return target


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
