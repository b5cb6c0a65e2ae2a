"""Organisation units as the database holds them."""

from __future__ import annotations

from sqlite_utils import Database

from trainer_desk.core.units import OrgUnit, UnitKind


def list_units(db: Database) -> list[OrgUnit]:
    return [
        OrgUnit(code=code, name=name, kind=UnitKind(kind))
        for code, name, kind in db.execute("SELECT code, name, kind FROM units ORDER BY kind, name")
    ]
