"""Which force each unit belongs to, for the pages and files of an HQ serving several forces: two forces may
each have a "North Response Team 1", and a national view that names units alone cannot say whose a row is.
Where everything shown is of one force, none of this adds a word, so a one-force HQ's pages read as before."""

from __future__ import annotations

from collections.abc import Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from sqlalchemy import Engine

from trainer_desk.core.unit_tree import force_of_each
from trainer_desk.hq.dashboard import Breakdown
from trainer_desk.hq.units import unit_nodes


def unit_forces(engine: Engine, units: AbstractSet[str]) -> dict[str, str]:
    """Each of `units` with its force's name, where they span several forces; empty where they are of one."""
    return force_of_each(unit_nodes(engine), units)


def force_codes(engine: Engine) -> dict[str, str]:
    """Each force's name with the code of its unit at the top of the tree, for a row to link to its figures."""
    return {node.name: node.code for node in unit_nodes(engine) if node.parent is None}


def unit_with_force(name: str, code: object, forces: Mapping[str, str]) -> str:
    """A unit's name with its force's beside it where the page spans several forces (and the unit is not the
    force itself): "North Response Team 1 (Westshire Police)"."""
    force = forces.get(str(code or ""), "")
    return f"{name} ({force})" if force and force != name else name


def sessions_with_forces(sessions: list[dict[str, Any]], forces: Mapping[str, str]) -> list[dict[str, Any]]:
    """The sessions a page lists (`session_labels.labelled`), each unit named with its force where several."""
    if not forces:
        return sessions
    return [{**s, "unit_name": unit_with_force(str(s["unit_name"]), s.get("unit_code"), forces)} for s in sessions]


def by_force(by_unit: list[Breakdown], forces: Mapping[str, str], codes: Mapping[str, str]) -> list[Breakdown]:
    """One row per force, side by side, from a breakdown by unit's top rows (each counts every unit under it):
    what a national dashboard compares first, where every team of every force in one list was unusable. Each
    row's `unit` is the force's code where the tree has one (for its link), else its name; in name order."""
    totals: dict[str, list[int]] = {}
    for row in by_unit:
        if row.parent == "" and row.depth == 0:
            force = forces.get(row.unit, row.unit)
            total = totals.setdefault(force, [0, 0])
            total[0] += row.people
            total[1] += row.completed
    return [
        Breakdown(codes.get(name, name), "", people, completed)
        for name, (people, completed) in sorted(totals.items(), key=lambda item: item[0].casefold())
    ]
