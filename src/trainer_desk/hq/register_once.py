"""One person is one line of a session's register at HQ, whichever laptop recorded them: what `receipt` reads
to refuse a second line for someone already on a register, and the reasons it gives. Only a session recorded on
more than one laptop can have a person on it twice, so its register is read only then (`recorded_elsewhere`)."""

from __future__ import annotations

import json

from sqlalchemy import Connection, String, exists, literal, or_, select, union_all

from trainer_desk.hq import schema
from trainer_desk.hq.completions import COMPLETING
from trainer_desk.hq.database import one_of
from trainer_desk.sync.protocol import PushItem

# Two co-trainers' laptops each registered the same person as attending one session: HQ keeps the first such
# line, so its register, exports and counts show them once; the second laptop is told, and keeps its own line.
ALREADY_REGISTERED_ELSEWHERE = (
    "already on this session's register at HQ (another laptop recorded them): they count once"
)
ALREADY_REGISTERED = "already on this session's register at HQ: they count once"


def on_register(item: PushItem) -> tuple[str, str] | None:
    """The (session, staff number) a registration puts on a register; None for anything else, or a walk-in
    given no number."""
    if item.entity != "attendance":
        return None
    session, number = item.payload.get("session_uuid"), item.payload.get("staff_number")
    if not isinstance(session, str) or not isinstance(number, str) or not number.strip():
        return None
    return session, number.strip().upper()


def recorded_elsewhere(conn: Connection, arriving: dict[str, set[str]]) -> set[str]:
    """Of the sessions registrations are arriving for, those another device also records in: sent now by more
    than one, or with lines at HQ from a device other than the one sending now. Asked of the index on (session,
    device) as two ranges around the sender, so a session of 37,000 lines from one laptop costs a couple of
    seeks, not a read of every line; and for every session of a group of pushes in one statement."""
    shared = {s for s, senders in arriving.items() if len(senders) > 1}
    records = schema.records.c
    single = [(session, next(iter(senders))) for session, senders in sorted(arriving.items()) if len(senders) == 1]
    for start in range(0, len(single), 100):
        probes = [
            select(literal(session, String(36)).label("session")).where(
                exists().where(
                    records.session_uuid == session,
                    or_(records.created_by < device, records.created_by > device),
                    records.entity == "attendance",
                )
            )
            for session, device in single[start : start + 100]
        ]
        shared |= {str(s) for s in conn.execute(union_all(*probes)).scalars()}
    return shared


def registered(conn: Connection, sessions: set[str]) -> dict[tuple[str, str], str]:
    """Who is on the registers of these sessions at HQ, and by which registration."""
    if not sessions:
        return {}
    records = schema.records
    found: dict[tuple[str, str], str] = {}
    for r in conn.execute(
        select(records.c.uuid, records.c.payload).where(
            records.c.entity == "attendance",
            records.c.deleted.is_(False),
            one_of(conn, records.c.session_uuid, sorted(sessions)),
        )
    ):
        payload = json.loads(r.payload)
        number = payload.get("staff_number") if isinstance(payload, dict) else None
        # A line that does not complete it (booked, did not come) is no reason to refuse one that does.
        if isinstance(number, str) and number.strip() and payload.get("status") in COMPLETING:
            found.setdefault((str(payload.get("session_uuid")), number.strip().upper()), str(r.uuid))
    return found
