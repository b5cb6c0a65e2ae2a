"""HQ's roster: replaced from each HR export, every change numbered so laptops pull only what changed.

Where HQ serves several forces, an export is one force's: it replaces that force's roster alone (`Force`), so
uploading Westshire's file never marks Northshire's people as left."""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, func, insert, select, update

from trainer_desk.core.people import Person, written_name
from trainer_desk.core.roster_guard import RosterShrink
from trainer_desk.core.roster_import import RosterRead, name_key, read_roster
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq, utc_now
from trainer_desk.hq.roster_clash import held_elsewhere
from trainer_desk.hq.units import unit_names, within
from trainer_desk.hq.walk_in_candidates import name_key as walk_in_name_key


@dataclass(frozen=True, slots=True)
class RosterPlan:
    """What importing a roster would do to HQ's: shown before it is applied, and then applied as shown."""

    added: list[Person]
    changed: list[Person]
    left: list[str]  # staff numbers no longer in the file
    unchanged: int
    on_roster: int  # people on HQ's roster before
    units_before: dict[str, tuple[str, str | None]]  # of those changed: unit and previous unit
    leaving: list[tuple[str, str, str]] = field(default_factory=list)  # of `left`: number, name and unit, to check

    @property
    def shrink(self) -> RosterShrink:
        return RosterShrink(self.on_roster, len(self.left), len(self.added) + len(self.changed) + self.unchanged)


@dataclass(frozen=True, slots=True)
class Force:
    """The force whose roster an export replaces: its top unit's code and name, and every unit under it."""

    code: str
    name: str
    units: frozenset[str]


def forces(engine: Engine) -> dict[str, Force]:
    """HQ's forces by code, where it serves several (each top unit of its tree in use); empty where it is one
    force, whose roster an export replaces whole, as before."""
    with engine.connect() as conn:
        rows = list(conn.execute(select(schema.units.c.code, schema.units.c.name, schema.units.c.parent,
                                        schema.units.c.retired)))  # fmt: skip
    parents = {r.code: r.parent for r in rows}
    tops = sorted((r.code, r.name) for r in rows if not r.parent and not r.retired)
    if len(tops) <= 1:
        return {}
    return {code: Force(code, name, frozenset(within(parents, code))) for code, name in tops}


def read_roster_file(
    engine: Engine, path: Path, shown_as: str = "", force: Force | None = None, *, reveal: bool = False
) -> RosterRead:
    """A roster file read with HQ's units and who holds each staff number on HQ's roster: the laptop's reader
    and rules, so a file whose numbers lost their leading zeros imports at HQ as it does on a laptop. For a
    `force`, its units alone: a row naming another force's unit is refused as any unknown unit is, or, where
    `reveal` (the reader's grant covers every force), as that force's unit: the wrong force was chosen."""
    roster = schema.roster.c
    with engine.connect() as conn:
        people = conn.execute(
            select(roster.staff_number, roster.forename, roster.surname, roster.unit).where(roster.removed.is_(False))
        )
        holders = {
            p.staff_number: name_key(p.forename, p.surname) for p in people if force is None or p.unit in force.units
        }
    names = unit_names(engine)
    elsewhere: dict[str, str] = {}
    if force is not None and reveal:
        for other in forces(engine).values():
            if other.code != force.code:
                elsewhere |= {written: other.name for code in other.units for written in (code, names.get(code, ""))}
        elsewhere.pop("", None)
    if force is not None:
        names = {code: name for code, name in names.items() if code in force.units}
    return read_roster(path, names, holders, shown_as, elsewhere, force.name if force else "")


def plan_import(engine: Engine, people: list[Person], force: Force | None = None) -> RosterPlan:
    with engine.connect() as conn:
        return _plan(conn, people, force)


def import_roster(engine: Engine, people: list[Person], force: Force | None = None) -> tuple[int, int, int]:
    """Replace HQ's roster, or one `force`'s; every change gets a sequence number so laptops pull only what
    changed."""
    with engine.begin() as conn:
        plan = _plan(conn, people, force)
        for person in plan.added:
            conn.execute(
                insert(schema.roster).values(
                    staff_number=person.staff_number, previous_unit=None, seq=next_seq(conn), **_values(person)
                )
            )
        for person in plan.changed:
            old_unit, old_previous = plan.units_before[person.staff_number]
            conn.execute(
                update(schema.roster)
                .where(schema.roster.c.staff_number == person.staff_number)
                .values(
                    previous_unit=old_unit if old_unit != person.unit_code else old_previous,
                    seq=next_seq(conn),
                    **_values(person),
                )
            )
        for number in plan.left:
            conn.execute(
                update(schema.roster)
                .where(schema.roster.c.staff_number == number)
                .values(removed=True, left_at=utc_now().date().isoformat(), seq=next_seq(conn))
            )
    return len(plan.added), len(plan.changed), len(plan.left)


def _plan(conn: Connection, people: list[Person], force: Force | None = None) -> RosterPlan:
    """What the export would change. For a `force`, only its own people can be marked as left, and a number
    someone on another force's roster holds is refused (`roster_clash`)."""
    incoming = {p.staff_number: p for p in people}
    every = {r.staff_number: r for r in conn.execute(select(schema.roster))}
    existing = {n: r for n, r in every.items() if force is None or r.unit in force.units}
    elsewhere = sorted(n for n in incoming if n in every and n not in existing and not every[n].removed)
    if elsewhere and force is not None:
        raise held_elsewhere(conn, elsewhere, incoming, every, force.name)
    added: list[Person] = []
    changed: list[Person] = []
    unchanged = 0
    for number, person in incoming.items():
        old = every.get(number)  # someone who left another force, now in this one, among them
        if old is None:
            added.append(person)
        elif any(getattr(old, k) != v for k, v in _values(person).items()):
            changed.append(person)
        else:
            unchanged += 1
    left = sorted(n for n, old in existing.items() if n not in incoming and not old.removed)
    before = {p.staff_number: (every[p.staff_number].unit, every[p.staff_number].previous_unit) for p in changed}
    leaving = [(n, written_name(existing[n].forename, existing[n].surname), existing[n].unit) for n in left]
    on_roster = sum(not old.removed for old in existing.values())
    return RosterPlan(added, changed, left, unchanged, on_roster, before, leaving)


def _listed(numbers: list[str], most: int = 10) -> str:
    shown = ", ".join(numbers[:most]) + (f" and {len(numbers) - most} more" if len(numbers) > most else "")
    return f"staff number {shown}" if len(numbers) == 1 else f"staff numbers {shown}"


def _values(person: Person) -> dict[str, object]:
    return {
        "forename": person.forename,
        "surname": person.surname,
        "name_key": walk_in_name_key(person.forename, person.surname),
        "unit": person.unit_code,
        "role": person.role.value,
        "rank": person.rank,
        "team": person.team,
        "joined": person.joined.isoformat() if person.joined else None,
        "removed": False,
        "left_at": None,
        "email": person.email or None,
    }


def unit_of(engine: Engine, staff_number: str) -> str | None:
    """The unit someone on the roster (and not marked as left) is in; None for anyone else."""
    roster = schema.roster
    with engine.connect() as conn:
        found = conn.execute(
            select(roster.c.unit).where(roster.c.staff_number == staff_number, roster.c.removed.is_(False))
        ).scalar()
    return str(found) if found is not None else None


def named(engine: Engine, staff_number: str) -> str:
    """Someone as a message about them names them: "Aleksandra Wiśniewska (710054)", or the number alone for
    someone not on the roster."""
    roster = schema.roster
    with engine.connect() as conn:
        found = conn.execute(
            select(roster.c.forename, roster.c.surname).where(roster.c.staff_number == staff_number)
        ).first()
    return f"{written_name(found.forename, found.surname)} ({staff_number})" if found is not None else staff_number


def roster_sizes(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            r.unit: int(r.n)
            for r in conn.execute(
                select(schema.roster.c.unit, func.count().label("n"))
                .where(schema.roster.c.removed.is_(False))
                .group_by(schema.roster.c.unit)
            )
        }


def teams_within(engine: Engine, units: AbstractSet[str]) -> set[str]:
    """The teams the roster names in `units` (of anyone still on it, in any programme's audience or none): a
    team asked for that is not among them is a mistyped or stale link, not a team with nobody outstanding."""
    with engine.connect() as conn:
        return {
            str(team)
            for (team,) in conn.execute(
                select(schema.roster.c.team)
                .where(schema.roster.c.removed.is_(False), schema.roster.c.unit.in_(sorted(units)))
                .distinct()
            )
            if team
        }
