"""HQ's own backups: every table of HQ's database and every published content file, in one zip that any HQ
restores, on SQLite or PostgreSQL alike (a backup of a SQLite pilot restores into the force's PostgreSQL).

The tables are read in one transaction, so the backup is one moment of HQ even while laptops sync. Each table
is a file of JSON lines (its column names, then one row per line), written in the order the schema declares
them and loaded back in that order into an HQ whose tables are empty, after which the database is migrated
to the newest schema, as on any start. Content files are kept by their sha256 and checked on the way back.
The console's signing key is not in it: after a restore, people sign in again. Nor are the secrets that sign
phone feedback and follow-up links (`hq_secrets`): with them, anyone holding a copy of the backup could forge
answers and links. A restored HQ makes new ones as it first needs them, so links made before the restore no
longer work, and each laptop takes its new feedback key at its next sync (see `LINKS_AFTER_RESTORE`).

A backup holds the force's roster and registers: it is written readable by HQ's account alone, and belongs
where HQ's database itself is kept safe.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, Integer, MetaData, create_engine, func, insert, inspect, select, text

from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import schema
from trainer_desk.hq.database import MIGRATIONS, utc_now

FORMAT = 1
BATCH = 5000
NAME_PREFIX = "hq-backup-"
NOT_BACKED_UP = frozenset({schema.hq_secrets.name, schema.sign_in_failures.name})  # signing keys; passing counts
LINKS_AFTER_RESTORE = (
    "phone feedback links and follow-up email links made before the restore no longer work: HQ signs new ones "
    "with new keys, and each laptop takes its new feedback key at its next sync"
)


@dataclass(frozen=True, slots=True)
class BackupFile:
    name: str
    size: int
    made_at: str


def make_backup(engine: Engine, blobs: Path, folder: Path) -> Path:
    """Write a backup of HQ into `folder` (made if need be); returns its path. Written to a temporary name
    and renamed when complete, so a half-written backup never looks like a backup."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    made_at = utc_now()
    target = folder / f"{NAME_PREFIX}{made_at:%Y%m%d-%H%M%S-%f}.zip"
    handle, partial_name = tempfile.mkstemp(dir=folder, suffix=".partial")  # readable by HQ's account alone
    os.close(handle)
    partial = Path(partial_name)
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as out:
            counts, revision, files = _write_tables(engine, out)
            for sha256 in sorted(files):
                source = blobs / sha256
                if not source.is_file():
                    raise UserFacingError(f"not backed up: published content file {sha256} is missing from HQ")
                out.write(source, f"blobs/{sha256}", compress_type=zipfile.ZIP_STORED)  # films do not shrink
            manifest = {"format": FORMAT, "revision": revision, "made_at": made_at.isoformat(), "tables": counts}
            out.writestr("manifest.json", json.dumps(manifest, indent=1))
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def backups(folder: Path) -> list[BackupFile]:
    """The backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if p.name.startswith(NAME_PREFIX) and p.suffix == ".zip" and p.is_file()]
    return [
        BackupFile(p.name, p.stat().st_size, datetime.fromtimestamp(p.stat().st_mtime).isoformat(" ", "minutes"))
        for p in sorted(found, key=lambda p: p.name, reverse=True)
    ]


def restore_backup(url: str, blobs: Path, archive: Path) -> dict[str, int]:
    """Load a backup into the database at `url`, which must hold nothing yet; returns rows per table.

    The database is first built to the schema the backup was made with, the rows go in, and then it is
    migrated to this release's schema: a backup from an older release restores, its data upgraded on the
    way, as that HQ's own database would have been."""
    engine = create_engine(url, hide_parameters=True)  # as `open_engine`: no values in an error message
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    try:
        with zipfile.ZipFile(archive) as zipped:
            manifest = json.loads(zipped.read("manifest.json"))
            if manifest.get("format") != FORMAT:
                raise UserFacingError(
                    f"{archive.name}: not a backup this HQ can read (format {manifest.get('format')})"
                )
            _known_revision(config, _revision(manifest), archive)
            blobs.mkdir(parents=True, exist_ok=True)
            for name in zipped.namelist():  # first: kept by their sha256, harmless if the rest fails
                if name.startswith("blobs/"):
                    _restore_blob(zipped, name, blobs)
            counts = {str(k): int(v) for k, v in manifest["tables"].items()}
            with engine.begin() as conn:
                config.attributes["connection"] = conn
                if inspect(conn).has_table("alembic_version"):
                    if _holds_anything(conn):
                        raise UserFacingError(
                            "not restored: this HQ already holds data. Restore into a new, empty database "
                            "(a new --home, or a new PostgreSQL database given with --db)."
                        )
                    command.downgrade(config, "base")  # empty: rebuilt below at the backup's revision
                command.upgrade(config, _revision(manifest))
                then = MetaData()
                then.reflect(conn)
                for table in then.sorted_tables:
                    if table.name == "alembic_version":
                        continue
                    conn.execute(table.delete())  # rows the migrations seeded (the counters) give way
                    if table.name not in NOT_BACKED_UP and f"tables/{table.name}.jsonl" in zipped.namelist():
                        _load_table(conn, table, zipped, f"tables/{table.name}.jsonl")
                if engine.dialect.name == "postgresql":
                    _continue_sequences(conn, then)
                command.upgrade(config, "head")
            if _postgres(engine):  # statistics for the loaded tables, or PostgreSQL plans every count as a scan
                with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                    conn.execute(text("ANALYZE"))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError) as error:
        raise UserFacingError(f"{archive.name}: not a whole HQ backup ({error})") from None
    finally:
        engine.dispose()
    return counts


def _write_tables(engine: Engine, out: zipfile.ZipFile) -> tuple[dict[str, int], str, set[str]]:
    counts: dict[str, int] = {}
    files: set[str] = set()
    with engine.connect() as conn:
        if _postgres(engine):
            conn = conn.execution_options(isolation_level="REPEATABLE READ")  # one snapshot for every table
        else:
            conn.exec_driver_sql("BEGIN")  # one read transaction: every table as of one moment
        revision = str(conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one())
        for table in schema.metadata.sorted_tables:
            if table.name in NOT_BACKED_UP:
                continue
            with out.open(f"tables/{table.name}.jsonl", "w", force_zip64=True) as sink:
                sink.write((json.dumps([c.name for c in table.columns]) + "\n").encode())
                n = 0
                for row in _rows(conn, table):
                    sink.write((json.dumps(list(row), ensure_ascii=False) + "\n").encode())
                    n += 1
                    if table is schema.content_versions:
                        files.update(str(f["sha256"]) for f in json.loads(row.manifest)["files"])
            counts[table.name] = n
        conn.rollback()
    return counts, revision, files


def _rows(conn: Connection, table: Any) -> Iterator[Any]:
    result = conn.execution_options(stream_results=True, yield_per=BATCH).execute(select(table))
    yield from result


def _load_table(conn: Connection, table: Any, zipped: zipfile.ZipFile, name: str) -> None:
    with zipped.open(name) as source:
        columns = json.loads(source.readline())
        known = {c.name for c in table.columns}
        if set(columns) - known:
            raise UserFacingError(f"the backup's {table.name} has columns this HQ does not know: restore it with "
                                  "the release that made it")  # fmt: skip
        batch: list[dict[str, Any]] = []
        for line in source:
            batch.append(dict(zip(columns, json.loads(line), strict=True)))
            if len(batch) >= BATCH:
                conn.execute(insert(table), batch)
                batch = []
        if batch:
            conn.execute(insert(table), batch)


def _restore_blob(zipped: zipfile.ZipFile, name: str, blobs: Path) -> None:
    sha256 = name.removeprefix("blobs/")
    if len(sha256) != 64 or not all(ch in "0123456789abcdef" for ch in sha256):
        raise UserFacingError(f"the backup holds a content file with an unexpected name: {name}")
    digest = hashlib.sha256()
    handle, partial_name = tempfile.mkstemp(dir=blobs, suffix=".partial")
    partial = Path(partial_name)
    try:
        with zipped.open(name) as source, os.fdopen(handle, "wb") as sink:
            while chunk := source.read(1 << 20):
                digest.update(chunk)
                sink.write(chunk)
        if digest.hexdigest() != sha256:
            raise UserFacingError(f"the backup's content file {sha256[:12]}… is damaged: its contents do not match")
        partial.replace(blobs / sha256)
    finally:
        partial.unlink(missing_ok=True)


def _known_revision(config: Config, revision: str, archive: Path) -> None:
    """A backup from a newer release names a schema this one has never heard of: say so, not Alembic's words."""
    try:
        known = ScriptDirectory.from_config(config).get_revision(revision) is not None
    except CommandError:
        known = False
    if not known:
        raise UserFacingError(
            f"{archive.name} was made by a newer release of HQ (schema {revision}): restore it with that release"
        )


def _continue_sequences(conn: Connection, tables: MetaData) -> None:
    """PostgreSQL numbers rows from a sequence that loading rows with their numbers does not move: set each to
    the highest number loaded, so the next row (a sign-in in the audit trail) does not collide."""
    for table in tables.sorted_tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer):
                conn.execute(
                    text(
                        "SELECT setval(s.name, (SELECT coalesce(max({c}), 0) + 1 FROM {t}), false)"
                        " FROM (SELECT pg_get_serial_sequence(:t, :c) AS name) s WHERE s.name IS NOT NULL".format(
                            c=f'"{column.name}"', t=f'"{table.name}"'
                        )
                    ),
                    {"t": table.name, "c": column.name},
                )


def _holds_anything(conn: Connection) -> bool:
    watched = (schema.records, schema.roster, schema.devices, schema.content_versions, schema.staff)
    return any(conn.execute(select(func.count()).select_from(t)).scalar_one() for t in watched)


def _revision(manifest: dict[str, Any]) -> str:
    revision = str(manifest.get("revision", ""))
    if not revision.replace("_", "").isalnum():
        raise ValueError("its schema revision is unreadable")
    return revision


def _postgres(engine: Engine) -> bool:
    return engine.dialect.name == "postgresql"
