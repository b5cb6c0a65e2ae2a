"""What HQ holds, read back: counts and every record of a kind, for exports and reports."""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from sqlalchemy import Engine, Row, func, select

from trainer_desk.hq import completions, schema


def count_records(engine: Engine, entity: str | None = None) -> int:
    query = select(func.count()).select_from(schema.records)
    if entity:
        query = query.where(schema.records.c.entity == entity)
    with engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


def registrations(engine: Engine) -> Iterable[dict[str, Any]]:
    """Every registration as its laptop sent it, with whom it counts for (`completions.credited_to`) and
    any resolution of it at HQ."""
    with engine.connect() as conn:
        resolved = completions.resolutions(conn)
        for row in conn.execute(
            select(
                schema.records.c.uuid,
                schema.records.c.payload,
                schema.records.c.seq,
                schema.records.c.deleted,
                schema.records.c.conflicted,
            )
            .where(schema.records.c.entity == "attendance")
            .order_by(schema.records.c.seq)
            .execution_options(yield_per=2000)  # fetched as read, not all at once: there may be millions
        ):
            payload = json.loads(row.payload)
            resolution = resolved.get(row.uuid)
            yield {
                **payload,
                "seq": row.seq,
                "deleted": row.deleted,
                "conflicted": row.conflicted,
                "credited_to": completions.credited_to(payload, resolution),
                "resolved": resolution,
                "resolution": resolution.describe() if resolution else "",
            }


def records_of(engine: Engine, entity: str) -> Iterable[dict[str, Any]]:
    with engine.connect() as conn:
        for row in conn.execute(select(schema.records.c.payload).where(schema.records.c.entity == entity)):
            yield json.loads(row.payload)


@dataclass(frozen=True, slots=True)
class StoredSession:
    uuid: str
    payload: dict[str, Any]
    created_by: str


def live_sessions(engine: Engine) -> tuple[StoredSession, ...]:
    """Every session HQ holds that is not deleted, each payload read as an object (`kept_up`)."""
    return kept_up(engine, "session", _stored_session)


def _stored_session(row: Row[Any]) -> StoredSession:
    return StoredSession(row.uuid, completions.payload_object(row.payload), row.created_by)


@dataclass(frozen=True, slots=True)
class Delivery:
    """A session as the figures about delivery need it, worked out once per version of the session."""

    uuid: str
    unit: str
    programme: str
    status: str
    starts: datetime | None
    starts_at: str  # as stored, to compare with other stored times
    hours: float
    trainers: tuple[str, ...]


def deliveries(engine: Engine) -> tuple[Delivery, ...]:
    """Every live session as a Delivery (`kept_up`): trainers' hours and sessions delivered, on every request."""
    return kept_up(engine, "session", _delivery)


def _delivery(row: Any) -> Delivery:
    session = completions.payload_object(row.payload)
    starts, ends = when(session.get("starts_at")), when(session.get("ends_at"))
    return Delivery(
        uuid=row.uuid,
        unit=str(session.get("unit_code", "")),
        programme=str(session.get("programme_id", "")),
        status=str(session.get("status", "")),
        starts=starts,
        starts_at=str(session.get("starts_at", "")),
        hours=(ends - starts).total_seconds() / 3600 if starts and ends and ends > starts else 0.0,
        trainers=tuple(str(t) for t in session.get("trainers") or []),
    )


def when(value: object) -> datetime | None:
    """A stored time, in UTC where it says no zone; None where there is none or it cannot be read, or it is no
    moment a clock can show ('0001-01-01T00:30:00+01:00' is before the first one UTC has)."""
    try:
        found = datetime.fromisoformat(str(value)) if value else None
        if found is not None and found.tzinfo is None:
            found = found.replace(tzinfo=UTC)
        if found is not None and not _EARLIEST <= found <= _LATEST:
            return None
    except (ValueError, OverflowError):
        return None
    return found


# The moments every clock can show, with a day to spare either way for the force's (see `force_clock`).
_EARLIEST, _LATEST = datetime(1, 1, 3, tzinfo=UTC), datetime(9999, 12, 29, tzinfo=UTC)


T = TypeVar("T")


def kept_up(engine: Engine, entity: str, decode: Callable[[Any], T]) -> tuple[T, ...]:
    """Every live record of one kind, each as `decode` makes it of its row (uuid, payload, created_by,
    session_uuid), kept between calls and brought up to date by reading only the records changed since:
    every change, a deletion too, takes a new place in HQ's sequence, and changes commit in that order
    (`database.next_seq`). The console's pages ask on every request, and a force holds tens of thousands of
    sessions and hundreds of thousands of feedback forms. Callers must not change what they are given."""
    records = schema.records
    key = (entity, decode.__qualname__)
    with _lock:
        since, known, values = _read.setdefault(engine, {}).get(key, (0, {}, ()))
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                records.c.uuid,
                records.c.payload,
                records.c.created_by,
                records.c.session_uuid,
                records.c.deleted,
                records.c.seq,
            )
            .where(records.c.entity == entity, records.c.seq > since)
            .order_by(records.c.seq)
        ).all()
    if not rows:
        return cast(tuple[T, ...], values)
    found = dict(known)  # a new one: other requests may be reading the old
    for row in rows:
        if row.deleted:
            found.pop(row.uuid, None)
        else:
            found[row.uuid] = decode(row)
    values = tuple(found.values())
    with _lock:
        current = _read[engine].get(key, (0, {}, ()))
        if int(rows[-1].seq) > current[0]:  # another request may have read further meanwhile
            _read[engine][key] = (int(rows[-1].seq), found, values)
    return cast(tuple[T, ...], values)


_read: weakref.WeakKeyDictionary[Engine, dict[tuple[str, str], tuple[int, dict[str, Any], tuple[Any, ...]]]] = (
    weakref.WeakKeyDictionary()
)
_lock = threading.Lock()
