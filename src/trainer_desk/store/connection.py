"""Every connection to the local database, configured alike: SQLCipher encryption, WAL, foreign keys, a busy
timeout, full durability and secure deletion.

SQLCipher (through its prebuilt wheels) stands in for the standard library's sqlite3 everywhere, so the
database file, its WAL and every backup are encrypted with the same key. Without a key it behaves exactly like
SQLite, which is what the encryption benchmark compares against.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar, cast

from sqlcipher3 import dbapi2 as driver

from trainer_desk.core.atomic_file import sync_file, sync_folder
from trainer_desk.core.errors import WriteFailedError
from trainer_desk.core.people import written_name

Connection = driver.Connection
DatabaseError = driver.DatabaseError
IntegrityError = driver.IntegrityError
OperationalError = driver.OperationalError

if TYPE_CHECKING:  # the standard library's sqlite3 is never loaded: SQLCipher is the one SQLite here
    import sqlite3

    # SQLCipher's connection has the standard library's interface, and is typed as either.
    AnyConnection = sqlite3.Connection | Connection

BUSY_TIMEOUT_MS = 5000

T = TypeVar("T")


class Writer(Protocol):
    """Runs `work` in one write transaction on the connection that writes, and returns what it returns.

    The app has one writer (its database worker): the sync and everything else hand it their writes instead of
    writing on connections of their own, so writes happen one after another in the order asked."""

    def __call__(self, work: Callable[[Database], T], /) -> T: ...


def writing_on(db: Database) -> Writer:
    """A writer for a caller that is the only one writing (a command-line command, a test): the work runs at
    once, in a transaction on `db`."""

    def write(work: Callable[[Database], T]) -> T:
        with db.atomic():
            return work(db)

    return write


class Database:
    """The handle every store function takes: one connection (autocommit; transactions are explicit) with
    `execute` and `atomic`, the two things the store needs.

    This replaced sqlite-utils' Database, of which only these two were used: importing that library (with
    click, dateutil and pluggy, and a scan of installed packages for its plugins) cost every start of the app
    about 45 ms and 15 MiB.
    """

    __slots__ = ("conn",)

    def __init__(self, conn: AnyConnection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Sequence[object] | Mapping[str, object] = ()) -> sqlite3.Cursor:
        return cast("sqlite3.Cursor", self.conn.execute(sql, parameters))

    @contextlib.contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction, or a savepoint inside the one already open, that commits when the block ends and
        rolls back if it raises.

        The transaction begins IMMEDIATE, taking the write lock at once. A plain BEGIN reads first and asks
        for the lock at its first write; if another connection (a sync, the database worker) committed in
        between, SQLite refuses at once with "database is locked", busy timeout or not. BEGIN IMMEDIATE waits
        its turn (up to the busy timeout) instead, so no write is lost to a race.
        """
        if self.conn.in_transaction:
            savepoint = f"nested_{secrets.token_hex(8)}"
            self.conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                if self.conn.in_transaction:  # a failure may already have ended the whole transaction
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            self.conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
            self.conn.execute("COMMIT")
        except driver.OperationalError as error:
            self.rollback()
            if (plain := disk_full_error(error)) is not None:
                raise plain from error
            raise
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def columns(self, table: str) -> list[str]:
        """The column names of `table`, in order (for migrations and checks)."""
        return [str(row[1]) for row in self.conn.execute(f'PRAGMA table_info("{table}")')]


def says_disk_full(error: Exception) -> bool:
    """Whether SQLite's error is the disk's: full ("database or disk is full") or failing ("disk I/O error")."""
    text = str(error)
    return "disk is full" in text or "disk I/O" in text


def disk_full_error(error: Exception) -> WriteFailedError | None:
    """A write refused because the disk is full (or failing) said as such: not a fault in the program, and
    not a damaged database. Everything committed before is safe. None for any other error."""
    if not says_disk_full(error):
        return None
    return WriteFailedError(
        f"Not saved: the disk is full or failing ({error}).",
        hint="Free some space on this computer's disk and try again. Everything saved before is safe; do not "
        "restore a backup.",
    )


def as_database(conn: AnyConnection) -> Database:
    return Database(conn)


def memory_database(check_same_thread: bool = True) -> Database:
    """An empty database in memory, configured as the real one's connections are (autocommit). SQLCipher
    without a key is plain SQLite: the one SQLite the app loads."""
    conn = driver.connect(":memory:", isolation_level=None, check_same_thread=check_same_thread)
    _add_functions(conn)
    return Database(conn)


def _add_functions(conn: Connection) -> None:
    """What every query may call besides SQLite's own: `written_name(forename, surname)`, a person's name as
    they write it (`core.people.written_name`; NULL where a joined person is missing, for coalesce)."""
    conn.create_function(
        "written_name",
        2,
        lambda forename, surname: None if forename is None or surname is None else written_name(forename, surname),
        deterministic=True,
    )


PLAIN_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True, slots=True)
class DatabaseKey:
    """A random 32-byte key from the keyring, or a passphrase the trainer types (SQLCipher stretches it)."""

    raw: bytes | None = None
    passphrase: str | None = None

    def pragma_value(self) -> str:
        if self.raw is not None:
            return f"\"x'{self.raw.hex()}'\""
        return "'" + (self.passphrase or "").replace("'", "''") + "'"

    def __repr__(self) -> str:  # never print a key, even in a traceback
        return "DatabaseKey(<hidden>)"


@dataclass(frozen=True, slots=True)
class Connector:
    key: DatabaseKey | None = None

    @property
    def encrypted(self) -> bool:
        return self.key is not None

    def connect(self, path: Path, *, check_same_thread: bool = True, read_only: bool = False) -> Connection:
        """A connection in autocommit mode: transactions are explicit (`Database.atomic`).

        `check_same_thread=False` is for the writer connection, which only the one-thread database pool
        uses, even when Qt replaces that worker thread after it idles.
        """
        # A URI, so the path is percent-encoded: '?', '#' and '%' in a folder name would otherwise end it early.
        target = f"{Path(path).absolute().as_uri()}?mode=ro" if read_only else str(path)
        conn = driver.connect(
            target,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
            check_same_thread=check_same_thread,
            uri=read_only,
        )
        try:
            if self.key is not None:
                conn.execute(f"PRAGMA key = {self.key.pragma_value()}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # fails here on a wrong key
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            if not read_only:
                conn.execute("PRAGMA journal_mode = WAL")
            # FULL: a registration shown as saved must survive the laptop losing power a moment later.
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA secure_delete = ON")  # removed records are overwritten, not left in free pages
            _add_functions(conn)
        except DatabaseError:
            conn.close()
            raise
        return conn

    def unlocks(self, path: Path) -> bool:
        """Whether this key opens the database at `path`, read-only so that a wrong one changes nothing.

        Only a wrong key answers False: any other trouble is left for `open_database` to explain.
        """
        try:
            self.connect(path, read_only=True).close()
        except DatabaseError as error:
            return not (self.encrypted and not is_plaintext(path) and "not a database" in str(error))
        return True


def is_plaintext(path: Path) -> bool:
    """An unencrypted SQLite file starts with a readable header; an encrypted one looks like noise."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == PLAIN_HEADER
    except OSError:
        return False


def encrypt_in_place(path: Path, connector: Connector) -> None:
    """Turn an unencrypted database (from before encryption, or a plain backup) into an encrypted one.

    The encrypted copy is made beside it and swapped in only when whole; the plain file is then
    overwritten before it is removed, so no readable copy is left on the disk.
    """
    plain_copy = path.with_name(path.name + ".plain")
    if plain_copy.exists():  # an earlier run stopped after the swap: finish removing the readable copy
        _shred(plain_copy)
    if connector.key is None or not is_plaintext(path):
        return
    encrypted = path.with_name(path.name + ".encrypting")
    encrypted.unlink(missing_ok=True)
    plain = Connector(None).connect(path)
    try:
        plain.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        plain.execute(f"ATTACH DATABASE ? AS encrypted KEY {connector.key.pragma_value()}", [str(encrypted)])
        plain.execute("SELECT sqlcipher_export('encrypted')")
        version = plain.execute("PRAGMA user_version").fetchone()[0]
        plain.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        plain.execute("DETACH DATABASE encrypted")
    finally:
        plain.close()
    # Each step leaves a whole database at `path`, whenever the power goes: the encrypted copy is on the disk
    # before the plain one moves aside, and the plain one is shredded only once the swap is on the disk too.
    sync_file(encrypted)
    for leftover in (path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        leftover.unlink(missing_ok=True)
    path.replace(plain_copy)
    encrypted.replace(path)
    sync_folder(path.parent)
    _shred(plain_copy)


def _shred(path: Path) -> None:
    """Overwrite a readable copy before removing it, so its pages are not left on the disk."""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(b"\x00" * size)
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
    sync_folder(path.parent)
