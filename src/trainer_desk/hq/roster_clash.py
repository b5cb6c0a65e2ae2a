"""The refusal of a force's roster naming a staff number HQ already holds for someone in another force.

HQ keys its roster by staff number across every force it serves, so two forces that number their staff the
same way cannot share one HQ without distinct numbers. A force's administrator is told only that the number
is taken outside their force, and whom to ask: nothing of who is on another force's roster. An administrator
of the whole of HQ (or its command line) is told whose roster holds each number, and whether it looks like
the same person moving between forces (marked as left there first) or two people given one number."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import Connection, select

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import Person, written_name
from trainer_desk.core.roster_import import name_key
from trainer_desk.hq import schema

MOST = 10  # numbers named in one refusal; the rest counted


class _Held(Protocol):
    forename: str
    surname: str
    unit: str


class NumbersHeldElsewhereError(UserFacingError):
    """`message`: what a force's administrator reads; `for_every_force`: what one who sees every force does."""

    def __init__(self, message: str, for_every_force: str) -> None:
        super().__init__(message)
        self.for_every_force = for_every_force


def words_for(error: UserFacingError, sees_every_force: bool) -> str:
    """What a refused import says to someone who sees every force's roster, or only their own."""
    if sees_every_force and isinstance(error, NumbersHeldElsewhereError):
        return error.for_every_force
    return error.message


def held_elsewhere(
    conn: Connection, numbers: Sequence[str], incoming: Mapping[str, Person], held: Mapping[str, Any], force_name: str
) -> NumbersHeldElsewhereError:
    """The refusal of `numbers` (sorted), which `held` (HQ's roster rows by number) has in forces other than
    `force_name`'s."""
    shown = list(numbers[:MOST])
    more = f" and {len(numbers) - MOST} more" if len(numbers) > MOST else ""
    one = len(numbers) == 1
    which = f"staff number {shown[0]}" if one else f"staff numbers {', '.join(shown)}{more}"
    brief = (
        f"Not imported: {which} cannot be used: HQ already holds {'that number' if one else 'those numbers'} for "
        f"{'someone' if one else 'people'} outside {force_name}. Staff numbers must be unique across every force "
        "on this HQ; ask HQ's national administrator."
    )
    forces = _force_of_each_unit(conn)
    lines = [
        _explained(n, incoming[n], held[n], forces.get(str(held[n].unit), "another force"), force_name) for n in shown
    ]
    return NumbersHeldElsewhereError(brief, " ".join([f"Not imported into {force_name}'s roster:", *lines]) + more)


def _explained(number: str, coming: Person, there: _Held, other: str, force_name: str) -> str:
    name = written_name(there.forename, there.surname)
    if name_key(coming.forename, coming.surname) == name_key(there.forename, there.surname):
        return (
            f"staff number {number} is {name} on {other}'s roster. If they are moving to {force_name}, import "
            f"{other}'s roster without them first (they are then marked as left there), then this one."
        )
    return (
        f"staff number {number} is {name} on {other}'s roster, and {written_name(coming.forename, coming.surname)} "
        f"in this file: two people with one number. Staff numbers must be unique across every force on this HQ: "
        "one of them needs a different number."
    )


def _force_of_each_unit(conn: Connection) -> dict[str, str]:
    """Each unit's code with the name of the unit at the top of its tree (its force)."""
    units = schema.units.c
    rows = {r.code: (r.parent, r.name) for r in conn.execute(select(units.code, units.parent, units.name))}
    found: dict[str, str] = {}
    for code in rows:
        top, seen = code, {code}
        while (parent := rows[top][0]) and parent in rows and parent not in seen:
            top = parent
            seen.add(top)
        found[code] = rows[top][1]
    return found
