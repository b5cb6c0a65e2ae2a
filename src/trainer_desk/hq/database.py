"""HQ's database: the engine (SQLite or PostgreSQL, migrated on open), the server sequence every change is
numbered from, and the few helpers every part of HQ's storage shares."""

from __future__ import annotations

import contextlib
import hashlib
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Engine,
    String,
    Table,
    any_,
    create_engine,
    event,
    insert,
    literal,
    update,
)
from sqlalchemy.engine import make_url

from trainer_desk.hq import schema

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


def hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _owner_only(url: str) -> None:
    """A new SQLite database file is made readable by HQ's own account alone: it holds the force's roster and
    every registration, unencrypted, and was readable by every account on the server. SQLite gives its
    journal files the database file's permissions."""
    path = make_url(url).database
    if path and path != ":memory:" and not Path(path).exists():
        Path(path).touch(mode=0o600)


def open_engine(url: str) -> Engine:
    """An engine on `url`, migrated to the newest schema (Alembic) before anything else uses it."""
    sqlite = url.startswith("sqlite")
    # A SQLite connection is a file handle: no server to have gone away, so no ping before each use, and a
    # pool as large as the request thread pool (40) so busy moments never open new ones.
    # PostgreSQL: plan every statement for its own values. Otherwise, after a few runs of a prepared
    # statement, PostgreSQL may keep a generic plan made while a table was small (a sequential scan) and go on
    # using it as the table grows: pushes slowed from 0.05 s to 0.5 s each that way.
    connect_args = {} if sqlite else {"options": "-c plan_cache_mode=force_custom_plan"}
    if sqlite:
        _owner_only(url)
    # hide_parameters: an error's message quotes its statement, and otherwise the values too (a staff number,
    # a name), which would reach HQ's error output and whoever reads its logs.
    engine = create_engine(
        url,
        pool_pre_ping=not sqlite,
        pool_size=40 if sqlite else 20,
        max_overflow=20,
        connect_args=connect_args,
        hide_parameters=True,
    )
    if sqlite:

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA busy_timeout = 10000")
            cursor.execute("PRAGMA synchronous = FULL")
            cursor.close()

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    from trainer_desk.hq.completions import catch_up  # it writes through this module

    catch_up(engine)  # after an upgrade, fills the completions table from the records already held
    return engine


def next_seq(conn: Connection, count: int = 1) -> int:
    """Reserve `count` numbers of the server sequence; returns the last. The row lock this takes also makes
    changes commit in sequence order, so a pull never skips one."""
    return int(
        conn.execute(
            update(schema.counters)
            .where(schema.counters.c.name == "seq")
            .values(value=schema.counters.c.value + count)
            .returning(schema.counters.c.value)
        ).scalar_one()
    )


_SQLITE_WRITES = threading.Lock()


def writing(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """SQLite takes one writer at a time and makes the others sleep and retry in coarse steps; queueing them
    here instead keeps every push quick. PostgreSQL needs no such help."""
    return _SQLITE_WRITES if engine.dialect.name == "sqlite" else contextlib.nullcontext()


def one_of(conn: Connection, column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL as `= ANY` of one array: a statement naming thousands of uuids one
    by one costs more to build, send and plan than the lookup itself."""
    if conn.dialect.name == "postgresql":
        return column == any_(literal(values, ARRAY(String)))
    return column.in_(values)


def insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """On PostgreSQL through COPY: thousands of rows in one stream rather than a statement each, which halves
    the time 200 laptops' pushes spend in their shared transaction."""
    if conn.dialect.driver != "psycopg":
        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    with (
        conn.connection.driver_connection.cursor() as cursor,  # type: ignore[union-attr]
        cursor.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row([row[c] for c in columns])


def reading(engine: Engine) -> Engine:
    """For reads that need no transaction: on PostgreSQL, autocommit spares the BEGIN and ROLLBACK round
    trips; SQLite's driver begins nothing for reads anyway, and switching it costs more than it saves."""
    return engine if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="AUTOCOMMIT")
