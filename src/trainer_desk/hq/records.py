"""What HQ holds, read back: counts and every record of a kind, for exports and reports."""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, func, select

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
        ):
            payload = json.loads(row.payload)
            resolution = resolved.get(row.uuid)
            yield {
                **payload,
                "seq": row.seq,
                "deleted": row.deleted,
                "conflicted": row.conflicted,
                "credited_to": completions.credited_to(payload, resolution),
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
    """Every session HQ holds that is not deleted, each payload read as an object.

    Read again only when a session has changed since the last reading (every change, a deletion too, takes a
    new place in HQ's sequence): the console's pages ask for them on every request, and a force holds tens of
    thousands. Callers must not change what they are given."""
    records = schema.records
    with engine.connect() as conn:
        newest = int(conn.execute(select(func.max(records.c.seq)).where(records.c.entity == "session")).scalar() or 0)
        with _lock:
            known = _sessions_read.get(engine)
        if known is not None and known[0] == newest:
            return known[1]
        rows = conn.execute(
            select(records.c.uuid, records.c.payload, records.c.created_by).where(
                records.c.entity == "session", records.c.deleted.is_(False)
            )
        )
        found = tuple(StoredSession(r.uuid, completions.payload_object(r.payload), r.created_by) for r in rows)
    with _lock:
        _sessions_read[engine] = (newest, found)
    return found


_sessions_read: weakref.WeakKeyDictionary[Engine, tuple[int, tuple[StoredSession, ...]]] = weakref.WeakKeyDictionary()
_lock = threading.Lock()
