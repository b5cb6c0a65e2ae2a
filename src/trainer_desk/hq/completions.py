"""HQ's completions table, and what a registration credits.

The table follows HQ's one sequence: every change to a registration or a session (a push, a session HQ plans,
a walk-in matched or dismissed, which moves the registration to a new place) has a number, and `catch_up`
applies whatever is numbered after the last one it applied. So a push's transaction, and the laptop waiting
for its answer, never pays for the table; a crash loses nothing, as the next catch-up starts from the same
mark; the first start after the upgrade that made the table fills it the same way; and every reader catches up
first, so what it counts is never behind what HQ has received."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, select, tuple_, update

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.hq import schema, units
from trainer_desk.hq.database import insert_many, one_of, writing

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)
BATCH = 5000
MARK = "completions_seq"  # counters row: the last change number the table has applied


@dataclass(frozen=True, slots=True)
class Resolution:
    staff_number: str | None  # matched to this person; None when dismissed
    dismissed: bool
    reason: str
    decided_at: str = ""  # when a person at HQ decided it (ISO)

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
    return {
        r.uuid: Resolution(r.staff_number, bool(r.dismissed), r.reason, str(r.decided_at or ""))
        for r in conn.execute(query)
    }


def catch_up_for_reading(engine: Engine) -> None:
    """A reader's share of keeping up, before it counts: nothing when the table is up to date (two indexed
    reads), else one batch at most. The console's pages stay quick while a whole force syncs, their figures
    then at most a batch behind the pushes still being applied; otherwise they are exact."""
    with engine.connect() as conn:
        mark = conn.execute(select(schema.counters.c.value).where(schema.counters.c.name == MARK)).scalar()
        newest = conn.execute(select(func.max(schema.records.c.seq))).scalar()
    if newest is not None and mark is not None and int(newest) > int(mark):
        catch_up(engine, batches=1)


def catch_up(engine: Engine, batches: int | None = None, batch: int = BATCH) -> int:
    """Apply every registration and session change numbered after the mark (or `batches` batches of them), in
    batches of their own transactions; returns how many changes were read. Safe to call from any worker at any
    time: the mark is taken under a lock, so two never apply the same changes."""
    applied = 0
    records, counters = schema.records, schema.counters
    while True:
        with writing(engine), engine.begin() as conn:
            mark = conn.execute(select(counters.c.value).where(counters.c.name == MARK).with_for_update()).scalar_one()
            rows = list(
                conn.execute(
                    select(
                        records.c.entity,
                        records.c.uuid,
                        records.c.version,
                        records.c.payload,
                        records.c.deleted,
                        records.c.seq,
                    )
                    .where(records.c.seq > mark)
                    .order_by(records.c.seq)
                    .limit(batch)
                )
            )
            if not rows:
                return applied
            _write(
                conn, [(r.uuid, payload_object(r.payload), bool(r.deleted)) for r in rows if r.entity == "attendance"]
            )
            # A first version of a session has no registrations before it (HQ refuses them until it has the
            # session), and those after are in this batch or a later one: only a revised session is refreshed.
            refresh_sessions(conn, [r.uuid for r in rows if r.entity == "session" and r.version > 1])
            conn.execute(update(counters).where(counters.c.name == MARK).values(value=int(rows[-1].seq)))
            applied += len(rows)
        if batches is not None:
            batches -= 1
            if batches <= 0:
                return applied


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
    _write(conn, [(r.uuid, payload_object(r.payload), bool(r.deleted)) for r in rows])


def _write(conn: Connection, registrations: list[tuple[str, dict[str, Any], bool]]) -> None:
    """The completions of these registrations, each as its last version in the list says."""
    registrations = list({uuid: (uuid, p, d) for uuid, p, d in registrations}.values())
    if not registrations:
        return
    named = sorted({str(p.get("session_uuid", "")) for _, p, _ in registrations})
    records = schema.records
    sessions = {
        r.uuid: payload_object(r.payload)
        for r in conn.execute(
            select(records.c.uuid, records.c.payload).where(
                records.c.entity == "session", one_of(conn, records.c.uuid, named)
            )
        )
    }
    resolved = resolutions(conn, [uuid for uuid, p, _ in registrations if p.get("walk_in")])
    c = schema.completions
    uuids = [u for u, _, _ in registrations]
    held = conn.execute(select(c.c.uuid, c.c.staff_number, c.c.programme_id).where(one_of(conn, c.c.uuid, uuids)))
    credited = {r.uuid: (r.staff_number, r.programme_id) for r in held}
    outside = _outside_their_force(conn, registrations, sessions, set(resolved), credited)
    rows = []
    for uuid, payload, deleted in registrations:
        session_uuid = str(payload.get("session_uuid", ""))
        session = sessions.get(session_uuid)
        if session is None:
            continue  # HQ refuses a registration before its session; only a tombstone can name none
        person = "" if uuid in outside else credited_to(payload, resolved.get(uuid))
        rows.append(
            {
                "uuid": uuid,
                "staff_number": person[:20],
                "attendee_unit": str(payload.get("unit_code", ""))[:40],
                "programme_id": str(session.get("programme_id", ""))[:80],
                "session_uuid": session_uuid,
                "session_unit": str(session.get("unit_code", ""))[:40],
                "session_starts_at": force_clock.utc_text(session.get("starts_at", ""))[:40],
                "counts": bool(person) and not deleted and payload.get("status") in COMPLETING,
            }
        )
    before = set(credited.values())
    conn.execute(delete(c).where(one_of(conn, c.c.uuid, uuids)))
    if rows:
        insert_many(conn, c, rows)
    _recount(conn, before | {(str(r["staff_number"]), str(r["programme_id"])) for r in rows})


def _outside_their_force(
    conn: Connection,
    registrations: list[tuple[str, dict[str, Any], bool]],
    sessions: dict[str, dict[str, Any]],
    resolved: set[str],
    credited: dict[str, tuple[str, str]],
) -> set[str]:
    """Registrations sent with the staff number of someone on another force's roster than their session's,
    where HQ serves several forces: they credit nobody, as a walk-in that matches nobody does (and are listed
    with those, for HQ to match by hand), so one force's laptop cannot change another force's figures. A
    match made at HQ stands: it is a person's decision. So does a registration already credited to that
    number (`credited`): someone trained in their force who has since moved to another keeps the training
    when the session changes again."""
    known = units.forces(conn, units.tree_seq(conn))
    if not known:
        return set()
    numbers = sorted({str(p.get("staff_number", "")) for _, p, _ in registrations} - {""})
    roster = schema.roster.c
    unit_of = dict(
        conn.execute(select(roster.staff_number, roster.unit).where(one_of(conn, roster.staff_number, numbers))).all()
    )
    outside = set()
    for uuid, payload, _ in registrations:
        number = str(payload.get("staff_number", ""))
        if number not in unit_of or uuid in resolved or credited.get(uuid, ("",))[0] == number:
            continue
        session_unit = str(sessions.get(str(payload.get("session_uuid", "")), {}).get("unit_code", ""))
        if not units.force_in(known, session_unit).holds(unit_of[number]):
            outside.add(uuid)
    return outside


def _recount(conn: Connection, pairs: set[tuple[str, str]]) -> None:
    """Who has completed which programme, one row per person and programme, re-derived for the pairs that
    changed: what the dashboard and chase lists join with the roster."""
    done, c = schema.people_completed, schema.completions
    ordered = sorted(pairs)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        wanted = tuple_(c.c.staff_number, c.c.programme_id).in_(chunk)
        conn.execute(delete(done).where(tuple_(done.c.staff_number, done.c.programme_id).in_(chunk)))
        latest = conn.execute(
            select(
                c.c.staff_number,
                c.c.programme_id,
                func.max(c.c.session_starts_at).label("last"),
                func.min(c.c.session_starts_at).label("first"),
            )
            .where(wanted, c.c.counts.is_(True), c.c.staff_number != "")
            .group_by(c.c.staff_number, c.c.programme_id)
        )
        found = [
            {
                "staff_number": r.staff_number,
                "programme_id": r.programme_id,
                "last_completed": r.last,
                "first_completed": r.first,
            }
            for r in latest
        ]
        if found:
            insert_many(conn, done, found)


def payload_object(text: str) -> dict[str, Any]:
    """A stored payload as an object: HQ stores only objects, but reads defensively (an empty one otherwise)."""
    try:
        found = json.loads(text)
    except ValueError:
        return {}
    return found if isinstance(found, dict) else {}
