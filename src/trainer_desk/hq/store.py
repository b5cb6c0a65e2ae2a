"""HQ's records: enrollment, idempotent receipt of every laptop's changes, the roster and content versions.

Each push batch is one transaction, and each item is decided by its uuid and version alone, so a batch sent
twice, a batch half applied before a crash, or an old replay all end with every record stored exactly once.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import secrets
import threading
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    ARRAY,
    ColumnElement,
    Connection,
    Engine,
    RowMapping,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)

from trainer_desk.core.people import Person
from trainer_desk.hq import schema
from trainer_desk.sync.protocol import ItemResult, ItemStatus, PushItem, RosterChange

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


def hashed(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def canonical(item: PushItem) -> tuple[str, str]:
    """The payload as stored (keys sorted) and the item's fingerprint, from one encoding of the payload.
    The fingerprint is the sha256 of `json.dumps([op, payload], sort_keys=True)`, which HQ has always stored;
    a list encodes as its items' encodings joined by ", "."""
    payload = json.dumps(item.payload, sort_keys=True)
    return payload, hashlib.sha256(f"[{json.dumps(item.op)}, {payload}]".encode()).hexdigest()


def open_engine(url: str) -> Engine:
    """An engine on `url`, migrated to the newest schema (Alembic) before anything else uses it."""
    sqlite = url.startswith("sqlite")
    # A SQLite connection is a file handle: no server to have gone away, so no ping before each use, and a
    # pool as large as the request thread pool (40) so busy moments never open new ones.
    # PostgreSQL: plan every statement for its own values. Otherwise, after a few runs of a prepared
    # statement, PostgreSQL may keep a generic plan made while a table was small (a sequential scan) and go on
    # using it as the table grows: pushes slowed from 0.05 s to 0.5 s each that way.
    connect_args = {} if sqlite else {"options": "-c plan_cache_mode=force_custom_plan"}
    engine = create_engine(
        url, pool_pre_ping=not sqlite, pool_size=40 if sqlite else 20, max_overflow=20, connect_args=connect_args
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
    return engine


def _next_seq(conn: Connection, count: int = 1) -> int:
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


# --- devices ---------------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Device:
    id: str
    trainer: str
    unit: str
    role: str
    name: str
    revoked: bool
    lost: bool


def issue_code(engine: Engine, trainer: str, unit: str, role: str = "trainer", hours: int = 72) -> str:
    """A one-time code, bound to a trainer and unit, that a laptop exchanges for its device token."""
    code = "-".join(secrets.token_hex(2).upper() for _ in range(4))
    with engine.begin() as conn:
        conn.execute(
            insert(schema.enrollment_codes).values(
                code_hash=hashed(code),
                trainer=trainer,
                unit=unit,
                role=role,
                expires_at=(utc_now() + timedelta(hours=hours)).isoformat(),
            )
        )
    return code


def enroll(engine: Engine, code: str, device_name: str) -> tuple[Device, str] | None:
    """Exchange a valid, unused, unexpired code for a new device and its token (shown once, stored hashed)."""
    token = secrets.token_urlsafe(32)
    now = utc_now().isoformat()
    with engine.begin() as conn:
        row = (
            conn.execute(
                select(schema.enrollment_codes).where(
                    schema.enrollment_codes.c.code_hash == hashed(code.strip().upper())
                )
            )
            .mappings()
            .first()
        )
        if row is None or row["used_at"] is not None or row["expires_at"] < now:
            return None
        conn.execute(
            update(schema.enrollment_codes)
            .where(schema.enrollment_codes.c.code_hash == row["code_hash"])
            .values(used_at=now)
        )
        device = Device(str(uuidlib.uuid4()), row["trainer"], row["unit"], row["role"], device_name[:80], False, False)
        conn.execute(
            insert(schema.devices).values(
                id=device.id,
                token_hash=hashed(token),
                trainer=device.trainer,
                unit=device.unit,
                role=device.role,
                name=device.name,
                enrolled_at=now,
                revoked=False,
                lost=False,
            )
        )
    return device, token


def _active_devices(conn: Connection, tokens: Iterable[str]) -> dict[str, RowMapping]:
    """The enrolled, unrevoked devices these tokens belong to, by token, in one read."""
    by_hash = {hashed(t): t for t in tokens}
    return {
        by_hash[r["token_hash"]]: r
        for r in conn.execute(select(schema.devices).where(schema.devices.c.token_hash.in_(list(by_hash)))).mappings()
        if not r["revoked"]
    }


def _as_device(row: RowMapping) -> Device:
    return Device(row["id"], row["trainer"], row["unit"], row["role"], row["name"], row["revoked"], row["lost"])


def _unseen_lately(rows: Iterable[RowMapping]) -> list[str]:
    """Devices whose 'last seen' is due: it is kept to the nearest few minutes, not written on every request."""
    since = (utc_now() - timedelta(minutes=5)).isoformat()
    return [r["id"] for r in rows if not r["last_seen"] or r["last_seen"] < since]


def _note_seen(conn: Connection, device_ids: list[str]) -> None:
    if device_ids:
        conn.execute(
            update(schema.devices).where(schema.devices.c.id.in_(device_ids)).values(last_seen=utc_now().isoformat())
        )


def _note_seen_alone(engine: Engine, row: RowMapping) -> None:
    """For reads: a write transaction only when 'last seen' is due, so reads never queue behind pushes."""
    if due := _unseen_lately([row]):
        with _writing(engine), engine.begin() as conn:
            _note_seen(conn, due)


def device_for_token(engine: Engine, token: str) -> Device | None:
    with _reading(engine).connect() as conn:
        row = _active_devices(conn, [token]).get(token)
    if row is None:
        return None
    _note_seen_alone(engine, row)
    return _as_device(row)


def list_devices(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [
            dict(r)
            for r in conn.execute(
                select(
                    schema.devices.c.id,
                    schema.devices.c.trainer,
                    schema.devices.c.unit,
                    schema.devices.c.name,
                    schema.devices.c.enrolled_at,
                    schema.devices.c.last_seen,
                    schema.devices.c.revoked,
                    schema.devices.c.lost,
                ).order_by(schema.devices.c.enrolled_at)
            ).mappings()
        ]


def set_device_flag(engine: Engine, device_id: str, flag: str) -> bool:
    if flag not in ("revoked", "lost"):
        raise ValueError(flag)
    with engine.begin() as conn:
        done = conn.execute(update(schema.devices).where(schema.devices.c.id == device_id).values({flag: True}))
        return bool(done.rowcount)


# --- receiving records ----------------------------------------------------------------------------
_SQLITE_WRITES = threading.Lock()


def _writing(engine: Engine) -> contextlib.AbstractContextManager[object]:
    """SQLite takes one writer at a time and makes the others sleep and retry in coarse steps; queueing them
    here instead keeps every push quick. PostgreSQL needs no such help."""
    return _SQLITE_WRITES if engine.dialect.name == "sqlite" else contextlib.nullcontext()


def apply_pushes(engine: Engine, pushes: Sequence[tuple[str, list[PushItem]]]) -> list[list[ItemResult] | None]:
    """Decide every item of every push (each a device token and its items) in one transaction; see the module
    docstring for why that is safe to repeat. A push whose token is unknown or revoked is answered None and
    changes nothing. Pushes that arrive together are written together (group commit), so 200 laptops pushing
    at once cost a few transactions rather than 200, with one read of their devices.

    Decisions are made in memory against one read of the records and history involved, in arrival order, then
    written with one statement per kind of change, so a transaction costs a handful of round trips whatever
    its size."""
    now = utc_now().isoformat()
    answers: list[list[ItemResult] | None] = []
    with _writing(engine), engine.begin() as conn:
        devices = _active_devices(conn, {token for token, _ in pushes})
        _note_seen(conn, _unseen_lately(devices.values()))
        all_items = [i for token, items in pushes if token in devices for i in items]
        # Both keys named, so the lookups use the primary keys instead of scanning every record HQ holds.
        entities, uuids = list({i.entity for i in all_items}), list({i.uuid for i in all_items})
        current: dict[tuple[str, str], _Row] = {
            (r.entity, r.uuid): _Row(r.entity, r.uuid, r.version, bool(r.deleted))
            for r in conn.execute(
                select(
                    schema.records.c.entity, schema.records.c.uuid, schema.records.c.version, schema.records.c.deleted
                ).where(schema.records.c.entity.in_(entities), _one_of(conn, schema.records.c.uuid, uuids))
            )
        }
        seen = {
            (r.entity, r.uuid, r.version): r.fingerprint
            for r in conn.execute(
                select(schema.record_history).where(
                    schema.record_history.c.entity.in_(entities), _one_of(conn, schema.record_history.c.uuid, uuids)
                )
            )
        }
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        history: list[dict[str, Any]] = []
        conflicted: list[dict[str, Any]] = []
        for token, items in pushes:
            if token not in devices:
                answers.append(None)
                continue
            device_id = devices[token]["id"]
            results: list[ItemResult] = []
            for item in items:
                key = (item.entity, item.uuid)
                payload, print_ = canonical(item)
                known = seen.get((item.entity, item.uuid, item.version))
                stored = current.get(key)
                row = {
                    "entity": item.entity,
                    "uuid": item.uuid,
                    "version": item.version,
                    "deleted": item.op == "delete",
                    "payload": payload,
                    "device_id": device_id,
                    "received_at": now,
                }
                if known is not None:
                    same = known == print_
                    status = ItemStatus.DUPLICATE if same else ItemStatus.CONFLICT
                    reason = "" if same else "HQ has different content for this version"
                elif stored is None:
                    status, reason = ItemStatus.CREATED, ""
                    inserts.append({**row, "conflicted": False})
                elif stored.deleted:
                    status, reason = ItemStatus.REFUSED, "deleted at HQ: a deleted record is never brought back"
                elif item.version > stored.version and item.base_version == stored.version:
                    status, reason = ItemStatus.CREATED, ""
                    updates.append({**row, "b_entity": item.entity, "b_uuid": item.uuid})
                else:
                    status = ItemStatus.CONFLICT
                    reason = (
                        f"based on version {item.base_version}, but HQ's current version is {stored.version}: "
                        "another laptop changed it"
                    )
                    conflicted.append({"b_entity": item.entity, "b_uuid": item.uuid})
                if status is ItemStatus.CREATED:
                    current[key] = _Row(item.entity, item.uuid, item.version, item.op == "delete")
                    seen[(item.entity, item.uuid, item.version)] = print_
                    history.append(
                        {"entity": item.entity, "uuid": item.uuid, "version": item.version, "fingerprint": print_}
                    )
                results.append(ItemResult(item.uuid, item.version, status, reason))
            answers.append(results)
        _write_decisions(conn, inserts, updates, history, conflicted)
    return answers


def _one_of(conn: Connection, column: ColumnElement[str], values: list[str]) -> ColumnElement[bool]:
    """`column IN values`. On PostgreSQL as `= ANY` of one array: a statement naming thousands of uuids one
    by one costs more to build, send and plan than the lookup itself."""
    if conn.dialect.name == "postgresql":
        return column == any_(literal(values, ARRAY(String)))
    return column.in_(values)


def _insert_many(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
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


def _write_decisions(
    conn: Connection,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    history: list[dict[str, Any]],
    conflicted: list[dict[str, Any]],
) -> None:
    changed = inserts + updates
    if changed:
        last = _next_seq(conn, len(changed))
        for offset, row in enumerate(changed):
            row["seq"] = last - len(changed) + 1 + offset
    if inserts:
        _insert_many(conn, schema.records, inserts)
    if updates:
        conn.execute(
            update(schema.records)
            .where(schema.records.c.entity == bindparam("b_entity"), schema.records.c.uuid == bindparam("b_uuid"))
            .values(
                version=bindparam("version"),
                deleted=bindparam("deleted"),
                payload=bindparam("payload"),
                device_id=bindparam("device_id"),
                seq=bindparam("seq"),
                received_at=bindparam("received_at"),
            ),
            [{k: v for k, v in u.items() if k not in ("entity", "uuid")} for u in updates],
        )
    if conflicted:
        conn.execute(
            update(schema.records)
            .where(schema.records.c.entity == bindparam("b_entity"), schema.records.c.uuid == bindparam("b_uuid"))
            .values(conflicted=True),
            conflicted,
        )
    if history:
        _insert_many(conn, schema.record_history, history)


@dataclass(frozen=True, slots=True)
class _Row:
    entity: str
    uuid: str
    version: int
    deleted: bool


def count_records(engine: Engine, entity: str | None = None) -> int:
    query = select(func.count()).select_from(schema.records)
    if entity:
        query = query.where(schema.records.c.entity == entity)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def registrations(engine: Engine) -> Iterable[dict[str, Any]]:
    with engine.connect() as conn:
        for row in conn.execute(
            select(
                schema.records.c.payload, schema.records.c.seq, schema.records.c.deleted, schema.records.c.conflicted
            )
            .where(schema.records.c.entity == "attendance")
            .order_by(schema.records.c.seq)
        ):
            yield {**json.loads(row.payload), "seq": row.seq, "deleted": row.deleted, "conflicted": row.conflicted}


# --- roster and content going out ------------------------------------------------------------------
def import_roster(engine: Engine, people: list[Person]) -> tuple[int, int, int]:
    """Replace HQ's roster; every change gets a sequence number so laptops pull only what changed."""
    incoming = {p.staff_number: p for p in people}
    added = changed = left = 0
    with engine.begin() as conn:
        existing = {r.staff_number: r for r in conn.execute(select(schema.roster))}
        for number, person in incoming.items():
            old = existing.get(number)
            values = {
                "forename": person.forename,
                "surname": person.surname,
                "unit": person.unit_code,
                "role": person.role.value,
                "rank": person.rank,
                "team": person.team,
                "removed": False,
            }
            if old is None:
                conn.execute(
                    insert(schema.roster).values(staff_number=number, previous_unit=None, seq=_next_seq(conn), **values)
                )
                added += 1
            elif any(getattr(old, k) != v for k, v in values.items()):
                conn.execute(
                    update(schema.roster)
                    .where(schema.roster.c.staff_number == number)
                    .values(
                        previous_unit=old.unit if old.unit != person.unit_code else old.previous_unit,
                        seq=_next_seq(conn),
                        **values,
                    )
                )
                changed += 1
        for number, old in existing.items():
            if number not in incoming and not old.removed:
                conn.execute(
                    update(schema.roster)
                    .where(schema.roster.c.staff_number == number)
                    .values(removed=True, seq=_next_seq(conn))
                )
                left += 1
    return added, changed, left


@dataclass(frozen=True, slots=True)
class Pull:
    device: Device
    roster: list[RosterChange]
    cursor: int
    more: bool
    content: dict[str, Any] | None


def _reading(engine: Engine) -> Engine:
    """For reads that need no transaction: on PostgreSQL, autocommit spares the BEGIN and ROLLBACK round
    trips; SQLite's driver begins nothing for reads anyway, and switching it costs more than it saves."""
    return engine if engine.dialect.name == "sqlite" else engine.execution_options(isolation_level="AUTOCOMMIT")


def pull(engine: Engine, token: str, cursor: int, limit: int) -> Pull | None:
    """What a device needs since `cursor`, or None if its token is unknown or revoked.

    Most pulls find nothing new, so their cost is round trips: the device, the sequence counter and any newer
    content come in one statement, the roster changes in a second, outside a transaction (each statement is
    consistent on its own, and the counter is read first: a change numbered after it is left for the next
    pull, never skipped)."""
    latest = select(schema.counters.c.value).where(schema.counters.c.name == "seq").scalar_subquery()
    newest_content = (
        select(schema.content_versions.c.manifest)
        .where(schema.content_versions.c.seq > cursor)
        .order_by(schema.content_versions.c.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    with _reading(engine).connect() as conn:
        row = (
            conn.execute(
                select(schema.devices, latest.label("latest_seq"), newest_content.label("newest_manifest")).where(
                    schema.devices.c.token_hash == hashed(token)
                )
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked"]:
            return None
        device = _as_device(row)
        roster, next_cursor, more = _roster_changes(conn, device.unit, cursor, int(row["latest_seq"]), limit)
    _note_seen_alone(engine, row)
    content = json.loads(row["newest_manifest"]) if row["newest_manifest"] else None
    return Pull(device, roster, next_cursor, more, content)


def _roster_changes(
    conn: Connection, unit: str, cursor: int, latest: int, limit: int
) -> tuple[list[RosterChange], int, bool]:
    """Changes a unit needs after `cursor` up to `latest`; someone who moved out of the unit arrives as
    removed."""
    rows = list(
        conn.execute(
            select(schema.roster)
            .where(
                schema.roster.c.seq > cursor,
                schema.roster.c.seq <= latest,
                or_(schema.roster.c.unit == unit, schema.roster.c.previous_unit == unit),
            )
            .order_by(schema.roster.c.seq)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        RosterChange(
            r.seq,
            r.staff_number,
            r.forename,
            r.surname,
            r.unit,
            r.role,
            r.rank,
            bool(r.removed) or r.unit != unit,
            r.team,
        )
        for r in rows
    ]
    next_cursor = rows[-1].seq if more else max(latest, cursor)
    return changes, next_cursor, more


def publish_content(engine: Engine, folder: Path, blobs: Path) -> int:
    """Store every file of a lesson-plans folder by its sha256 and record the set as a new content version."""
    files = []
    blobs.mkdir(parents=True, exist_ok=True)
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")):
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        target = blobs / digest
        if not target.exists():
            partial = target.with_suffix(".partial")
            partial.write_bytes(data)
            partial.replace(target)
        files.append({"path": path.relative_to(folder).as_posix(), "sha256": digest, "size": len(data)})
    with engine.begin() as conn:
        version = (
            int(conn.execute(select(func.coalesce(func.max(schema.content_versions.c.version), 0))).scalar_one()) + 1
        )
        conn.execute(
            insert(schema.content_versions).values(
                version=version,
                seq=_next_seq(conn),
                manifest=json.dumps({"version": version, "files": files}),
                published_at=utc_now().isoformat(),
            )
        )
    return version


def records_of(engine: Engine, entity: str) -> Iterable[dict[str, Any]]:
    with engine.connect() as conn:
        for row in conn.execute(select(schema.records.c.payload).where(schema.records.c.entity == entity)):
            yield json.loads(row.payload)


def roster_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            r.unit: int(r.n)
            for r in conn.execute(
                select(schema.roster.c.unit, func.count().label("n"))
                .where(schema.roster.c.removed.is_(False))
                .group_by(schema.roster.c.unit)
            )
        }
