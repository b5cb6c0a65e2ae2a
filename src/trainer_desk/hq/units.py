"""HQ's copy of the force's unit tree: replaced from the force's units.toml, every change numbered in HQ's one
sequence so that laptops pull it with the roster. Until a tree is imported, HQ checks units against the
built-in demonstration list, as before.

One HQ may serve several forces (a national deployment): each top node of the tree is a force, and a laptop
learns only its own force (`force_of`): its roster, its completions and sessions, its part of the tree. An HQ
with one top node is one force, and nothing is filtered."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, bindparam, func, insert, select, update

from trainer_desk.core.people import written_name
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.core.unit_tree import UnitNode, under
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq, one_of


def import_units(engine: Engine, nodes: list[UnitNode]) -> tuple[int, int, int]:
    """Make HQ's tree `nodes`; a unit left out is retired (records naming it keep it). Returns how many were
    added, changed and retired."""
    added = changed = retired = 0
    with engine.begin() as conn:
        forces_before = _codes(forces_in(_parents(conn)))
        existing = {r.code: r for r in conn.execute(select(schema.units))}
        for node in nodes:
            values = {"name": node.name, "parent": node.parent, "kind": node.kind, "retired": False}
            old = existing.get(node.code)
            if old is None:
                conn.execute(insert(schema.units).values(code=node.code, seq=next_seq(conn), **values))
                added += 1
            elif any(getattr(old, key) != value for key, value in values.items()):
                conn.execute(
                    update(schema.units).where(schema.units.c.code == node.code).values(seq=next_seq(conn), **values)
                )
                changed += 1
        wanted = {n.code for n in nodes}
        for code, old in existing.items():
            if code not in wanted and not old.retired:
                conn.execute(
                    update(schema.units).where(schema.units.c.code == code).values(retired=True, seq=next_seq(conn))
                )
                retired += 1
        if _codes(forces_in(_parents(conn))) != forces_before:
            assign_forces(conn)  # a unit moved between forces, or HQ gained or lost one: not on a renaming
    return added, changed, retired


def unit_codes(engine: Engine) -> list[str]:
    """The units a roster row or an enrollment may name: the force's tree, or the demonstration list."""
    with engine.connect() as conn:
        codes = [r.code for r in conn.execute(select(schema.units.c.code).where(schema.units.c.retired.is_(False)))]
    return sorted(codes) if codes else [u.code for u in DEFAULT_UNITS]


def unit_names(engine: Engine) -> dict[str, str]:
    """The units a roster row may name, each code with its name (a row may give either)."""
    with engine.connect() as conn:
        found = conn.execute(select(schema.units.c.code, schema.units.c.name).where(schema.units.c.retired.is_(False)))
        names = {r.code: r.name for r in found}
    return names or {u.code: u.name for u in DEFAULT_UNITS}


def tree(conn: Connection) -> list[dict[str, object]]:
    """Every unit, retired ones too, as a laptop receives them."""
    return [
        {"code": r.code, "name": r.name, "parent": r.parent, "kind": r.kind, "retired": bool(r.retired)}
        for r in conn.execute(select(schema.units).order_by(schema.units.c.code))
    ]


def unit_nodes(engine: Engine) -> list[UnitNode]:
    """HQ's tree of units in use, as the laptop holds it and as reports count a unit with those under it."""
    with engine.connect() as conn:
        return [
            UnitNode(str(u["code"]), str(u["name"]), str(u["kind"]), None if u["parent"] is None else str(u["parent"]))
            for u in tree(conn)
            if not u["retired"]
        ]


def within(parents: dict[str, str | None], node: str) -> set[str]:
    """`node` and every unit under it, in a tree given as each unit's parent ('' covers every unit)."""
    return set(parents) if not node else set(under(parents, node))


@dataclass(frozen=True, slots=True)
class Force:
    """The part of HQ a laptop learns: one force's units, or everything (`code` None) where HQ is one force."""

    code: str | None
    units: frozenset[str]

    def holds(self, unit: object) -> bool:
        return self.code is None or unit in self.units


WHOLE = Force(None, frozenset())
_forces: dict[tuple[str, int], dict[str, Force]] = {}  # by database and the tree's newest change
_forces_lock = threading.Lock()


def force_of(conn: Connection, unit: str, tree_seq: int | None) -> Force:
    """The force `unit` belongs to: the top node above it and every unit under that."""
    return force_in(forces(conn, tree_seq), unit)


def forces(conn: Connection, tree_seq: int | None) -> dict[str, Force]:
    """Each unit's force, where HQ serves several (empty where it is one force): worked out once per version of
    the tree (`tree_seq`, its newest change), since every pull and push asks."""
    if tree_seq is None:
        return {}
    key = (str(conn.engine.url), tree_seq)
    with _forces_lock:
        known = _forces.get(key)
    if known is None:
        known = forces_in(_parents(conn))
        with _forces_lock:
            _forces.clear()  # an older tree's forces are of no more use
            _forces[key] = known
    return known


_trees: dict[tuple[str, int | None], dict[str, tuple[str | None, str]]] = {}  # as `_forces`


def parents_and_names(conn: Connection) -> dict[str, tuple[str | None, str]]:
    """Each unit's parent and name, read once per version of the tree: every console page asks, for the units
    an account's grant covers and the name of its own."""
    return _tree_at(conn, (str(conn.engine.url), tree_seq(conn)))


def _tree_at(conn: Connection, key: tuple[str, int | None]) -> dict[str, tuple[str | None, str]]:
    with _forces_lock:
        known = _trees.get(key)
    if known is None:
        units = schema.units.c
        known = {r.code: (r.parent, r.name) for r in conn.execute(select(units.code, units.parent, units.name))}
        with _forces_lock:
            _trees.clear()
            _trees[key] = known
    return known


_reaches: dict[tuple[str, int | None], dict[str, frozenset[str]]] = {}  # as `_forces`


def reaches(conn: Connection, codes: Iterable[str]) -> dict[str, frozenset[str]]:
    """Each of these units with every unit under it (`within`): what a laptop enrolled for one receives, records
    in and corrects, as the console counts a unit with its teams. Thousands of laptops push and pull, so each
    unit's reach is worked out once per version of the tree, which is read once per request."""
    key = (str(conn.engine.url), tree_seq(conn))
    wanted = set(codes)
    with _forces_lock:
        known = dict(_reaches.get(key, {}))
    if missing := wanted - set(known):
        parents = {code: parent for code, (parent, _name) in _tree_at(conn, key).items()}
        found = {code: frozenset(within(parents, code) if code else {code}) for code in missing}
        with _forces_lock:
            if key not in _reaches:
                _reaches.clear()  # an older tree's reaches are of no more use
            _reaches.setdefault(key, {}).update(found)
        known.update(found)
    return {code: known[code] for code in wanted}


def reach(conn: Connection, code: str) -> frozenset[str]:
    """One unit with every unit under it (see `reaches`)."""
    return reaches(conn, [code])[code]


def names_known(conn: Connection) -> dict[str, str]:
    """Every unit's name, retired ones too (a session can name one); the demonstration list's before a tree is
    imported."""
    names = {code: name for code, (_, name) in parents_and_names(conn).items()}
    return names or {u.code: u.name for u in DEFAULT_UNITS}


class UnitWords:
    """Units named for the people reading HQ's reasons (`unit_for_people`), the names read from the tree the
    first time a reason names one: most pushes are refused nothing and read nothing."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        self._names: dict[str, str] | None = None

    def __call__(self, code: str) -> str:
        if self._names is None:
            self._names = names_known(self._conn)
        return unit_for_people(code, self._names)


def unit_names_known(engine: Engine) -> dict[str, str]:
    """`names_known`, for a page that names units a roster or a code gives (a unit retired since among them)."""
    with engine.connect() as conn:
        return names_known(conn)


def unit_in_words(engine: Engine, code: str) -> str:
    """One unit as people know it (see `UnitWords`)."""
    with engine.connect() as conn:
        return UnitWords(conn)(code)


def forces_in(parents: dict[str, str | None]) -> dict[str, Force]:
    """Each unit's force, where the tree has several top nodes; empty where it is one force (or none)."""
    tops = [code for code, parent in parents.items() if not parent]
    if len(tops) <= 1:
        return {}
    known: dict[str, Force] = {}
    for top in tops:
        force = Force(top, frozenset(within(parents, top)))
        known.update(dict.fromkeys(force.units, force))
    return known


def names_in_force(
    conn: Connection, numbers: list[str], unit: str, credited: frozenset[str] = frozenset()
) -> dict[str, str]:
    """Of these staff numbers, the names of those on the roster of `unit`'s force, and of those `credited` with
    the session's training wherever they are now (someone who trained there and moved force since). Where HQ
    serves several forces, a laptop of one can send any number: another force's people are not named through
    it (nor credited: `completions`)."""
    return {number: person[0] for number, person in people_in_force(conn, numbers, unit, credited).items()}


def people_in_force(
    conn: Connection, numbers: list[str], unit: str, credited: frozenset[str] = frozenset()
) -> dict[str, tuple[str, str, str]]:
    """As `names_in_force`, with each person's unit on HQ's roster: the unit they count under, whatever unit
    the laptop that registered them said; and the key a list of them sorts by, surname then forename, as the
    chase list sorts ("ap Gwilym" among the As)."""
    if not numbers:
        return {}
    roster = schema.roster.c
    force = force_of(conn, unit, tree_seq(conn))
    found = conn.execute(
        select(roster.staff_number, roster.forename, roster.surname, roster.unit).where(
            one_of(conn, roster.staff_number, sorted(set(numbers)))
        )
    )
    return {
        r.staff_number: (written_name(r.forename, r.surname), r.unit, f"{r.surname}\x00{r.forename}".casefold())
        for r in found
        if force.holds(r.unit) or r.staff_number in credited
    }


def tree_seq(conn: Connection) -> int | None:
    return conn.execute(select(func.max(schema.units.c.seq))).scalar()


def assign_forces(conn: Connection) -> None:
    """Name each stored record's force afresh from its session's unit, after the tree changed: records made
    while HQ was one force, or before a unit moved to another force, are then found by their force's pulls."""
    known = forces_in(_parents(conn))
    records = schema.records
    if not known:
        conn.execute(update(records).where(records.c.force.is_not(None)).values(force=None))
        return
    sessions = conn.execute(select(records.c.uuid, records.c.payload).where(records.c.entity == "session"))
    named = []
    for s in sessions:
        payload = json.loads(s.payload)
        unit = payload.get("unit_code") if isinstance(payload, dict) else None
        named.append({"s": s.uuid, "f": force_in(known, unit if isinstance(unit, str) else "").code})
    if named:
        conn.execute(
            update(records).where(records.c.session_uuid == bindparam("s")).values(force=bindparam("f")), named
        )


def _codes(known: dict[str, Force]) -> dict[str, str | None]:
    return {unit: force.code for unit, force in known.items()}


def force_in(known: dict[str, Force], unit: str) -> Force:
    """`unit`'s force among `known` (as `forces` gives them): the whole of HQ where it is one force."""
    if not known:
        return WHOLE
    return known.get(unit) or Force(unit, frozenset({unit}))  # a unit the tree does not know: itself alone


def _parents(conn: Connection) -> dict[str, str | None]:
    return {r.code: r.parent for r in conn.execute(select(schema.units.c.code, schema.units.c.parent))}
