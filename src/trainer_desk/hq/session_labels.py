"""How HQ names a session to people: by its plan's title, its unit's name and its trainers' names, as the
laptop that ran it did. A session as HQ stores it carries only ids (a plan id, a unit code, staff numbers),
and a page or sheet that shows those leaves the reader to look each one up.

One place does the naming for the console's pages, its messages, the audit trail and HQ's printed sheets, so
they never disagree; a laptop is named here too, by its trainer and unit, as people know it. An id
that cannot be named (a plan no longer published, a trainer not on the force's roster) is shown as it is."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select

from trainer_desk.core import force_clock
from trainer_desk.hq import published, schema, units
from trainer_desk.hq.completions import payload_object


@dataclass(frozen=True, slots=True)
class Labels:
    """The names of the plans, programmes and units HQ knows of, read once for a page of sessions."""

    plan_titles: Mapping[str, str]
    programme_names: Mapping[str, str]
    unit_names: Mapping[str, str]

    def plan(self, session: Mapping[str, Any]) -> str:
        plan_id = str(session.get("plan_id", ""))
        return self.plan_titles.get(plan_id, plan_id)

    def programme(self, session: Mapping[str, Any]) -> str:
        programme_id = str(session.get("programme_id", ""))
        return self.programme_names.get(programme_id, programme_id)

    def unit(self, code: object) -> str:
        return self.unit_names.get(str(code or ""), str(code or ""))


def labels(engine: Engine, blobs: Path) -> Labels:
    """The newest published plans' titles and programmes, and every unit's name."""
    plans = published.newest(engine, blobs).library.plans
    with engine.connect() as conn:
        unit_names = {r.code: r.name for r in conn.execute(select(schema.units.c.code, schema.units.c.name))}
    return Labels({p.id: p.title for p in plans}, {p.programme.id: p.programme.name for p in plans}, unit_names)


def trainer_names(conn: Connection, trainers_by_unit: Mapping[str, Iterable[str]]) -> dict[str, str]:
    """Staff number -> name, for trainers named on sessions of each unit: each from its unit's force's roster
    (see `units.names_in_force`), so a laptop of one force cannot have another force's people named."""
    names: dict[str, str] = {}
    for unit, numbers in trainers_by_unit.items():
        names.update(units.names_in_force(conn, sorted(set(numbers)), unit))
    return names


def trainers_in_words(session: Mapping[str, Any], names: Mapping[str, str]) -> list[str]:
    """A session's trainers as "Name (staff number)", or the number alone where the name is not known."""
    numbers = [str(t) for t in session.get("trainers") or []]
    return [f"{names[n]} ({n})" if n in names else n for n in numbers]


def status_word(status: object) -> str:
    """A session's status in the console's words, which every page and file about sessions uses: "planned",
    "running", "closed", "cancelled" (a person's download reading "Running" beside a console reading "running"
    looked like two states)."""
    return str(status or "").strip().lower()


def labelled(engine: Engine, known: Labels, sessions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each session with `plan_title`, `unit_name` and `trainers_named` added, for a page to show; `known` is
    read once by the page (`labels`), which names its other units by it too."""
    if not sessions:
        return []
    by_unit: dict[str, set[str]] = {}
    for s in sessions:
        by_unit.setdefault(str(s.get("unit_code", "")), set()).update(str(t) for t in s.get("trainers") or [])
    with engine.connect() as conn:
        names = trainer_names(conn, by_unit)
    return [
        {
            **s,
            "status": status_word(s.get("status")),
            "plan_title": known.plan(s),
            "unit_name": known.unit(s.get("unit_code")),
            "trainers_named": trainers_in_words(s, names),
        }
        for s in sessions
    ]


def session_named(engine: Engine, blobs: Path, session_uuid: str) -> str:
    """One session as people know it: "Signa, 17 Dec 2026, North BCU" (its plan's title, its day as the force
    reads it, its unit's name); "a session HQ does not hold" where it has no such session."""
    records = schema.records.c
    with engine.connect() as conn:
        payload = conn.execute(
            select(records.payload).where(records.entity == "session", records.uuid == session_uuid)
        ).scalar()
    if payload is None:
        return "a session HQ does not hold"
    session = payload_object(payload)
    known = labels(engine, blobs)
    day = force_clock.shown_day(session.get("starts_at", ""))
    return ", ".join(part for part in (known.plan(session), day, known.unit(session.get("unit_code"))) if part)


def laptop_named(engine: Engine, device_id: str) -> str:
    """A laptop as people know it: "the laptop of Aleksandra Wiśniewska (710001), North BCU", by the trainer it
    was enrolled for (named from their force's roster, or their staff number alone) and its unit's name."""
    with engine.connect() as conn:
        device = conn.execute(
            select(schema.devices.c.trainer, schema.devices.c.unit).where(schema.devices.c.id == device_id)
        ).first()
        if device is None:
            return "a laptop HQ does not hold"
        names = trainer_names(conn, {str(device.unit): [str(device.trainer)]})
        unit_name = conn.execute(select(schema.units.c.name).where(schema.units.c.code == device.unit)).scalar()
    owner = trainers_in_words({"trainers": [device.trainer]}, names)[0]
    return f"the laptop of {owner}, {unit_name or device.unit}"
