"""What matching a walk-in to a staff number would do, seen before it is done.

A typo in the number credits another officer, and every laptop then learns it. So the console shows the name
given on the day beside the roster's name, unit and rank for the number typed, and the match is made only from
that page, and only if neither the walk-in nor that roster entry changed since it was shown (`MatchCheck.seen`).
The checks here are those every match passes, from the console or the command line alike."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.people import fold_name, written_name
from trainer_desk.hq import schema, units
from trainer_desk.hq.completions import payload_object, resolutions

MIN_PREFIX = 8  # characters of a registration's uuid that name it, as the walk-ins list shows it


class ChangedMeanwhileError(UserFacingError):
    """The walk-in, or the roster's entry for the number, changed after the person was shown them."""


@dataclass(frozen=True, slots=True)
class MatchCheck:
    """The walk-in as it was written on the day, and whom the number typed names on HQ's roster."""

    registration: str  # the whole uuid
    staff_number: str
    name_given: str
    unit_given: str
    session_starts_at: str
    session_unit: str
    roster_name: str
    roster_unit: str
    roster_rank: str  # the rank, or for staff without one their role
    decision: str  # what HQ decided for it before, if anything ("matched to 710002 at HQ")
    seen: str  # a digest of all the above as read: the match is refused if it is no longer the same

    @property
    def names_differ(self) -> bool:
        """The name given on the day is not the roster's (accents, case and spacing aside): likely a typo."""
        return bool(self.name_given) and fold_name(self.name_given) != fold_name(self.roster_name)


def find_walk_in(conn: Connection, registration: str) -> tuple[str, dict[str, Any]]:
    """The walk-in named by `registration` (its uuid or the start of it): its whole uuid and its payload."""
    registration = registration.strip().lower()
    if len(registration) < MIN_PREFIX:
        raise UserFacingError(f"name the registration by at least {MIN_PREFIX} characters of its id")
    records = schema.records
    found = list(
        conn.execute(
            select(records.c.uuid, records.c.payload)
            .where(records.c.entity == "attendance", records.c.uuid.startswith(registration, autoescape=True))
            .limit(2)
        )
    )
    if not found:
        raise UserFacingError(f"HQ holds no registration {registration}")
    if len(found) > 1:
        raise UserFacingError(f"more than one registration starts {registration}: give more of its id")
    uuid, payload = str(found[0].uuid), json.loads(found[0].payload)
    if not isinstance(payload, dict) or not payload.get("walk_in"):
        raise UserFacingError(f"registration {uuid} is not a walk-in: it was taken from the roster")
    return uuid, payload


def held_at(conn: Connection, registration: str) -> str | None:
    """The unit of the session walk-in `registration` was typed at, which decides whose it is to match (an
    account's grant must cover it: `console.scope.reach`); None if there is no such walk-in, so that a walk-in of
    a unit outside the grant and one that does not exist answer alike."""
    try:
        _uuid, payload = find_walk_in(conn, registration)
    except UserFacingError:
        return None
    records = schema.records.c
    stored = conn.execute(
        select(records.payload).where(records.entity == "session", records.uuid == payload.get("session_uuid"))
    ).scalar()
    return str(payload_object(stored).get("unit_code", "")) if stored else None


def person_for(conn: Connection, payload: dict[str, Any], staff_number: str) -> tuple[RowMapping, dict[str, Any]]:
    """The roster's entry for `staff_number`, who may be credited with this walk-in's session, and the session."""
    roster = schema.roster.c
    person = (
        conn.execute(
            select(roster.forename, roster.surname, roster.unit, roster.rank, roster.role, roster.removed).where(
                roster.staff_number == staff_number
            )
        )
        .mappings()
        .first()
    )
    if person is None or person["removed"]:
        raise FieldError(
            "staff_number",
            f"{staff_number} is not on HQ's roster: check the number, or import the roster that has them first",
        )
    records = schema.records.c
    stored = conn.execute(
        select(records.payload).where(records.entity == "session", records.uuid == payload.get("session_uuid"))
    ).scalar()
    session = payload_object(stored) if stored else {}
    if not units.force_of(conn, str(session.get("unit_code", "")), units.tree_seq(conn)).holds(person["unit"]):
        raise FieldError(
            "staff_number",
            f"{staff_number} is on another force's roster than this session's: "
            "a session credits its own force's people",
        )
    return person, session


def check_match(conn: Connection, registration: str, staff_number: str) -> MatchCheck:
    """What matching this walk-in to `staff_number` would credit, or a UserFacingError saying why it cannot."""
    staff_number = staff_number.strip()
    if not staff_number:
        raise FieldError("staff_number", "Type the staff number of the person this walk-in was.")
    uuid, payload = find_walk_in(conn, registration)
    person, session = person_for(conn, payload, staff_number)
    before = resolutions(conn, [uuid]).get(uuid)
    shown = {
        "registration": uuid,
        "staff_number": staff_number,
        "name_given": str(payload.get("walk_in_name", "")),
        "unit_given": str(payload.get("unit_code", "")),
        "session_starts_at": str(session.get("starts_at", "")),
        "session_unit": str(session.get("unit_code", "")),
        "roster_name": written_name(person["forename"], person["surname"]),
        "roster_unit": str(person["unit"]),
        "roster_rank": str(person["rank"] or person["role"]),
        "decision": before.describe() if before else "",
    }
    decided = before.decided_at if before else ""
    digest = hashlib.sha256(json.dumps([shown, decided, payload], sort_keys=True).encode()).hexdigest()[:32]
    return MatchCheck(**shown, seen=digest)


def still_as_seen(conn: Connection, registration: str, staff_number: str, seen: str) -> None:
    """Refuses a match confirmed on a page that no longer shows what it would do."""
    if check_match(conn, registration, staff_number).seen != seen:
        raise ChangedMeanwhileError(
            f"Not matched: this walk-in, or the roster's entry for {staff_number.strip()}, changed after you "
            "looked. Check it again below."
        )
