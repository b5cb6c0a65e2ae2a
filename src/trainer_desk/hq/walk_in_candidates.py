"""Whom a walk-in likely was: the people on HQ's roster offered beside it on the walk-ins page.

Matching a walk-in once meant knowing the staff number already, and the console has no roster search. A walk-in
is most often someone whose number was typed with a slip (a letter O for a zero, a digit missed, doubled or two
swapped), or whose name is on the roster written another way (Brzeczyszczykiewicz for Brzęczyszczykiewicz,
"apGwilym" for "ap Gwilym"). So each walk-in is offered the people whose number is the typed one with such a slip
put right, and those whose name folds to the same as the name given, those of the session's unit first.

At national scale the roster holds 300,000 people and the page lists every open walk-in: all the walk-ins' likely
numbers are looked up in one query by the primary key, and all their names in one by the roster's folded name
(`roster.name_key`, indexed), never a scan of the roster for each walk-in. Offering someone matches nobody: the
candidate's button leads to the confirmation page (`walk_in_match`), as a typed number does."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from trainer_desk.core.people import fold_name, written_name
from trainer_desk.hq import schema, units
from trainer_desk.hq.database import one_of

SHOWN = 5  # candidates shown for a walk-in: more says the name or number is too common to guess from
CHUNK = 5000  # values in one IN list: well under what either database takes in one statement
_SLIPS = {"O": "0", "I": "1", "L": "1", "S": "5", "B": "8"}  # letters typed for the digits they look like


def name_key(forename: str, surname: str) -> str:
    """A name as the walk-ins page compares it: accents, case, punctuation and spacing aside, so that
    "Brzeczyszczykiewicz" finds "Brzęczyszczykiewicz" and "apGwilym" finds "ap Gwilym". Stored on the roster."""
    return fold_name(f"{forename} {surname}").replace(" ", "")[:200]


def number_slips(typed: str) -> set[str]:
    """The staff numbers `typed` may have been meant as: itself with letters read as the digits they look like
    (O for 0, I or l for 1, S for 5, B for 8), and each of those with a digit missed, a digit doubled, or two
    side by side swapped, put right. A few hundred at most, for the database to look up by its key."""
    typed = "".join(typed.split()).upper()[:20]
    if not typed:
        return set()
    read = "".join(_SLIPS.get(c, c) for c in typed)
    found = {typed, read}
    for base in (typed, read):
        for i in range(len(base) + 1):  # a digit missed
            found.update(base[:i] + d + base[i:] for d in "0123456789")
        for i in range(len(base) - 1):
            if base[i] == base[i + 1]:  # a digit doubled
                found.add(base[:i] + base[i + 1 :])
            else:  # two swapped
                found.add(base[:i] + base[i + 1] + base[i] + base[i + 2 :])
    return found


@dataclass(frozen=True, slots=True)
class Candidate:
    """Someone on the roster a walk-in may have been, as the walk-ins page shows them."""

    staff_number: str
    name: str
    unit: str  # the unit's code: the page shows its name
    rank: str  # the rank, or for staff without one their role
    completed: bool  # had already completed the session's programme before this walk-in was matched
    by_number: bool  # the number typed names them, with a slip put right
    by_name: bool  # the name given is theirs


@dataclass(frozen=True, slots=True)
class Offered:
    """The candidates shown for one walk-in, and how many more there were."""

    shown: list[Candidate]
    more: int


def candidates(
    conn: Connection, walk_ins: list[dict[str, Any]], covers: Callable[[str | None], bool]
) -> dict[str, Offered]:
    """For each walk-in (as `walk_ins.walk_ins` lists them, by registration), the people on the roster it likely
    was: on the roster of the session's force (a session credits no other force's people) and within the
    account's grant (`covers`). Those both numbers and names point to first, then the session's unit's people,
    then those the number points to; at most `SHOWN`, with how many more there were."""
    slips = {str(w["registration"]): number_slips(str(w.get("staff_number", ""))) for w in walk_ins}
    keys = {
        str(w["registration"]): name_key("", str(w.get("name_given", "")))
        for w in walk_ins
        if name_key("", str(w.get("name_given", "")))
    }
    people = _people(conn, sorted(set().union(*slips.values())), sorted(set(keys.values())))
    programmes = {str(w.get("programme_id", "")) for w in walk_ins}
    done = _completed(conn, sorted(people), sorted(programmes))
    forces = units.forces(conn, units.tree_seq(conn))
    offered = {}
    for w in walk_ins:
        registration, session_unit = str(w["registration"]), str(w.get("session_unit", ""))
        force = units.force_in(forces, session_unit)
        found = [
            Candidate(
                staff_number=number,
                name=written_name(p["forename"], p["surname"]),
                unit=str(p["unit"]),
                rank=str(p["rank"] or p["role"]),
                completed=(number, str(w.get("programme_id", ""))) in done,
                by_number=number in slips[registration],
                by_name=registration in keys and p["name_key"] == keys[registration],
            )
            for number, p in people.items()
            if (number in slips[registration] or (registration in keys and p["name_key"] == keys[registration]))
            and force.holds(str(p["unit"]))
            and covers(str(p["unit"]))
        ]
        found.sort(
            key=lambda c: (
                not (c.by_number and c.by_name),
                c.unit != session_unit,
                not c.by_number,
                fold_name(c.name),
                c.staff_number,
            )
        )
        offered[registration] = Offered(found[:SHOWN], max(0, len(found) - SHOWN))
    return offered


def _people(conn: Connection, numbers: list[str], keys: list[str]) -> dict[str, dict[str, Any]]:
    """Everyone on the roster (not removed) with one of `numbers`, or a name folded to one of `keys`: looked up
    by the primary key and by the name's index, a chunk of values at a time."""
    roster = schema.roster.c
    columns = (roster.staff_number, roster.forename, roster.surname, roster.unit, roster.rank, roster.role)
    found: dict[str, dict[str, Any]] = {}
    for column, values in ((roster.staff_number, numbers), (roster.name_key, keys)):
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            rows = conn.execute(
                select(*columns, roster.name_key).where(one_of(conn, column, chunk), roster.removed.is_(False))
            )
            found.update({str(r.staff_number): dict(r._mapping) for r in rows})
    return found


def _completed(conn: Connection, numbers: Iterable[str], programmes: list[str]) -> set[tuple[str, str]]:
    """Which of `numbers` had completed which of `programmes`, as HQ's completions stand."""
    done = schema.people_completed.c
    numbers = list(numbers)
    found: set[tuple[str, str]] = set()
    for start in range(0, len(numbers), CHUNK):
        rows = conn.execute(
            select(done.staff_number, done.programme_id).where(
                one_of(conn, done.staff_number, numbers[start : start + CHUNK]),
                one_of(conn, done.programme_id, programmes),
            )
        )
        found.update((str(r.staff_number), str(r.programme_id)) for r in rows)
    return found
