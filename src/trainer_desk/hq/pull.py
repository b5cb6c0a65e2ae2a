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
from trainer_desk.hq import ownership, schema
from trainer_desk.hq.database import hashed, one_of, reading
from trainer_desk.hq.devices import Device, as_device, note_seen_alone
from trainer_desk.sync.protocol import CompletionChange, RecordChange, RosterChange

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)


@dataclass(frozen=True, slots=True)
class Pull:
    device: Device
    roster: list[RosterChange]
    cursor: int
    more: bool
    content: dict[str, Any] | None
    completions: list[CompletionChange]
    records: list[RecordChange]  # sessions and registrations this device is given (protocol 2)


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
        stored = _record_rows(conn, cursor, latest_seq, limit) if force_wide else []
        merged = sorted([(int(r.seq), False, r) for r in roster] + [(int(r.seq), True, r) for r in stored])
        taken = merged[:limit]
        more = len(merged) > limit
        next_cursor = taken[-1][0] if more else max(latest_seq, cursor)
        roster_changes = [_roster_change(r, unit) for _, is_record, r in taken if not is_record]
        completions, records = _from_records(conn, device, [r for _, is_record, r in taken if is_record])
    note_seen_alone(engine, row)
    content = json.loads(row["newest_manifest"]) if row["newest_manifest"] else None
    return Pull(device, roster_changes, next_cursor, more, content, completions, records)


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


def _record_rows(conn: Connection, cursor: int, latest: int, limit: int) -> list[Row[Any]]:
    records = schema.records
    return list(
        conn.execute(
            select(
                records.c.entity,
                records.c.uuid,
                records.c.seq,
                records.c.version,
                records.c.deleted,
                records.c.payload,
                records.c.device_id,
            )
            .where(records.c.seq > cursor, records.c.seq <= latest, records.c.entity.in_(("session", "attendance")))
            .order_by(records.c.seq)
            .limit(limit + 1)
        )
    )


def _from_records(
    conn: Connection, device: Device, rows: list[Row[Any]]
) -> tuple[list[CompletionChange], list[RecordChange]]:
    """Every registration as a completion, for everyone; and, for this device, the sessions it is given (it
    is a trainer the session names, or the training lead of the session's unit) with their registrations,
    except versions this device sent itself."""
    parsed = [(r, _object(r.payload)) for r in rows]
    sessions = {r.uuid: p for r, p in parsed if r.entity == "session"}
    wanted = list({str(p.get("session_uuid", "")) for r, p in parsed if r.entity == "attendance"} - set(sessions))
    if wanted:
        sessions |= {
            s.uuid: _object(s.payload)
            for s in conn.execute(
                select(schema.records.c.uuid, schema.records.c.payload).where(
                    schema.records.c.entity == "session", one_of(conn, schema.records.c.uuid, wanted)
                )
            )
        }
    completions: list[CompletionChange] = []
    records: list[RecordChange] = []
    for r, payload in parsed:
        session_uuid = r.uuid if r.entity == "session" else str(payload.get("session_uuid", ""))
        session = sessions.get(session_uuid)
        if session is None:
            continue  # HQ takes a registration only once its session is there; nothing to say without it
        if r.entity == "attendance":
            completions.append(
                CompletionChange(
                    int(r.seq),
                    str(r.uuid),
                    str(payload.get("staff_number", "")),
                    str(session.get("programme_id", "")),
                    session_uuid,
                    str(session.get("starts_at", "")),
                    str(session.get("plan_version", "")),
                    not r.deleted and payload.get("status") in COMPLETING,
                )
            )
        if r.device_id != device.id and ownership.given_to(device, session):
            records.append(RecordChange(int(r.seq), r.entity, r.uuid, int(r.version), bool(r.deleted), payload))
    return completions, records


def _object(text: str) -> dict[str, Any]:
    found = json.loads(text)
    return found if isinstance(found, dict) else {}
