"""Walk-ins reconciled at HQ.

A walk-in is a registration typed in by hand at a session: someone from another unit, a recruit not yet in the
HR export, or a staff number typed wrongly. One whose staff number is (or later appears) on HQ's roster counts
for that person without anyone doing anything. The rest are listed for a person at HQ, who matches each to the
person it was or dismisses it with a reason.

A resolution never rewrites the registration: that is the laptop's record, and HQ accepts changes to it only
from its laptop. It changes what the registration credits, in one place (`completions.credited_to`) that the force's
completions sent to laptops, the compliance summary and the registrations export all read; and it moves the
registration to a new place in HQ's sequence, so every laptop receives the corrected completion at its next
sync.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from trainer_desk.core.errors import FieldError
from trainer_desk.core.people import written_name
from trainer_desk.hq import schema, units
from trainer_desk.hq.completions import Resolution, payload_object, resolutions
from trainer_desk.hq.database import next_seq, one_of, utc_now, writing
from trainer_desk.hq.walk_in_match import find_walk_in, person_for, still_as_seen

WALK_IN_TEXT = '"walk_in": true'


@dataclass(frozen=True, slots=True)
class WalkIns:
    """What the walk-ins page and `walk-ins list` show."""

    counted: int  # walk-ins that count for someone: on the roster, or matched by hand
    unmatched: list[dict[str, Any]]  # to look into: they match nobody on the roster, and nobody resolved them
    resolved: list[dict[str, Any]]  # matched or dismissed by a person at HQ, newest decision first: a wrong
    # decision is put right by resolving the walk-in again


def everywhere(_unit: str | None) -> bool:
    """Every unit's walk-ins: the command line's, and an administrator of the whole of HQ's."""
    return True


def walk_ins(engine: Engine, covers: Callable[[str | None], bool] = everywhere) -> WalkIns:
    """Every walk-in HQ holds at a session of a unit `covers` (an account's `StaffMember.covers`: a force's
    administrator sees their own force's), sorted into those that count for someone, those left to look into,
    and those a person resolved (each with what was decided, and when)."""
    with engine.connect() as conn:
        forces = units.forces(conn, units.tree_seq(conn))
        resolved = resolutions(conn)
        records = schema.records.c
        # Walk-ins are a few among millions of registrations at national scale: the database finds them by the
        # text HQ stores (`receipt.canonical`: keys sorted, ": " between key and value), read fully below.
        found = []
        for row in conn.execute(
            select(records.uuid, records.payload).where(
                records.entity == "attendance", records.deleted.is_(False), records.payload.contains(WALK_IN_TEXT)
            )
        ):
            payload = json.loads(row.payload)
            if isinstance(payload, dict) and payload.get("walk_in") is True:
                found.append((row.uuid, payload))
        people = _people(conn, [str(p.get("staff_number", "")) for _, p in found], resolved)
        named = sorted({str(p.get("session_uuid", "")) for _, p in found})
        sessions = {
            r.uuid: json.loads(r.payload)
            for r in conn.execute(
                select(records.uuid, records.payload).where(
                    records.entity == "session", one_of(conn, records.uuid, named)
                )
            )
        }
        counted, unmatched, done = 0, [], []
        for uuid, payload in found:
            session = sessions.get(payload.get("session_uuid"), {})
            if not covers(session.get("unit_code")):
                continue
            walk_in = {
                "registration": uuid,
                "session_uuid": payload.get("session_uuid", ""),
                "session_starts_at": session.get("starts_at", ""),
                "session_unit": session.get("unit_code", ""),
                "programme_id": session.get("programme_id", ""),
                "staff_number": payload.get("staff_number", ""),
                "name_given": payload.get("walk_in_name", ""),
                "unit_given": payload.get("unit_code", ""),
            }
            resolution = resolved.get(uuid)
            if resolution is not None:
                counted += not resolution.dismissed
                decision = resolution.describe()
                if (person := people.get(resolution.staff_number or "")) is not None:
                    decision = f"{decision}: {person.name}"
                done.append({**walk_in, "decision": decision, "decided_at": resolution.decided_at})
            elif (
                (person := people.get(str(walk_in["staff_number"]))) is not None
                and not person.removed
                and units.force_in(forces, walk_in["session_unit"]).holds(person.unit)
            ):
                counted += 1  # on the roster of the session's force (`completions` credits no other force's)
            else:
                unmatched.append(walk_in)
    return WalkIns(
        counted,
        sorted(unmatched, key=lambda w: (str(w["session_starts_at"]), str(w["staff_number"]))),
        sorted(done, key=lambda w: str(w["decided_at"]), reverse=True),
    )


@dataclass(frozen=True, slots=True)
class _OnRoster:
    """A walk-in's number as HQ's roster knows it."""

    unit: str
    name: str  # as written beside a decision
    removed: bool  # left the roster: their number no longer credits them


def _people(conn: Connection, typed: list[str], resolved: dict[str, Resolution]) -> dict[str, _OnRoster]:
    """The roster's lines for the numbers the walk-ins typed (does one count for someone on it?) and for those
    they were matched to (the name shown beside the decision, to catch a typo; a leaver's too), in one query:
    the page reads a few dozen of a national roster's people, never the whole of it."""
    wanted = sorted({*typed, *(r.staff_number for r in resolved.values() if r.staff_number)} - {""})
    if not wanted:
        return {}
    roster = schema.roster.c
    query = select(roster.staff_number, roster.unit, roster.forename, roster.surname, roster.removed)
    return {
        r.staff_number: _OnRoster(r.unit, written_name(r.forename, r.surname), bool(r.removed))
        for r in conn.execute(query.where(one_of(conn, roster.staff_number, wanted)))
    }


def match(engine: Engine, registration: str, staff_number: str, seen: str | None = None) -> str:
    """Match a walk-in to the person on HQ's roster it was; returns the registration's whole uuid. With `seen`
    (`walk_in_match.MatchCheck.seen`, from the page the person confirmed on), only if nothing it showed has
    changed since."""
    return _resolve(engine, registration, staff_number.strip(), "", seen)


def names_matched(engine: Engine, registration: str, staff_number: str) -> tuple[str, str]:
    """The name typed for walk-in `registration` and the roster's name for `staff_number`: said together once a
    match is made, so that a match to someone of another name is seen (a typo, or the wrong line)."""
    with engine.connect() as conn:
        payload = conn.execute(
            select(schema.records.c.payload).where(schema.records.c.uuid == registration)
        ).scalar_one_or_none()
        roster = schema.roster.c
        person = conn.execute(
            select(roster.forename, roster.surname).where(roster.staff_number == staff_number)
        ).first()
    typed = str(payload_object(payload).get("walk_in_name", "")) if payload else ""
    return typed, written_name(person.forename, person.surname) if person else ""


def dismiss(engine: Engine, registration: str, reason: str) -> str:
    """Dismiss a walk-in that is nobody HQ credits (someone from another force, a test entry), with why."""
    if not reason.strip():
        raise FieldError("reason", "say why the walk-in is dismissed (--reason)")
    return _resolve(engine, registration, None, reason.strip())


def _resolve(engine: Engine, registration: str, staff_number: str | None, reason: str, seen: str | None = None) -> str:
    records, table = schema.records, schema.walk_in_resolutions
    with writing(engine), engine.begin() as conn:
        uuid, payload = find_walk_in(conn, registration)
        if staff_number is not None:
            if seen is None:
                person_for(conn, payload, staff_number)
            else:  # the same checks, and that nothing shown to the person has changed since
                still_as_seen(conn, uuid, staff_number, seen)
        conn.execute(delete(table).where(table.c.uuid == uuid))
        conn.execute(
            insert(table).values(
                uuid=uuid,
                staff_number=staff_number,
                dismissed=staff_number is None,
                reason=reason,
                decided_at=utc_now().isoformat(),
            )
        )
        # A new place in the sequence: every laptop pulls the registration's corrected completion next time,
        # and HQ's completions table follows it there.
        conn.execute(
            update(records).where(records.c.entity == "attendance", records.c.uuid == uuid).values(seq=next_seq(conn))
        )
    return str(uuid)
