"""How far each laptop's clock is from HQ's. A laptop dates what it records by its own clock, and HQ keeps those
times as sent: a registration is real even when its laptop's date was set wrong, and refusing it would lose
it. So each push says the laptop's time as it sends, HQ keeps the difference, and the console says it beside
the times that laptop recorded (a session's page) and lists the laptops far off (the Devices page), so that
someone can set the laptop right and read its times for what they are."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, select, update

from trainer_desk.hq import schema
from trainer_desk.hq.database import hashed, utc_now, writing
from trainer_desk.sync.protocol import CLOCK_WARNING_SECONDS

NOTED_CHANGE_S = 60  # a difference that moved less than this is not written again: a push costs no extra write


@dataclass(frozen=True, slots=True)
class ClockOff:
    """A laptop whose clock was far from HQ's at its last push."""

    device_id: str
    name: str
    unit: str
    difference_s: int  # HQ's time less the laptop's: negative when the laptop's clock is ahead


def difference_from_wire(laptop_time: object, now: datetime | None = None) -> int | None:
    """HQ's time less the laptop's, in whole seconds, from the time a push says it was sent; None when the push
    says none or none HQ can compare (no zone), which is never a reason to refuse what it carries."""
    if not isinstance(laptop_time, str) or len(laptop_time) > 40:
        return None
    try:
        sent = datetime.fromisoformat(laptop_time)
    except ValueError:
        return None
    if sent.tzinfo is None:
        return None
    return round(((now or utc_now()) - sent).total_seconds())


def note(engine: Engine, token: str, difference_s: int) -> None:
    """Keep the clock difference of the laptop whose token this is, written only when it moved by a minute or
    more: most pushes read one row and write nothing."""
    d = schema.devices
    moved = (
        d.c.clock_difference_s.is_(None)
        | (d.c.clock_difference_s > difference_s + NOTED_CHANGE_S)
        | (d.c.clock_difference_s < difference_s - NOTED_CHANGE_S)
    )
    with engine.connect() as conn:
        due = conn.execute(select(d.c.id).where(d.c.token_hash == hashed(token), moved)).scalar()
    if due is not None:
        with writing(engine), engine.begin() as conn:
            conn.execute(update(d).where(d.c.id == due).values(clock_difference_s=difference_s))


def far_off(engine: Engine, device_ids: Sequence[str] | None = None) -> list[ClockOff]:
    """The laptops (of `device_ids`, or every one not revoked) whose clock was more than a few minutes from
    HQ's at their last push, the furthest first."""
    d = schema.devices
    query = select(d.c.id, d.c.name, d.c.unit, d.c.clock_difference_s).where(
        d.c.clock_difference_s.is_not(None),
        (d.c.clock_difference_s > CLOCK_WARNING_SECONDS) | (d.c.clock_difference_s < -CLOCK_WARNING_SECONDS),
    )
    query = query.where(d.c.id.in_(list(device_ids))) if device_ids is not None else query.where(~d.c.revoked)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    found = [ClockOff(r.id, r.name, r.unit, int(r.clock_difference_s)) for r in rows]
    return sorted(found, key=lambda c: (-abs(c.difference_s), c.name))


def in_session(engine: Engine, session_uuid: str) -> list[ClockOff]:
    """The laptops far off that sent any of a session's records: the times they recorded there are off too."""
    r = schema.records
    with engine.connect() as conn:
        senders = conn.execute(
            select(r.c.device_id)
            .where(r.c.session_uuid == session_uuid)
            .union(select(r.c.created_by).where(r.c.session_uuid == session_uuid))
        ).scalars()
        ids = sorted({str(s) for s in senders if s})
    return far_off(engine, ids) if ids else []


def off_by_words(difference_s: int) -> str:
    """How far off, and which way, as the console says it: "about 1 day ahead of HQ's"."""
    seconds = abs(difference_s)
    if seconds >= 86_400 - 3_600:
        amount = _counted(round(seconds / 86_400), "day")
    elif seconds >= 3_600 - 60:
        amount = _counted(round(seconds / 3_600), "hour")
    else:
        amount = _counted(round(seconds / 60), "minute")
    return f"about {amount} {'ahead of' if difference_s < 0 else 'behind'} HQ's"


def _counted(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"
