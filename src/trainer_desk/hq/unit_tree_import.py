"""Replacing HQ's unit tree from the force's units.toml, the one way the command line and the console both do
it: first what the new tree would change (units added, renamed, moved, removed), then the change itself.

A unit the new tree leaves out is retired, and past records keep naming it. But a unit that people on the
roster are still in, that an account is granted on, that a laptop in use is enrolled for, or that a session
still to come is planned in, would leave those pointing at a unit HQ no longer offers: the import is refused,
with each such unit and what still names it, until they have moved (or the file keeps the unit)."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import force_clock, schema
from trainer_desk.hq.records import deliveries
from trainer_desk.hq.units import import_units


@dataclass(frozen=True, slots=True)
class TreeChange:
    """What importing a tree would do to HQ's, for a person to read before it is done."""

    added: tuple[UnitNode, ...]
    renamed: tuple[tuple[UnitNode, str], ...]  # each with the name it had
    moved: tuple[tuple[UnitNode, str], ...]  # each with the parent it had ('' where it was at the top)
    removed: tuple[tuple[str, str], ...]  # code and name of each unit the new tree leaves out
    other: int  # units whose kind alone changes
    still_named: tuple[str, ...]  # a sentence for each unit it would lose that something still names

    @property
    def refusal(self) -> str:
        """Why nothing can be imported, or '' where the tree can be."""
        if not self.still_named:
            return ""
        return (
            "Nothing was imported: the new tree leaves out units that are still in use. Move what names them "
            "first (import a roster that puts their people elsewhere, regrant the accounts, re-enrol the laptops, "
            "move or cancel the sessions), or keep the units in the file.\n  " + "\n  ".join(self.still_named)
        )


def plan_tree(engine: Engine, nodes: list[UnitNode]) -> TreeChange:
    """What making `nodes` HQ's tree would change; nothing is written."""
    units = schema.units.c
    with engine.connect() as conn:
        existing: dict[str, Any] = {
            r.code: r for r in conn.execute(select(units.code, units.name, units.parent, units.kind, units.retired))
        }
    if all(r.retired for r in existing.values()):  # as `units.unit_codes`: the demonstration units are offered,
        existing |= {  # and the first tree replaces them: those it leaves out are removed
            u.code: SimpleNamespace(code=u.code, name=u.name, parent=None, kind=str(u.kind), retired=False)
            for u in DEFAULT_UNITS
        }
    added, renamed, moved, other = [], [], [], 0
    for node in nodes:
        old = existing.get(node.code)
        if old is None or old.retired:
            added.append(node)
            continue
        if old.name != node.name:
            renamed.append((node, str(old.name)))
        if (old.parent or None) != node.parent:
            moved.append((node, str(old.parent or "")))
        if old.name == node.name and (old.parent or None) == node.parent and old.kind != node.kind:
            other += 1
    wanted = {n.code for n in nodes}
    removed = tuple((code, str(r.name)) for code, r in sorted(existing.items()) if code not in wanted and not r.retired)
    names = {code: str(r.name) for code, r in existing.items()}
    lost = [code for code, _name in removed]  # the units offered now that the new tree leaves out
    return TreeChange(tuple(added), tuple(renamed), tuple(moved), removed, other, _still_named(engine, lost, names))


def apply_tree(engine: Engine, nodes: list[UnitNode]) -> tuple[int, int, int]:
    """Make `nodes` HQ's tree, unless it would lose a unit still in use; returns how many units were added,
    changed and retired."""
    change = plan_tree(engine, nodes)
    if change.refusal:
        raise UserFacingError(change.refusal)
    import_units(engine, nodes)
    # Counted as the preview said them: the first tree's demonstration units left out are retired too.
    changed = {node.code for node, _ in (*change.renamed, *change.moved)}
    return len(change.added), len(changed) + change.other, len(change.removed)


def _still_named(engine: Engine, lost: list[str], names: dict[str, str]) -> tuple[str, ...]:
    if not lost:
        return ()
    roster, staff, devices = schema.roster.c, schema.staff.c, schema.devices.c
    with engine.connect() as conn:
        people = _counts(conn, roster.unit, roster.unit.in_(lost), roster.removed.is_(False))
        accounts = _counts(conn, staff.unit, staff.unit.in_(lost), staff.disabled.is_(False))
        laptops = _counts(
            conn, devices.unit, devices.unit.in_(lost), devices.revoked.is_(False), devices.lost.is_(False)
        )
    today = force_clock.today()
    planned: dict[str, int] = {}
    for s in deliveries(engine):
        if s.unit in lost and s.status == "planned" and s.starts and force_clock.local(s.starts).date() >= today:
            planned[s.unit] = planned.get(s.unit, 0) + 1
    found = []
    for code in lost:
        uses = [
            _count(people.get(code, 0), "person on the roster", "people on the roster"),
            _count(accounts.get(code, 0), "console account", "console accounts"),
            _count(laptops.get(code, 0), "laptop in use", "laptops in use"),
            _count(planned.get(code, 0), "session still to come", "sessions still to come"),
        ]
        uses = [u for u in uses if u]
        if uses:
            named = f"{code} ({names[code]})" if code in names else code
            listed = ", ".join(uses[:-1]) + (" and " if len(uses) > 1 else "") + uses[-1]
            found.append(f"{named} is left out, yet still has {listed}.")
    return tuple(found)


def _counts(conn: Connection, column: ColumnElement[str], *where: ColumnElement[bool]) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).where(*where).group_by(column))
    return {str(code): int(n) for code, n in rows}


def _count(n: int, one: str, many: str) -> str:
    return counted(n, one, many) if n else ""
