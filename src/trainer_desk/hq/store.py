"""HQ's records: enrollment, idempotent receipt of every laptop's changes, the roster and content versions.

Each push batch is one transaction, and each item is decided by its uuid and version alone, so a batch sent
twice, a batch half applied before a crash, or an old replay all end with every record stored exactly once.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
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

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import ownership, schema
from trainer_desk.hq.ownership import Recorder, SessionAtHq
from trainer_desk.sync.protocol import (
    ContentManifest,
    ItemResult,
    ItemStatus,
    ProtocolError,
    PushItem,
    RosterChange,
    safe_content_path,
)

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


MAX_CODE_HOURS = 24 * 30
RETRY_WINDOW = timedelta(hours=24)  # how long a lost enrollment answer can be asked for again


def issue_code(engine: Engine, trainer: str, unit: str, role: str = "trainer", hours: int = 72) -> str:
    """A one-time code, bound to a trainer and unit, that a laptop exchanges for its device token."""
    units = [u.code for u in DEFAULT_UNITS]
    if unit not in units:
        raise UserFacingError(f"unknown unit {unit!r}: one of {', '.join(units)}")
    if not 1 <= hours <= MAX_CODE_HOURS:
        raise UserFacingError(f"a code is valid for 1 to {MAX_CODE_HOURS} hours, not {hours}")
    trainer = trainer.strip()
    if not trainer or len(trainer) > 20 or not trainer.isprintable():
        raise UserFacingError("the trainer's staff number must be 1 to 20 printable characters")
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


def enroll(engine: Engine, code: str, device_name: str, device_key: str | None = None) -> tuple[Device, str] | None:
    """Exchange a valid, unused, unexpired code for a new device and its token (shown once, stored hashed), or
    None. The code is claimed by one conditional update, so two laptops racing with one code get one device.

    With a device key, the token is derived from the code and the key, so a retry after a lost answer (same
    code, same key) is answered with the same device and token; a stranger holding the used code alone gets
    nothing. HQ still stores only the token's hash."""
    normal = code.strip().upper()
    token = _token_for(normal, device_key)
    now = utc_now()
    device_id = str(uuidlib.uuid4())
    codes = schema.enrollment_codes
    with _writing(engine), engine.begin() as conn:
        claimed = (
            conn.execute(
                update(codes)
                .where(
                    codes.c.code_hash == hashed(normal),
                    codes.c.used_at.is_(None),
                    codes.c.expires_at >= now.isoformat(),
                )
                .values(used_at=now.isoformat(), device_id=device_id)
                .returning(codes.c.trainer, codes.c.unit, codes.c.role)
            )
            .mappings()
            .first()
        )
        if claimed is None:
            return _enrolled_before(conn, hashed(normal), token, now) if device_key else None
        device = Device(device_id, claimed["trainer"], claimed["unit"], claimed["role"], device_name[:80], False, False)
        conn.execute(
            insert(schema.devices).values(
                id=device.id,
                token_hash=hashed(token),
                trainer=device.trainer,
                unit=device.unit,
                role=device.role,
                name=device.name,
                enrolled_at=now.isoformat(),
                revoked=False,
                lost=False,
            )
        )
    return device, token


def _token_for(code: str, device_key: str | None) -> str:
    if device_key is None:
        return secrets.token_urlsafe(32)
    digest = hmac.new(device_key.encode(), b"trainer-desk enrollment " + code.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _enrolled_before(conn: Connection, code_hash: str, token: str, now: datetime) -> tuple[Device, str] | None:
    """The device this code already enrolled, if the same device key asks again within a day and the device
    is still in service."""
    row = (
        conn.execute(
            select(schema.devices, schema.enrollment_codes.c.used_at)
            .join(schema.enrollment_codes, schema.enrollment_codes.c.device_id == schema.devices.c.id)
            .where(schema.enrollment_codes.c.code_hash == code_hash)
        )
        .mappings()
        .first()
    )
    if row is None or row["revoked"] or not hmac.compare_digest(row["token_hash"], hashed(token)):
        return None
    if datetime.fromisoformat(row["used_at"]) + RETRY_WINDOW < now:
        return None
    return _as_device(row), token


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

    Decisions are made in memory against one read of the records, history and sessions involved, in arrival
    order, then written with one statement per kind of change, so a transaction costs a handful of round trips
    whatever its size. Who may change what is `ownership`'s rule; an item it refuses changes nothing and is
    answered on its own, so the items after it are decided as if it had never been sent."""
    answers: list[list[ItemResult] | None] = []
    with _writing(engine), engine.begin() as conn:
        devices = _active_devices(conn, {token for token, _ in pushes})
        _note_seen(conn, _unseen_lately(devices.values()))
        senders = {token: Recorder(r["id"], r["trainer"], r["unit"], r["role"]) for token, r in devices.items()}
        sent = [(senders[token], i) for token, items in pushes if token in senders for i in items]
        decisions = _Decisions.read(conn, sent)
        for token, items in pushes:
            who = senders.get(token)
            answers.append(None if who is None else [decisions.decide(who, item) for item in items])
        decisions.write(conn)
    return answers


@dataclass(frozen=True, slots=True)
class _Row:
    entity: str
    uuid: str
    version: int
    deleted: bool
    created_by: str


class _Decisions:
    """One transaction's view of the records, their history and their sessions, kept up to date in memory as
    each item is decided, and the writes those decisions make."""

    def __init__(
        self,
        current: dict[tuple[str, str], _Row],
        seen: dict[tuple[str, str, int], str],
        sessions: dict[str, SessionAtHq],
        stored_sessions: dict[tuple[str, str], str | None],
    ) -> None:
        self.now = utc_now().isoformat()
        self.current, self.seen, self.sessions, self.stored_sessions = current, seen, sessions, stored_sessions
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.conflicted: list[dict[str, Any]] = []

    @classmethod
    def read(cls, conn: Connection, sent: list[tuple[Recorder, PushItem]]) -> _Decisions:
        records, history = schema.records, schema.record_history
        # Both keys named, so the lookups use the primary keys instead of scanning every record HQ holds.
        entities, uuids = list({i.entity for _, i in sent}), list({i.uuid for _, i in sent})
        current = {
            (r.entity, r.uuid): _Row(r.entity, r.uuid, r.version, bool(r.deleted), r.created_by)
            for r in conn.execute(
                select(
                    records.c.entity, records.c.uuid, records.c.version, records.c.deleted, records.c.created_by
                ).where(records.c.entity.in_(entities), _one_of(conn, records.c.uuid, uuids))
            )
        }
        seen = {
            (r.entity, r.uuid, r.version): r.fingerprint
            for r in conn.execute(
                select(history).where(history.c.entity.in_(entities), _one_of(conn, history.c.uuid, uuids))
            )
        }
        # Records another device created: the session each is in now decides whether this one may change it.
        foreign = {
            key
            for who, i in sent
            if (key := (i.entity, i.uuid)) in current and current[key].created_by != who.id and i.entity != "session"
        }
        stored_sessions = _sessions_of(conn, foreign)
        wanted = {ownership.session_named(i.entity, i.uuid, i.payload) for _, i in sent}
        wanted |= set(stored_sessions.values())
        return cls(current, seen, _sessions_at_hq(conn, {w for w in wanted if w}), stored_sessions)

    def decide(self, who: Recorder, item: PushItem) -> ItemResult:
        status, reason = self._decision(who, item)
        return ItemResult(item.uuid, item.version, status, reason)

    def _decision(self, who: Recorder, item: PushItem) -> tuple[ItemStatus, str]:
        key = (item.entity, item.uuid)
        payload, print_ = canonical(item)
        # The stored form escapes everything beyond ASCII, so only one with a surrogate escape needs a look.
        if "\\ud" in payload and item.unencodable_text():
            return ItemStatus.REFUSED, ownership.UNENCODABLE
        known = self.seen.get((item.entity, item.uuid, item.version))
        stored = self.current.get(key)
        if known == print_:
            return ItemStatus.DUPLICATE, ""  # a replay changes nothing, whoever sends it
        if (
            stored is not None
            and stored.created_by != who.id
            and not ownership.may_change(who, stored.created_by, self._session_of(key))
        ):
            return ItemStatus.REFUSED, ownership.NOT_YOURS
        if known is not None:
            return ItemStatus.CONFLICT, "HQ has different content for this version"
        if stored is not None and stored.deleted:
            return ItemStatus.REFUSED, "deleted at HQ: a deleted record is never brought back"
        if stored is not None and not (item.version > stored.version and item.base_version == stored.version):
            self.conflicted.append({"b_entity": item.entity, "b_uuid": item.uuid})
            return ItemStatus.CONFLICT, (
                f"based on version {item.base_version}, but HQ's current version is {stored.version}: "
                "another laptop changed it"
            )
        # A tombstone for a record HQ holds is decided by that record; its own payload decides nothing.
        if (stored is None or item.op != "delete") and (refusal := self._refusal(who, item)):
            return ItemStatus.REFUSED, refusal
        row = {
            "entity": item.entity,
            "uuid": item.uuid,
            "version": item.version,
            "deleted": item.op == "delete",
            "payload": payload,
            "device_id": who.id,
            "received_at": self.now,
        }
        if stored is None:
            creator = who.id
            self.inserts.append({**row, "created_by": creator, "conflicted": False})
        else:
            creator = stored.created_by
            self.updates.append({**row, "b_entity": item.entity, "b_uuid": item.uuid})
        self.current[key] = _Row(item.entity, item.uuid, item.version, item.op == "delete", creator)
        self.seen[(item.entity, item.uuid, item.version)] = print_
        self.history.append({"entity": item.entity, "uuid": item.uuid, "version": item.version, "fingerprint": print_})
        if item.entity == "session":
            self.sessions[item.uuid] = SessionAtHq.from_payload(item.uuid, item.payload, creator)
        else:
            self.stored_sessions[key] = ownership.session_named(item.entity, item.uuid, item.payload)
        return ItemStatus.CREATED, ""

    def _session_of(self, key: tuple[str, str]) -> SessionAtHq | None:
        entity, uuid = key
        named = uuid if entity == "session" else self.stored_sessions.get(key)
        return self.sessions.get(named) if named else None

    def _refusal(self, who: Recorder, item: PushItem) -> str:
        if item.entity == "session":
            return ownership.new_session_refusal(who, item.payload)
        named = ownership.session_named(item.entity, item.uuid, item.payload)
        return ownership.session_refusal(who, named, self.sessions.get(named) if named else None, item.entity)

    def write(self, conn: Connection) -> None:
        _write_decisions(conn, self.inserts, self.updates, self.history, self.conflicted)


def _sessions_of(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """The session each of these stored records names in its current version."""
    if not keys:
        return {}
    found: dict[tuple[str, str], str | None] = {}
    for r in conn.execute(
        select(schema.records.c.entity, schema.records.c.uuid, schema.records.c.payload).where(
            schema.records.c.entity.in_(list({e for e, _ in keys})),
            _one_of(conn, schema.records.c.uuid, list({u for _, u in keys})),
        )
    ):
        if (r.entity, r.uuid) in keys:
            payload = json.loads(r.payload)
            found[(r.entity, r.uuid)] = ownership.session_named(
                r.entity, r.uuid, payload if isinstance(payload, dict) else {}
            )
    return found


def _sessions_at_hq(conn: Connection, uuids: set[str]) -> dict[str, SessionAtHq]:
    if not uuids:
        return {}
    sessions: dict[str, SessionAtHq] = {}
    for r in conn.execute(
        select(schema.records.c.uuid, schema.records.c.payload, schema.records.c.created_by).where(
            schema.records.c.entity == "session", _one_of(conn, schema.records.c.uuid, list(uuids))
        )
    ):
        payload = json.loads(r.payload)
        sessions[r.uuid] = SessionAtHq.from_payload(r.uuid, payload if isinstance(payload, dict) else {}, r.created_by)
    return sessions


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
    """Store every file of a lesson-plans folder by its sha256 and record the set as a new content version.

    Hidden files and folders (a name starting with '.') are left out. Every other path must pass the rule every
    laptop applies (`safe_content_path`), checked before anything is stored: one name a laptop refuses would
    make every laptop's pull fail, and with it roster updates and remote wipes."""
    paths = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    unsafe = [
        p.relative_to(folder).as_posix() for p in paths if not safe_content_path(p.relative_to(folder).as_posix())
    ]
    if unsafe:
        raise UserFacingError(
            "not published: laptops accept only names made of letters, digits, '.', '_' and '-' "
            "(not starting with '.'); rename:\n  " + "\n  ".join(unsafe)
        )
    files: list[dict[str, Any]] = []
    blobs.mkdir(parents=True, exist_ok=True)
    for path in paths:
        data = path.read_bytes()
        files.append(
            {"path": path.relative_to(folder).as_posix(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )
    try:
        ContentManifest.from_wire({"version": 1, "files": files})  # exactly what a laptop will check
    except ProtocolError as error:
        raise UserFacingError(f"not published: {error}") from None
    for path, entry in zip(paths, files, strict=True):
        target = blobs / str(entry["sha256"])
        if not target.exists():
            partial = target.with_suffix(".partial")
            partial.write_bytes(path.read_bytes())
            partial.replace(target)
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
