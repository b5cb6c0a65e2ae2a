"""Someone's bookings on sessions of a programme still to come, and taking them off: when an exemption (or a
completion another way) is recorded, the person need not come to a session planned for them, and a seat
kept for them, a name on the register and a chase for nobody follow them otherwise.

A booking is an attendance record on a planned session's register (as `planning` books people). Taking
someone off is a tombstone HQ makes of it, as a laptop makes one when a trainer takes a line off an open
register (`store.attendance.remove`): the session's trainers' laptops, and its lead's, learn it at their next
sync as they learn any change to the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.hq import schema
from trainer_desk.hq.completions import payload_object
from trainer_desk.hq.database import one_of
from trainer_desk.hq.receipt import HQ_ITSELF, changed_at_hq
from trainer_desk.hq.records import Delivery, deliveries
from trainer_desk.sync.protocol import PushItem


@dataclass(frozen=True, slots=True)
class Booking:
    """One line on the register of a planned session, as HQ holds it."""

    uuid: str
    version: int
    payload: dict[str, Any]
    session: Delivery


def booked_on(engine: Engine, staff_number: str, programme_id: str, today: date) -> list[Booking]:
    """`staff_number`'s bookings (not taken off) on sessions of the programme planned from `today`, soonest
    first: a planned session whose day has gone by was not held, and is left as it is."""
    planned = _planned(engine, programme_id, today)
    if not planned:
        return []
    records = schema.records.c
    found: list[Booking] = []
    with engine.connect() as conn:
        for r in conn.execute(
            select(records.uuid, records.version, records.session_uuid, records.payload).where(
                records.entity == "attendance",
                records.deleted.is_(False),
                one_of(conn, records.session_uuid, sorted(planned)),
            )
        ):
            payload = payload_object(r.payload)
            if str(payload.get("staff_number") or "") == staff_number:
                found.append(Booking(str(r.uuid), int(r.version), payload, planned[str(r.session_uuid)]))
    return sorted(found, key=lambda b: b.session.starts_at)


def taken_off(engine: Engine, staff_number: str, programme_id: str, today: date) -> list[Delivery]:
    """The sessions of the programme planned from `today` that HQ took `staff_number` off (`take_off`, as an
    exemption was recorded) and that they are not booked on again, soonest first: what withdrawing the
    exemption offers to book them on again."""
    planned = _planned(engine, programme_id, today)
    if not planned:
        return []
    records = schema.records.c
    gone: set[str] = set()
    with engine.connect() as conn:
        for r in conn.execute(
            select(records.session_uuid, records.payload).where(
                records.entity == "attendance",
                records.deleted.is_(True),
                records.device_id == HQ_ITSELF,
                one_of(conn, records.session_uuid, sorted(planned)),
            )
        ):
            if str(payload_object(r.payload).get("staff_number") or "") == staff_number:
                gone.add(str(r.session_uuid))
    still = {b.session.uuid for b in booked_on(engine, staff_number, programme_id, today)}
    return sorted((planned[s] for s in gone - still), key=lambda s: s.starts_at)


def take_off(engine: Engine, bookings: list[Booking]) -> list[Booking]:
    """Take each booking off its register; those changed since they were read (a laptop marked the person, say)
    are left as they are, and returned, for the person to be told."""
    left: list[Booking] = []
    for b in bookings:
        gone = {**b.payload, "version": b.version + 1}
        if not changed_at_hq(engine, PushItem("attendance", b.uuid, b.version + 1, b.version, "delete", gone)):
            left.append(b)
    return left


def _planned(engine: Engine, programme_id: str, today: date) -> dict[str, Delivery]:
    """The programme's sessions still planned from `today`, by id: one whose day has gone by was not held."""
    return {
        s.uuid: s
        for s in deliveries(engine)
        if s.programme == programme_id and s.status == SessionStatus.PLANNED and s.starts is not None
        if force_clock.local(s.starts).date() >= today
    }
