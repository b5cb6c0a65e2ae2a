"""Who has completed what, at HQ: the figures of `compliance-summary` and of the console, from one reading of
the registrations, each counted for the person it credits (`walk_ins.credited_to`): present or late, and not
deleted."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.hq import records as hq_records
from trainer_desk.hq import schema

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)


def completing(registrations: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    return (r for r in registrations if r.get("status") in COMPLETING and not r["deleted"] and r["credited_to"])


def session_programmes(engine: Engine) -> dict[str, str]:
    return {str(s.get("uuid", "")): str(s.get("programme_id", "")) for s in hq_records.records_of(engine, "session")}


def completed_by_attendee_unit(engine: Engine) -> dict[tuple[str, str], set[str]]:
    """(the attendee's unit as registered, programme): the people credited. What `compliance-summary` prints."""
    programmes = session_programmes(engine)
    counts: dict[tuple[str, str], set[str]] = {}
    for r in completing(hq_records.registrations(engine)):
        key = (str(r.get("unit_code", "")), programmes.get(str(r.get("session_uuid")), ""))
        counts.setdefault(key, set()).add(str(r["credited_to"]))
    return counts


@dataclass(frozen=True, slots=True)
class Person:
    staff_number: str
    name: str
    unit: str
    team: str
    role: str
    rank: str


@dataclass
class Standing:
    """The roster of some units against every programme delivered at HQ: who is on it, and who completed."""

    people: list[Person]
    programmes: list[str]
    completed: dict[str, set[str]] = field(default_factory=dict)  # programme: staff numbers, anywhere

    def figures(self) -> list[dict[str, Any]]:
        """Per unit and programme: on the roster, completed, and the share."""
        by_unit: dict[str, list[Person]] = {}
        for person in self.people:
            by_unit.setdefault(person.unit, []).append(person)
        rows = []
        for unit, people in sorted(by_unit.items()):
            for programme in self.programmes:
                done = sum(p.staff_number in self.completed.get(programme, set()) for p in people)
                rows.append(
                    {
                        "unit": unit,
                        "programme": programme,
                        "on_roster": len(people),
                        "completed": done,
                        "percent": round(100 * done / len(people)) if people else 0,
                    }
                )
        return rows

    def outstanding(self, unit: str, programme: str) -> list[Person]:
        done = self.completed.get(programme, set())
        return [p for p in self.people if p.unit == unit and p.staff_number not in done]


def standing(engine: Engine, units: set[str]) -> Standing:
    """The people on HQ's roster in `units` and what each completed, wherever they were trained."""
    roster = schema.roster
    with engine.connect() as conn:
        people = [
            Person(r.staff_number, f"{r.forename} {r.surname}", r.unit, r.team or "", r.role, r.rank or "")
            for r in conn.execute(
                select(roster)
                .where(roster.c.removed.is_(False), roster.c.unit.in_(sorted(units)))
                .order_by(roster.c.unit, roster.c.surname, roster.c.forename)
            )
        ]
    programmes = session_programmes(engine)
    completed: dict[str, set[str]] = {}
    for r in completing(hq_records.registrations(engine)):
        completed.setdefault(programmes.get(str(r.get("session_uuid")), ""), set()).add(str(r["credited_to"]))
    names = sorted({p for p in programmes.values() if p})
    return Standing(people, names, completed)


def sessions_in(engine: Engine, units: set[str]) -> list[dict[str, Any]]:
    """The sessions run for these units, newest first."""
    with engine.connect() as conn:
        found = [
            json.loads(r.payload)
            for r in conn.execute(
                select(schema.records.c.payload).where(
                    schema.records.c.entity == "session", schema.records.c.deleted.is_(False)
                )
            )
        ]
    mine = [s for s in found if isinstance(s, dict) and s.get("unit_code") in units]
    return sorted(mine, key=lambda s: str(s.get("starts_at", "")), reverse=True)


def register_of(engine: Engine, session_uuid: str) -> list[dict[str, Any]]:
    """One session's registrations, through the session column (never a scan of every registration)."""
    resolved_names: dict[str, str] = {}
    with engine.connect() as conn:
        rows = [
            json.loads(r.payload)
            for r in conn.execute(
                select(schema.records.c.payload).where(
                    schema.records.c.session_uuid == session_uuid,
                    schema.records.c.entity == "attendance",
                    schema.records.c.deleted.is_(False),
                )
            )
        ]
        numbers = sorted({str(r.get("staff_number", "")) for r in rows})
        if numbers:
            resolved_names = {
                p.staff_number: f"{p.forename} {p.surname}"
                for p in conn.execute(
                    select(schema.roster.c.staff_number, schema.roster.c.forename, schema.roster.c.surname).where(
                        schema.roster.c.staff_number.in_(numbers)
                    )
                )
            }
    for r in rows:
        r["name"] = resolved_names.get(str(r.get("staff_number", ""))) or str(r.get("walk_in_name", "")) or "?"
    return sorted(rows, key=lambda r: str(r["name"]))
