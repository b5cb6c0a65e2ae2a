"""Everything that belongs to one data folder, opened in the right order and closed together.

Both the GUI and the command line start here: the single-instance lock first (so a second copy touches
nothing), then settings, then the database, then the demo roster on a brand-new database. The GUI claims the
folder before its window opens and opens the database once the window is on screen, so what opening needs
(the keyring, the database layer, the roster reader) is imported where it is used, not with this module.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trainer_desk.core.errors import UserFacingError
from trainer_desk.keychain import Keychain
from trainer_desk.paths import AppPaths, bundled, system_config_file
from trainer_desk.settings import Settings, load_settings
from trainer_desk.store.instance_lock import InstanceLock

if TYPE_CHECKING:
    from trainer_desk.key_store import AskPassphrase
    from trainer_desk.store.connection import Connector, Database

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Workspace:
    paths: AppPaths
    settings: Settings
    db: Database
    lock: InstanceLock
    connector: Connector
    clock: Clock = utc_now
    pages_checked: bool = True
    keychain: Keychain = field(default_factory=Keychain)  # where the database key and HQ's token are kept
    _writer: Database | None = None
    closed: bool = False

    @property
    def writer(self) -> Database:
        """The connection the background database worker writes through (the UI reads through `db`)."""
        if self._writer is None:
            from trainer_desk.store.connection import as_database

            self._writer = as_database(self.connector.connect(self.paths.database, check_same_thread=False))
        return self._writer

    def housekeeping(self) -> None:
        """Check every page if that was left for later (`open_workspace(check_pages=False)`), remove what HQ
        has long had, then take today's backup. Slow on a big file, so the GUI runs it on the database worker,
        through the writer connection. A damaged file raises `DamagedDatabaseError` before anything is written."""
        from trainer_desk.store import backups, retention

        self.check_pages_now()
        retention.purge_acknowledged(self.writer, self.clock(), self.settings.keep_synced_days)
        backups.daily_backup_if_due(
            self.writer.conn, self.paths.backups_dir, self.clock(), self.settings.backups_kept, self.connector
        )

    def check_pages_now(self) -> None:
        """Run SQLite's page-by-page check if `open_workspace` left it for later; raises `DamagedDatabaseError`."""
        if not self.pages_checked:
            from trainer_desk.store.connection import as_database
            from trainer_desk.store.database import check_every_page

            # On a connection of its own, closed at once: reading every page would otherwise leave the
            # writer's page cache full for the rest of the day.
            checker = as_database(self.connector.connect(self.paths.database, read_only=True))
            try:
                check_every_page(checker, self.paths.database, self.paths.backups_dir, self.connector)
            finally:
                checker.conn.close()
            self.pages_checked = True

    def close(self) -> None:
        """Safe to call twice (a wipe closes the workspace before its owner does)."""
        if self._writer is not None:
            self._writer.conn.close()
            self._writer = None
        if not self.closed:
            self.db.conn.close()
            self.lock.release()
            self.closed = True


def open_workspace(
    paths: AppPaths,
    clock: Clock = utc_now,
    ask_passphrase: AskPassphrase | None = None,
    *,
    check_pages: bool = True,
    lock: InstanceLock | None = None,
    keychain: Keychain | None = None,
) -> Workspace:
    """Open the data folder, claiming it first unless the caller holds its `lock` already. The app passes
    `check_pages=False` so that its window need not wait for SQLite's page-by-page check: `housekeeping`,
    which it runs next, does it before writing anything else."""
    from trainer_desk.key_store import database_key
    from trainer_desk.store import units
    from trainer_desk.store.connection import Connector
    from trainer_desk.store.database import open_database

    lock = lock or claim_data_folder(paths)
    try:
        settings = load_settings(system_config_file(), paths.user_config)
        is_new = not paths.database.exists()
        keychain = keychain or Keychain()
        key = (
            database_key(paths, settings.without_keyring, ask_passphrase, keychain)
            if settings.encrypt_database
            else None
        )
        connector = Connector(key)
        db = open_database(paths.database, paths.backups_dir, clock, connector=connector, check_pages=check_pages)
    except BaseException:
        lock.release()
        raise
    workspace = Workspace(
        paths=paths,
        settings=settings,
        db=db,
        lock=lock,
        connector=connector,
        clock=clock,
        pages_checked=check_pages,
        keychain=keychain,
    )
    if settings.units:
        units.ensure_units(db, settings.units)
    if is_new:
        _load_demo_roster(workspace)
    return workspace


def claim_data_folder(paths: AppPaths) -> InstanceLock:
    """Create the data folder and hold its lock: a second copy of the app stops here, having touched nothing."""
    try:
        paths.create()
    except OSError as error:
        raise UserFacingError(f"Cannot create the data folder {paths.data_dir}: {error.strerror}.") from error
    lock = InstanceLock(paths.lock_file)
    lock.acquire()
    return lock


def _load_demo_roster(workspace: Workspace) -> None:
    """A new installation starts with a made-up roster so every screen can be tried at once."""
    from trainer_desk.core.roster_import import read_roster_file
    from trainer_desk.store import roster, units

    known = {u.code: u.name for u in units.list_units(workspace.db)}
    people = read_roster_file(bundled("resources") / "demo_roster.csv", known)
    with workspace.db.atomic():
        roster.upsert_people(workspace.db, people)
        workspace.db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('roster_source', 'demo')")
    log.info("demo roster loaded: %d people", len(people))
