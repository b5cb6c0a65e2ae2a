"""Organisation units as the database holds them."""

from __future__ import annotations

from trainer_desk.core.unit_tree import UnitNode, top_name
from trainer_desk.core.units import OrgUnit, UnitKind
from trainer_desk.store.connection import Database


def list_units(db: Database) -> list[OrgUnit]:
    """The units in use (not retired), for choosing and reporting."""
    return [
        OrgUnit(code=code, name=name, kind=UnitKind(kind))
        for code, name, kind in db.execute("SELECT code, name, kind FROM units WHERE retired = 0 ORDER BY kind, name")
    ]


def tree(db: Database, *, in_use: bool = False) -> list[UnitNode]:
    """The force's unit tree as HQ last sent it, retired units too unless `in_use` (records and people may
    still name a retired one); empty on a laptop that has never had one (not enrolled: its units are a flat
    list, each on its own)."""
    return [
        UnitNode(code, name, level, parent)
        for code, name, level, parent in db.execute(
            "SELECT code, name, level, parent_code FROM units WHERE level != ''"
            + (" AND retired = 0" if in_use else "")
            + " ORDER BY code"
        )
    ]


def force_name(db: Database, default: str) -> str:
    """The force's name for every page printed here: its top unit's in HQ's tree (where the tree has one top),
    so the laptop's papers name the force as HQ's do; `default` (IT's setting) on a laptop without a tree."""
    return top_name(tree(db, in_use=True)) or default


def force_of(db: Database, unit: str | None) -> str | None:
    """The code of the force `unit` is in: the top unit above it in HQ's tree as this laptop holds it (a laptop
    learns only its own force's part). None without a unit, or where the laptop's tree does not hold it."""
    parents = {node.code: node.parent for node in tree(db)}
    seen: set[str] = set()
    while unit in parents and unit not in seen:
        seen.add(unit)
        parent = parents[unit]
        if parent is None:
            return unit
        unit = parent
    return None


WHOLE_FORCE = "The whole force"


def report_choices(db: Database, enrolled_unit: str | None) -> list[tuple[str | None, str]]:
    """The units a report may be made for on this laptop, as (code, label), the whole force as None.

    On a laptop holding HQ's tree and enrolled for one of its units: that unit and those under it, in the tree's
    order (`tree_under`), as its lead sees them in HQ's console; the whole force only where it is enrolled for
    the top. A team is labelled with the unit it is in ("North CID · North BCU"), its name first so typing finds
    it. Elsewhere (not enrolled, no tree): the whole force and every unit."""
    nodes = {node.code: node for node in tree(db, in_use=True)}
    if enrolled_unit not in nodes:
        return [(None, WHOLE_FORCE), *((u.code, u.name) for u in list_units(db))]
    top = nodes[enrolled_unit].parent is None
    choices: list[tuple[str | None, str]] = [(None, WHOLE_FORCE)] if top else []
    for unit, depth in tree_under(db, enrolled_unit):
        parent = nodes.get(nodes[unit.code].parent or "") if unit.code in nodes else None
        plain = depth == 0 or parent is None or parent.parent is None
        choices.append((unit.code, unit.name if plain or parent is None else f"{unit.name} · {parent.name}"))
    return choices


def apply_tree(db: Database, tree: list[UnitNode], retired: set[str]) -> None:
    """Make the laptop's units HQ's tree: each unit added or renamed in place (records keep their unit code),
    and every unit not in the tree, or retired there, retired here."""
    db.conn.executemany(
        "INSERT INTO units (code, name, kind, parent_code, level, retired) VALUES (?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind,"
        " parent_code = excluded.parent_code, level = excluded.level, retired = excluded.retired",
        [(n.code, n.name, n.legacy_kind.value, n.parent, n.kind, int(n.code in retired)) for n in tree],
    )
    wanted = [n.code for n in tree]
    db.execute(f"UPDATE units SET retired = 1 WHERE code NOT IN ({', '.join('?' * len(wanted))})", wanted)


def ensure_units(db: Database, wanted: tuple[OrgUnit, ...]) -> None:
    """Add or rename the units IT lists; units already in use are never removed."""
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO units (code, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            [(u.code, u.name, u.kind.value) for u in wanted],
        )


def tree_under(db: Database, code: str) -> list[tuple[OrgUnit, int]]:
    """`code`'s unit and every unit in use under it, each with its depth below `code`, in tree order (each unit
    before its children, siblings by name): what a laptop enrolled for a BCU records sessions for, as HQ takes
    them (a BCU's laptop records for its teams). Empty when the laptop does not know `code`."""
    rows = db.execute("SELECT code, name, kind, parent_code FROM units WHERE retired = 0 ORDER BY name, code")
    units: dict[str, OrgUnit] = {}
    children: dict[str, list[str]] = {}
    for unit_code, name, kind, parent in rows:
        units[unit_code] = OrgUnit(code=unit_code, name=name, kind=UnitKind(kind))
        if parent:
            children.setdefault(parent, []).append(unit_code)
    found: list[tuple[OrgUnit, int]] = []
    seen: set[str] = set()
    waiting = [(code, 0)] if code in units else []
    while waiting:
        unit_code, depth = waiting.pop()
        if unit_code in seen:
            continue  # a tree HQ checked has no cycles; a damaged database must not loop here
        seen.add(unit_code)
        found.append((units[unit_code], depth))
        waiting += [(child, depth + 1) for child in reversed(children.get(unit_code, []))]
    return found
