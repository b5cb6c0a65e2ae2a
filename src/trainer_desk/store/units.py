"""Organisation units as the database holds them."""

from __future__ import annotations

from trainer_desk.core.units import OrgUnit, UnitKind
from trainer_desk.store.connection import Database


def list_units(db: Database) -> list[OrgUnit]:
    return [
        OrgUnit(code=code, name=name, kind=UnitKind(kind))
        for code, name, kind in db.execute("SELECT code, name, kind FROM units ORDER BY kind, name")
    ]


def ensure_units(db: Database, wanted: tuple[OrgUnit, ...]) -> None:
    """Add or rename the units IT lists; units already in use are never removed."""
    with db.atomic():
        db.conn.executemany(
            "INSERT INTO units (code, name, kind) VALUES (?, ?, ?)"
            " ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind",
            [(u.code, u.name, u.kind.value) for u in wanted],
        )
