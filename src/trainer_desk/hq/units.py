"""HQ's copy of the force's unit tree: replaced from the force's units.toml, every change numbered in HQ's one
sequence so that laptops pull it with the roster. Until a tree is imported, HQ checks units against the
built-in demonstration list, as before."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, insert, select, update

from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq


def import_units(engine: Engine, nodes: list[UnitNode]) -> tuple[int, int, int]:
    """Make HQ's tree `nodes`; a unit left out is retired (records naming it keep it). Returns how many were
    added, changed and retired."""
    added = changed = retired = 0
    with engine.begin() as conn:
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
    return added, changed, retired


def unit_codes(engine: Engine) -> list[str]:
    """The units a roster row or an enrollment may name: the force's tree, or the demonstration list."""
    with engine.connect() as conn:
        codes = [r.code for r in conn.execute(select(schema.units.c.code).where(schema.units.c.retired.is_(False)))]
    return sorted(codes) if codes else [u.code for u in DEFAULT_UNITS]


def tree(conn: Connection) -> list[dict[str, object]]:
    """Every unit, retired ones too, as a laptop receives them."""
    return [
        {"code": r.code, "name": r.name, "parent": r.parent, "kind": r.kind, "retired": bool(r.retired)}
        for r in conn.execute(select(schema.units).order_by(schema.units.c.code))
    ]
