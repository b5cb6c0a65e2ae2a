"""What HQ holds, read back: counts and every record of a kind, for exports and reports."""

from __future__ import annotations

import json
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


def live_sessions(engine: Engine) -> list[StoredSession]:
    """Every session HQ holds that is not deleted, each payload read as an object."""
    records = schema.records
    with engine.connect() as conn:
        rows = conn.execute(
            select(records.c.uuid, records.c.payload, records.c.created_by).where(
                records.c.entity == "session", records.c.deleted.is_(False)
            )
        )
        return [StoredSession(r.uuid, completions.payload_object(r.payload), r.created_by) for r in rows]
