"""Replacing HQ's unit tree from the force's units.toml, the one way the command line and the console both do
it: first what the new tree would change (units added, renamed, moved, removed), then the change itself.

A unit the new tree leaves out is retired, and past records keep naming it. But a unit that people on the
roster are still in, that an account is granted on, that a laptop in use is enrolled for, that a session still
to come is planned in or one started is still running in, or that an enrollment code not yet used would enrol a
laptop for, would leave those pointing at a unit HQ no longer offers: the import is refused, with each such unit
and what still names it, until they have moved (or the file keeps the unit).

A unit moved under another parent takes its sessions out of the view of accounts granted on the units above it
before, and into the view of those granted above it now: the preview names them, so that a lead does not find
a unit's sessions gone, or another BCU's arrived, unannounced."""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, func, select

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import schema
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.records import deliveries
from trainer_desk.hq.staff import ROLES
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
    views: tuple[str, ...] = ()  # a sentence for each account whose view a move would give or take a unit

    @property
    def refusal(self) -> str:
        """Why nothing can be imported, or '' where the tree can be."""
        if not self.still_named:
            return ""
        return (
            "Nothing was imported: the new tree leaves out units that are still in use. Move what names them "
            "first (import a roster that puts their people elsewhere, regrant the accounts, re-enrol the laptops, "
            "move or cancel the sessions, close those running, withdraw the enrollment codes), or keep the units "
            "in the file.\n  " + "\n  ".join(self.still_named)
        )


def plan_tree(engine: Engine, nodes: list[UnitNode]) -> TreeChange:
    """What making `nodes` HQ's tree would change; nothing is written."""
    units = schema.units.c
    with engine.connect() as conn:
        existing: dict[str, Any] = {
            r.code: r for r in conn.execute(select(units.code, units.name, units.parent, units.kind, units.retired))
        }
    if all(r.retired for r in existing.values()):  # as `units.unit_codes`: the demonstration units are offered,
        named = _named_anywhere(engine, {u.code for u in DEFAULT_UNITS})  # and the first tree replaces them:
        existing |= {  # those that a record names, and it leaves out, are removed; the others were never used,
            u.code: SimpleNamespace(code=u.code, name=u.name, parent=None, kind=str(u.kind), retired=False)
            for u in DEFAULT_UNITS  # so a new HQ's first tree reads as what it is, every unit added
            if u.code in named
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
    before = {code: (r.parent or None) for code, r in existing.items()}
    after, now_named = {n.code: n.parent for n in nodes}, names | {n.code: n.name for n in nodes}
    views = _views_moved(engine, [node.code for node, _was in moved], before, after, now_named)
    return TreeChange(
        tuple(added), tuple(renamed), tuple(moved), removed, other, _still_named(engine, lost, names), views
    )


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
    roster, staff, devices, codes = schema.roster.c, schema.staff.c, schema.devices.c, schema.enrollment_codes.c
    with engine.connect() as conn:
        people = _counts(conn, roster.unit, roster.unit.in_(lost), roster.removed.is_(False))
        accounts = _counts(conn, staff.unit, staff.unit.in_(lost), staff.disabled.is_(False))
        laptops = _counts(
            conn, devices.unit, devices.unit.in_(lost), devices.revoked.is_(False), devices.lost.is_(False)
        )
        waiting = _counts(  # as the Enrollment codes page lists them: not used, withdrawn or expired
            conn, codes.unit, codes.unit.in_(lost), codes.used_at.is_(None), codes.expires_at >= utc_now().isoformat()
        )
    today = force_clock.today()
    planned: dict[str, int] = {}
    running: dict[str, int] = {}  # started and not yet closed: its register is still to come, naming the unit
    for s in deliveries(engine):
        if s.unit in lost and s.status == "planned" and s.starts and force_clock.local(s.starts).date() >= today:
            planned[s.unit] = planned.get(s.unit, 0) + 1
        elif s.unit in lost and s.status == "running":
            running[s.unit] = running.get(s.unit, 0) + 1
    found = []
    for code in lost:
        uses = [
            _count(people.get(code, 0), "person on the roster", "people on the roster"),
            _count(accounts.get(code, 0), "console account", "console accounts"),
            _count(laptops.get(code, 0), "laptop in use", "laptops in use"),
            _count(planned.get(code, 0), "session still to come", "sessions still to come"),
            _count(
                running.get(code, 0),
                "session running (started, not yet closed)",
                "sessions running (started, not yet closed)",
            ),
            _count(waiting.get(code, 0), "enrollment code not yet used", "enrollment codes not yet used"),
        ]
        uses = [u for u in uses if u]
        if uses:
            named = f"{code} ({names[code]})" if code in names else code
            listed = ", ".join(uses[:-1]) + (" and " if len(uses) > 1 else "") + uses[-1]
            found.append(f"{named} is left out, yet still has {listed}.")
    return tuple(found)


def _named_anywhere(engine: Engine, codes: set[str]) -> set[str]:
    """Those of `codes` that anything HQ holds names, now or in the past: a person on the roster (or who left
    it), an account, a laptop, an enrollment code, a session or a completion."""
    columns = (
        schema.roster.c.unit,
        schema.staff.c.unit,
        schema.devices.c.unit,
        schema.enrollment_codes.c.unit,
        schema.records.c.session_unit,
        schema.completions.c.attendee_unit,
    )
    found: set[str] = set()
    with engine.connect() as conn:
        for column in columns:
            found |= {str(c) for c in conn.execute(select(column).where(column.in_(codes)).distinct()).scalars()}
    return found


def _views_moved(
    engine: Engine,
    moved: list[str],
    before: dict[str, str | None],
    after: dict[str, str | None],
    names: dict[str, str],
) -> tuple[str, ...]:
    """For each unit moved, the accounts granted on a unit above it before and not now (who lose it and its
    sessions) and the other way round (who gain them). Accounts on the whole of HQ see every unit either way."""
    if not moved:
        return ()
    staff = schema.staff.c
    with engine.connect() as conn:
        granted = conn.execute(
            select(staff.username, staff.role, staff.unit)
            .where(staff.unit != "", staff.disabled.is_(False))
            .order_by(staff.username)
        ).all()
    said = []
    for code in moved:
        was, now = _above(before, code), _above(after, code)
        unit = f"{code} ({names.get(code, code)})"
        for account in granted:
            who = f"{account.username} ({ROLES.get(account.role, account.role).split(':')[0]} on {account.unit})"
            if account.unit in was and account.unit not in now:
                said.append(f"{who} would no longer see {unit} or its sessions.")
            elif account.unit in now and account.unit not in was:
                said.append(f"{who} would see {unit} and its sessions.")
    return tuple(said)


def _above(parents: dict[str, str | None], code: str) -> set[str]:
    """The units above `code` in a tree given as each unit's parent (a loop, which no tree read has, ends)."""
    found: set[str] = set()
    parent = parents.get(code)
    while parent and parent not in found:
        found.add(parent)
        parent = parents.get(parent)
    return found


def _counts(conn: Connection, column: ColumnElement[str], *where: ColumnElement[bool]) -> dict[str, int]:
    rows = conn.execute(select(column, func.count()).where(*where).group_by(column))
    return {str(code): int(n) for code, n in rows}


def _count(n: int, one: str, many: str) -> str:
    return counted(n, one, many) if n else ""
