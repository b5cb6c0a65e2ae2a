"""HQ's completions table, kept in step with the records: one writer for it, called wherever a registration,
its session or a walk-in's resolution changes (receipt of a push, a session HQ plans, a walk-in matched or
dismissed), and once to fill it from the records already stored."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, update

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.hq import schema
from trainer_desk.hq.database import insert_many, one_of, writing

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)
BATCH = 5000


@dataclass(frozen=True, slots=True)
class Resolution:
    staff_number: str | None  # matched to this person; None when dismissed
    dismissed: bool
    reason: str

    def describe(self) -> str:
        return f"dismissed: {self.reason}" if self.dismissed else f"matched to {self.staff_number} at HQ"


def credited_to(payload: dict[str, Any], resolution: Resolution | None) -> str:
    """The staff number a registration counts for: the person HQ matched it to, nobody once dismissed
    (''), or else the number the laptop sent."""
    if resolution is None:
        return str(payload.get("staff_number", ""))
    return "" if resolution.dismissed else str(resolution.staff_number or "")


def resolutions(conn: Connection, uuids: list[str] | None = None) -> dict[str, Resolution]:
    """Resolutions of these registrations, or of every one (the table holds only the few a person resolved)."""
    table = schema.walk_in_resolutions
    query = select(table)
    if uuids is not None:
        if not uuids:
            return {}
        query = query.where(one_of(conn, table.c.uuid, uuids))
    return {r.uuid: Resolution(r.staff_number, bool(r.dismissed), r.reason) for r in conn.execute(query)}


def write_registrations(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Rows of registrations just written (entity, uuid, payload as stored, deleted): their completions."""
    registrations = [
        (str(r["uuid"]), _object(r["payload"]), bool(r["deleted"])) for r in rows if r["entity"] == "attendance"
    ]
    _write(conn, registrations)


def refresh_sessions(conn: Connection, sessions: Iterable[str]) -> None:
    """A session changed (moved, given to another unit): its registrations' completions follow it."""
    wanted = sorted(set(sessions))
    if not wanted:
        return
    records = schema.records
    rows = conn.execute(
        select(records.c.uuid, records.c.payload, records.c.deleted).where(
            records.c.entity == "attendance", one_of(conn, records.c.session_uuid, wanted)
        )
    )
    _write(conn, [(r.uuid, _object(r.payload), bool(r.deleted)) for r in rows])


def refresh_registrations(conn: Connection, uuids: Sequence[str]) -> None:
    records = schema.records
    rows = conn.execute(
        select(records.c.uuid, records.c.payload, records.c.deleted).where(
            records.c.entity == "attendance", one_of(conn, records.c.uuid, list(uuids))
        )
    )
    _write(conn, [(r.uuid, _object(r.payload), bool(r.deleted)) for r in rows])


def rebuild_if_needed(engine: Engine) -> None:
    """Fill the table from every stored registration, once, after the upgrade that made it (in batches, each
    its own transaction, so a large HQ never holds one transaction for all of it)."""
    with engine.connect() as conn:
        built = conn.execute(
            select(schema.counters.c.value).where(schema.counters.c.name == "completions_built")
        ).scalar()
    if built is None or int(built):
        return
    records = schema.records
    after = ""
    while True:
        with writing(engine), engine.begin() as conn:
            uuids = list(
                conn.execute(
                    select(records.c.uuid)
                    .where(records.c.entity == "attendance", records.c.uuid > after)
                    .order_by(records.c.uuid)
                    .limit(BATCH)
                ).scalars()
            )
            if uuids:
                refresh_registrations(conn, uuids)
                after = uuids[-1]
            else:
                conn.execute(
                    update(schema.counters).where(schema.counters.c.name == "completions_built").values(value=1)
                )
                return


def _write(conn: Connection, registrations: list[tuple[str, dict[str, Any], bool]]) -> None:
    """The completions of these registrations, each as its last version in the list says."""
    registrations = list({uuid: (uuid, p, d) for uuid, p, d in registrations}.values())
    if not registrations:
        return
    named = sorted({str(p.get("session_uuid", "")) for _, p, _ in registrations})
    records = schema.records
    sessions = {
        r.uuid: _object(r.payload)
        for r in conn.execute(
            select(records.c.uuid, records.c.payload).where(
                records.c.entity == "session", one_of(conn, records.c.uuid, named)
            )
        )
    }
    resolved = resolutions(conn, [uuid for uuid, p, _ in registrations if p.get("walk_in")])
    rows = []
    for uuid, payload, deleted in registrations:
        session_uuid = str(payload.get("session_uuid", ""))
        session = sessions.get(session_uuid)
        if session is None:
            continue  # HQ refuses a registration before its session; only a tombstone can name none
        person = credited_to(payload, resolved.get(uuid))
        rows.append(
            {
                "uuid": uuid,
                "staff_number": person[:20],
                "attendee_unit": str(payload.get("unit_code", ""))[:40],
                "programme_id": str(session.get("programme_id", ""))[:80],
                "session_uuid": session_uuid,
                "session_unit": str(session.get("unit_code", ""))[:40],
                "session_starts_at": str(session.get("starts_at", ""))[:40],
                "counts": bool(person) and not deleted and payload.get("status") in COMPLETING,
            }
        )
    conn.execute(
        delete(schema.completions).where(one_of(conn, schema.completions.c.uuid, [u for u, _, _ in registrations]))
    )
    if rows:
        insert_many(conn, schema.completions, rows)


def _object(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
