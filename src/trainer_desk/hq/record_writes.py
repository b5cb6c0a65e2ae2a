"""Storing what `receipt` decided: a version of a record as HQ stores it, and one transaction's inserts, newer
versions, history and conflicts written with one statement per kind of change, each record numbered in the
sequence laptops pull by and given its force. A session moved to other trainers or another unit has its
register numbered again after it, so the laptops it is now given to receive what was recorded before."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, bindparam, func, select, update

from trainer_desk.core import force_clock
from trainer_desk.hq import ownership, schema, units
from trainer_desk.hq.database import insert_many, next_seq, one_of
from trainer_desk.hq.ownership import SessionAtHq
from trainer_desk.sync.protocol import PushItem


def stored(item: PushItem, payload: str, device_id: str, now: str) -> dict[str, Any]:
    """A version of a record as HQ stores it (`payload` as `receipt.canonical` encodes it)."""
    return {
        "entity": item.entity,
        "uuid": item.uuid,
        "version": item.version,
        "deleted": item.op == "delete",
        "payload": payload,
        "device_id": device_id,
        "received_at": now,
        # Checked before storing to name a session HQ holds; a tombstone's payload is not checked: it names
        # none, and its record stays in the session it was in.
        "session_uuid": None if item.op == "delete" else ownership.session_named(item.entity, item.uuid, item.payload),
        **session_start_columns(item.entity, None if item.op == "delete" else item.payload),
    }


def session_start_columns(entity: str, payload: object) -> dict[str, str | None]:
    """A session's unit and start, as the records table keeps them beside its payload to list sessions by start;
    None for other records, and for a tombstone (whose session keeps what it had)."""
    if entity != "session" or not isinstance(payload, dict):
        return {"session_unit": None, "session_starts": None}
    starts = force_clock.utc_text(payload.get("starts_at") or "")
    return {"session_unit": str(payload.get("unit_code") or "")[:40], "session_starts": starts[:40]}


def fingerprinted(item: PushItem, fingerprint: str) -> dict[str, Any]:
    return {"entity": item.entity, "uuid": item.uuid, "version": item.version, "fingerprint": fingerprint}


def sessions_at_hq(conn: Connection, uuids: set[str]) -> dict[str, SessionAtHq]:
    """These sessions as HQ holds them: what `ownership` decides by, and whose unit names a record's force."""
    if not uuids:
        return {}
    sessions: dict[str, SessionAtHq] = {}
    for r in conn.execute(
        select(schema.records.c.uuid, schema.records.c.payload, schema.records.c.created_by).where(
            schema.records.c.entity == "session", one_of(conn, schema.records.c.uuid, list(uuids))
        )
    ):
        payload = json.loads(r.payload)
        sessions[r.uuid] = SessionAtHq.from_payload(r.uuid, payload if isinstance(payload, dict) else {}, r.created_by)
    return sessions


def write_decisions(
    conn: Connection,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    history: list[dict[str, Any]],
    conflicted: list[dict[str, Any]],
    reassigned: set[str],
) -> None:
    changed = inserts + updates
    if changed:
        last = next_seq(conn, len(changed))
        for offset, row in enumerate(changed):
            row["seq"] = last - len(changed) + 1 + offset
        _name_forces(conn, changed)
    if inserts:
        insert_many(conn, schema.records, inserts)
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
                # A tombstone may name no session: the record stays in the one it was in.
                session_uuid=func.coalesce(bindparam("session_uuid"), schema.records.c.session_uuid),
                force=func.coalesce(bindparam("force"), schema.records.c.force),
                session_unit=func.coalesce(bindparam("session_unit"), schema.records.c.session_unit),
                session_starts=func.coalesce(bindparam("session_starts"), schema.records.c.session_starts),
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
        insert_many(conn, schema.record_history, history)
    if reassigned:
        _send_again(conn, reassigned)


def _name_forces(conn: Connection, changed: list[dict[str, Any]]) -> None:
    """Each record's force: that of its session's unit, where HQ serves several forces (None where one)."""
    known = units.forces(conn, units.tree_seq(conn))
    if not known:  # HQ is one force
        for row in changed:
            row["force"] = None
        return
    held: dict[str, str] = {}
    for row in changed:
        if row["entity"] == "session" and not row["deleted"]:
            payload = json.loads(row["payload"])
            held[row["uuid"]] = str(payload.get("unit_code", "")) if isinstance(payload, dict) else ""
    wanted = {str(row["session_uuid"]) for row in changed if row.get("session_uuid")} - set(held)
    held |= {uuid: s.unit for uuid, s in sessions_at_hq(conn, wanted).items()}
    for row in changed:
        session = row.get("session_uuid")
        row["force"] = units.force_in(known, held[session]).code if session in held else None


def _send_again(conn: Connection, sessions: set[str]) -> None:
    """Give the records of these sessions new places in the sequence, after the sessions' own new versions.
    A laptop receives a session's register only while the session is given to it (`ownership.given_to`), so
    a trainer a session is newly assigned to, or the lead of the unit it moved to, would otherwise never get
    the registrations made before: they lie behind its cursor. Each gets a number of its own, as a window may
    end between any two."""
    records = schema.records
    keys = list(
        conn.execute(
            select(records.c.entity, records.c.uuid)
            .where(one_of(conn, records.c.session_uuid, sorted(sessions)), records.c.entity != "session")
            .order_by(records.c.seq)
        )
    )
    if not keys:
        return
    last = next_seq(conn, len(keys))
    conn.execute(
        update(records)
        .where(records.c.entity == bindparam("b_entity"), records.c.uuid == bindparam("b_uuid"))
        .values(seq=bindparam("new_seq")),
        [{"b_entity": k.entity, "b_uuid": k.uuid, "new_seq": last - len(keys) + 1 + n} for n, k in enumerate(keys)],
    )
    session = records.alias("held")
    held_in = select(session.c.force).where(session.c.entity == "session", session.c.uuid == bindparam("s"))
    conn.execute(  # a session moved to another force takes its register with it
        update(records).where(records.c.session_uuid == bindparam("s")).values(force=held_in.scalar_subquery()),
        [{"s": s} for s in sorted(sessions)],
    )
