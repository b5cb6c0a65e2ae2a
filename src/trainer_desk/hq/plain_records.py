"""HQ's records in words a person reads, for the files HQ hands out: the sheet of every registration and a
subject access file. A record as HQ stores it carries ids, codes, HQ's own counters and status codes; read on
its own, a booking on a session not yet held said "absent", and a walk-in no one on the roster matched seemed
to count for the number they typed. Here each line is named (programme, session, venue, unit, person), its
status is the register's word for it (`register_rows.status_in_words`), and HQ's counters are left out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.people import written_name
from trainer_desk.core.register_rows import booked_ahead, status_in_words
from trainer_desk.hq import schema, session_labels
from trainer_desk.hq.completions import Resolution, credited_to
from trainer_desk.hq.records import live_sessions

NO_ONE_YET = "no one on the roster yet"  # a walk-in whose number matches nobody, until HQ matches them


@dataclass(frozen=True, slots=True)
class Known:
    """What names a record, read once for a whole file: the sessions, the roster's names, and the names of
    programmes, plans and units."""

    sessions: Mapping[str, Mapping[str, Any]]
    names: Mapping[str, str]
    labels: session_labels.Labels

    def person(self, number: object) -> str:
        """Someone as a file names them: "Aleksandra Wiśniewska (710001)", or the number alone."""
        text = str(number or "")
        return f"{self.names[text]} ({text})" if text in self.names else text


def known(engine: Engine, blobs: Path) -> Known:
    roster = schema.roster
    with engine.connect() as conn:
        names = {
            str(r.staff_number): written_name(r.forename, r.surname)
            for r in conn.execute(select(roster.c.staff_number, roster.c.forename, roster.c.surname))
        }
    sessions = {s.uuid: s.payload for s in live_sessions(engine)}
    return Known(sessions, names, session_labels.labels(engine, blobs))


def moment(stored: object) -> str:
    """A stored moment on the force's clocks, to the minute, in a form a spreadsheet sorts and reads as a
    date: 2027-06-15 09:00. What is not a moment is given as it is."""
    found = force_clock.parsed(stored) if stored else None
    return f"{found:%Y-%m-%d %H:%M}" if found else str(stored or "")


def yes_no(value: object) -> str:
    return "yes" if value else "no"


def session_in_words(session: Mapping[str, Any], labels: session_labels.Labels) -> dict[str, str]:
    """A session as a person knows it: its programme, plan, unit, venue and times, and whether it was held."""
    return {
        "session id": str(session.get("uuid", "")),
        "programme": labels.programme(session),
        "lesson plan": labels.plan(session),
        "unit": labels.unit(session.get("unit_code")),
        "venue": str(session.get("venue", "")),
        "starts": moment(session.get("starts_at")),
        "ends": moment(session.get("ends_at")),
        "session status": session_labels.status_word(session.get("status")),
    }


def status(payload: Mapping[str, Any], session: Mapping[str, Any], deleted: bool) -> str:
    """A registration's status as the register words it; a line taken off a register says so, and what it
    was, rather than only what it was (a booking taken off read as a recorded absence)."""
    word = status_in_words(payload.get("status"), session.get("status"))
    if not deleted:
        return word
    if booked_ahead(payload.get("status"), session.get("status")):
        return "Booked, then taken off the register"
    return f"{word}, then taken off the register"


def follow_up_due(payload: Mapping[str, Any], session: Mapping[str, Any]) -> str:
    """The day the six-month follow-up falls due; none for a booking on a session not held, which is no
    training to follow up."""
    return "" if booked_ahead(payload.get("status"), session.get("status")) else str(payload.get("follow_up_due", ""))


def counts_for(payload: dict[str, Any], resolution: Resolution | None, known: Known) -> str:
    """Whom a registration counts for, named: the person HQ matched it to, or whose number was recorded; a
    walk-in whose number no one on the roster has counts for no one yet, and one HQ dismissed for no one."""
    number = credited_to(payload, resolution)
    if not number:
        return "no one"
    if number not in known.names and payload.get("walk_in") and resolution is None:
        return NO_ONE_YET
    return known.person(number)


def walk_in_name(payload: Mapping[str, Any]) -> str:
    """The name a walk-in gave; nothing for anyone else (a laptop may send one it kept from an edit)."""
    return str(payload.get("walk_in_name", "")) if payload.get("walk_in") else ""


# HQ's own bookkeeping, in no one's words: an order, an edit's version, a key to search names by.
INTERNAL_KEYS = frozenset({"seq", "version", "base_version", "name_key", "device_id", "created_by"})
# Keys whose plain name is not the key with its underscores as spaces.
KEY_WORDS = {
    "uuid": "id",
    "programme_id": "programme",
    "plan_id": "lesson plan",
    "unit_code": "unit",
    "removed": "no longer on the roster",
    "left_at": "left the roster on",
    "previous_unit": "unit before their last move",
    "rank": "rank or grade",
    "actor": "staff number",
    "last_seen": "last synced",
    "lost": "reported lost",
}


def plain(record: Mapping[str, Any], labels: session_labels.Labels) -> dict[str, Any]:
    """A record as its owner reads it: keys in words, programmes and units by name, moments on the force's
    clocks, yes or no for a flag; HQ's bookkeeping (INTERNAL_KEYS) is left out, everything else kept."""
    found: dict[str, Any] = {}
    for key, value in record.items():
        if key in INTERNAL_KEYS:
            continue
        if key == "programme_id":
            value = labels.programme(record)
        elif key in ("unit", "unit_code", "previous_unit") and value:
            value = labels.unit(value)
        elif key == "plan_id":
            value = labels.plan(record)
        elif isinstance(value, bool):
            value = yes_no(value)
        elif (key == "at" or key.endswith(("_at", "_seen", "_completed"))) and isinstance(value, str):
            value = moment(value)
        found[KEY_WORDS.get(key, key.replace("_", " "))] = value
    return found
