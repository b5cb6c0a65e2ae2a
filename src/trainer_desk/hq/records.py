"""What HQ holds, read back: counts and every record of a kind, for exports and reports."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Engine, func, select

from trainer_desk.hq import schema


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


def records_of(engine: Engine, entity: str) -> Iterable[dict[str, Any]]:
    with engine.connect() as conn:
        for row in conn.execute(select(schema.records.c.payload).where(schema.records.c.entity == entity)):
            yield json.loads(row.payload)


def walk_ins(engine: Engine) -> tuple[int, list[dict[str, Any]]]:
    """Walk-ins (people typed in by hand at a session) against HQ's roster: how many now match someone on it,
    whose completion therefore counts for them, and those that match nobody, for a person to look into (a
    mistyped staff number, a recruit not yet in the HR export, someone from another force)."""
    with engine.connect() as conn:
        on_roster = {
            r.staff_number
            for r in conn.execute(select(schema.roster.c.staff_number).where(schema.roster.c.removed.is_(False)))
        }
        sessions = {
            r.uuid: json.loads(r.payload)
            for r in conn.execute(
                select(schema.records.c.uuid, schema.records.c.payload).where(schema.records.c.entity == "session")
            )
        }
        matched, unmatched = 0, []
        for row in conn.execute(
            select(schema.records.c.payload).where(
                schema.records.c.entity == "attendance", schema.records.c.deleted.is_(False)
            )
        ):
            payload = json.loads(row.payload)
            if not isinstance(payload, dict) or not payload.get("walk_in"):
                continue
            if payload.get("staff_number") in on_roster:
                matched += 1
                continue
            session = sessions.get(payload.get("session_uuid"), {})
            unmatched.append(
                {
                    "session_uuid": payload.get("session_uuid", ""),
                    "session_starts_at": session.get("starts_at", ""),
                    "session_unit": session.get("unit_code", ""),
                    "staff_number": payload.get("staff_number", ""),
                    "name_given": payload.get("walk_in_name", ""),
                    "unit_given": payload.get("unit_code", ""),
                }
            )
    return matched, sorted(unmatched, key=lambda w: (str(w["session_starts_at"]), str(w["staff_number"])))
