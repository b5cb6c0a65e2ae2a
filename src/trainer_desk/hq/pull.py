"""What a laptop pulls since its cursor: roster changes (the whole force's, or for a protocol 1 laptop its
unit's), the force's completions (protocol 2), and any newer lesson content.

Roster changes and registrations share HQ's one sequence, so one cursor pages through both in the order HQ
made them, and a batch is whatever comes next of either."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, Row, or_, select

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.hq import schema
from trainer_desk.hq.database import hashed, one_of, reading
from trainer_desk.hq.devices import Device, as_device, note_seen_alone
from trainer_desk.sync.protocol import CompletionChange, RosterChange

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)


@dataclass(frozen=True, slots=True)
class Pull:
    device: Device
    roster: list[RosterChange]
    cursor: int
    more: bool
    content: dict[str, Any] | None
    completions: list[CompletionChange]


def pull(engine: Engine, token: str, cursor: int, limit: int, force_wide: bool = True) -> Pull | None:
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
    with reading(engine).connect() as conn:
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
        device = as_device(row)
        latest_seq = int(row["latest_seq"])
        unit = None if force_wide else device.unit
        roster = _roster_rows(conn, unit, cursor, latest_seq, limit)
        registrations = _registration_rows(conn, cursor, latest_seq, limit) if force_wide else []
        merged = sorted([(int(r.seq), False, r) for r in roster] + [(int(r.seq), True, r) for r in registrations])
        taken = merged[:limit]
        more = len(merged) > limit
        next_cursor = taken[-1][0] if more else max(latest_seq, cursor)
        roster_changes = [_roster_change(r, unit) for _, registration, r in taken if not registration]
        completions = _completions(conn, [r for _, registration, r in taken if registration])
    note_seen_alone(engine, row)
    content = json.loads(row["newest_manifest"]) if row["newest_manifest"] else None
    return Pull(device, roster_changes, next_cursor, more, content, completions)


def _roster_rows(conn: Connection, unit: str | None, cursor: int, latest: int, limit: int) -> list[Row[Any]]:
    """Roster rows changed after `cursor` up to `latest`: everyone's, or one unit's (with those who left it)."""
    query = select(schema.roster).where(schema.roster.c.seq > cursor, schema.roster.c.seq <= latest)
    if unit is not None:
        query = query.where(or_(schema.roster.c.unit == unit, schema.roster.c.previous_unit == unit))
    return list(conn.execute(query.order_by(schema.roster.c.seq).limit(limit + 1)))


def _roster_change(r: Row[Any], unit: str | None) -> RosterChange:
    """For one unit's roster, someone who moved out of the unit arrives as removed."""
    gone = bool(r.removed) or (unit is not None and r.unit != unit)
    return RosterChange(r.seq, r.staff_number, r.forename, r.surname, r.unit, r.role, r.rank, gone, r.team)


def _registration_rows(conn: Connection, cursor: int, latest: int, limit: int) -> list[Row[Any]]:
    records = schema.records
    return list(
        conn.execute(
            select(records.c.entity, records.c.uuid, records.c.seq, records.c.deleted, records.c.payload)
            .where(records.c.seq > cursor, records.c.seq <= latest, records.c.entity == "attendance")
            .order_by(records.c.seq)
            .limit(limit + 1)
        )
    )


def _completions(conn: Connection, rows: list[Row[Any]]) -> list[CompletionChange]:
    """Registrations as completions, each with its session's programme and start (one read of the sessions)."""
    registrations = [(r, _object(r.payload)) for r in rows]
    wanted = list({str(p.get("session_uuid", "")) for _, p in registrations})
    sessions = (
        {
            s.uuid: _object(s.payload)
            for s in conn.execute(
                select(schema.records.c.uuid, schema.records.c.payload).where(
                    schema.records.c.entity == "session", one_of(conn, schema.records.c.uuid, wanted)
                )
            )
        }
        if wanted
        else {}
    )
    changes = []
    for r, payload in registrations:
        session = sessions.get(str(payload.get("session_uuid", "")))
        if session is None:
            continue  # HQ takes a registration only once its session is there; nothing to say without it
        try:
            changes.append(
                CompletionChange(
                    int(r.seq),
                    str(r.uuid),
                    str(payload.get("staff_number", "")),
                    str(session.get("programme_id", "")),
                    str(payload.get("session_uuid", "")),
                    str(session.get("starts_at", "")),
                    str(session.get("plan_version", "")),
                    not r.deleted and payload.get("status") in COMPLETING,
                )
            )
        except (TypeError, ValueError):
            continue
    return changes


def _object(text: str) -> dict[str, Any]:
    found = json.loads(text)
    return found if isinstance(found, dict) else {}
