"""What a session or a registration must look like to be stored: the one set of checks HQ applies to what a
laptop pushes and a laptop applies to what HQ sends back.

A record that fails is refused whole, never cut down to fit: HQ answers the laptop with the reason, and a
laptop leaves the record out and says how many it left. The reasons name the field, never its value, since a
value may be someone's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import GARBLING
from trainer_desk.core.sessions import DeliveryMode, SessionStatus
from trainer_desk.core.wire import feedback_from_wire

# Every date a record carries lies between these: the first courses it records were not run before 2000, and
# sessions are planned at most about a year ahead (`sessions.FURTHEST_AHEAD`) with a follow-up six months
# after, so anything later than two years from now is a year mistyped or made up.
EARLIEST = date(2000, 1, 1)
FURTHEST = timedelta(days=730)

# The longest each text may be, as the laptop's own forms and HQ's planning cut them.
_LIMITS = {
    "plan_id": 80,
    "plan_version": 40,
    "programme_id": 80,
    "unit_code": 40,
    "venue": 200,
    "wellbeing_contact": 200,
    "staff_number": 20,
    "recorded_by": 20,
    "walk_in_name": 200,  # forename and surname, up to 80 each, and the space between
    "session_uuid": 36,
}
_WORDS = {
    "plan_id": "plan",
    "plan_version": "plan version",
    "programme_id": "programme",
    "unit_code": "unit",
    "venue": "venue",
    "wellbeing_contact": "wellbeing contact",
    "staff_number": "staff number",
    "recorded_by": "recorder's staff number",
    "walk_in_name": "walk-in name",
    "session_uuid": "session",
}


class RecordError(ValueError):
    """A record that is not one Trainer Desk would write; its message is a reason for the person reading it."""


def check_session(payload: Mapping[str, Any], now: datetime) -> None:
    """A session as `wire.session_to_wire` writes one; RecordError for anything else."""
    for key in ("plan_id", "plan_version", "programme_id", "unit_code"):
        _text(payload, key, required=True)
    for key in ("venue", "wellbeing_contact"):  # typed or pasted freely: refused, a session's whole register was
        _text(payload, key, free=True)  # refused with it, for good (its record cannot change once sent)
    _one_of(payload.get("mode"), DeliveryMode, "delivery mode")
    _one_of(payload.get("status"), SessionStatus, "session status")
    starts = _moment(payload.get("starts_at"), "start", now)
    if payload.get("ends_at") is not None and _moment(payload.get("ends_at"), "end", now) < starts:
        raise RecordError("the session ends before it starts")
    trainers = payload.get("trainers") or []
    if not isinstance(trainers, list) or not all(_plain(t, _LIMITS["staff_number"]) for t in trainers):
        raise RecordError("the trainers are not a list of staff numbers")


def check_attendance(payload: Mapping[str, Any], now: datetime) -> None:
    """A registration as `wire.attendance_to_wire` writes one; RecordError for anything else."""
    for key in ("session_uuid", "staff_number", "unit_code"):
        _text(payload, key, required=True)
    for key in ("recorded_by", "walk_in_name"):
        _text(payload, key)
    _one_of(payload.get("status"), AttendanceStatus, "attendance status")
    _moment(payload.get("marked_at"), "time it was marked", now)
    due = payload.get("follow_up_due")
    try:
        day = date.fromisoformat(due) if isinstance(due, str) else None
    except ValueError:
        day = None
    if day is None or not EARLIEST <= day <= (now + FURTHEST).date():
        raise RecordError(f"the follow-up date is not a date between {EARLIEST:%Y} and two years from now")
    if not isinstance(payload.get("walk_in", False), bool):
        raise RecordError("whether they walked in is neither yes nor no")


def _text(payload: Mapping[str, Any], key: str, *, required: bool = False, free: bool = False) -> None:
    """`free` text (a venue, a wellbeing contact) may hold the tabs, line breaks and marks a paste brings;
    shown escaped, they do no harm. Only NUL, which no database stores as text, is refused there."""
    value = payload.get(key) if required or payload.get(key) is not None else ""
    if not isinstance(value, str) or (required and not value):
        raise RecordError(f"the {_WORDS[key]} is missing or not text")
    if len(value) > _LIMITS[key]:
        raise RecordError(f"the {_WORDS[key]} is longer than {_LIMITS[key]} characters")
    if free:
        if "\x00" in value:
            raise RecordError(f"the {_WORDS[key]} holds a NUL character")
    elif GARBLING.search(value):
        raise RecordError(f"the {_WORDS[key]} holds control characters or marks that reverse text")


def _plain(value: object, limit: int) -> bool:
    return isinstance(value, str) and len(value) <= limit and not GARBLING.search(value)


def _one_of(value: object, allowed: type[AttendanceStatus | DeliveryMode | SessionStatus], what: str) -> None:
    if not isinstance(value, str) or value not in {a.value for a in allowed}:
        raise RecordError(f"the {what} is not one Trainer Desk records")


def _moment(value: object, what: str, now: datetime) -> datetime:
    try:
        found = datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        found = None
    if found is None or found.utcoffset() is None:
        raise RecordError(f"the {what} is not a date and time with its time zone")
    if not EARLIEST <= found.date() <= (now + FURTHEST).date():
        raise RecordError(f"the {what} is not between {EARLIEST:%Y} and two years from now")
    return found


def record_problem(entity: str, payload: Mapping[str, Any], now: datetime) -> str:
    """Why a pushed record of this kind is not one a laptop would send ('' when it is): sessions,
    registrations and feedback forms, the records a console page shows as they were sent."""
    try:
        if entity == "session":
            check_session(payload, now)
        elif entity == "attendance":
            check_attendance(payload, now)
        elif entity == "feedback":
            feedback_from_wire(dict(payload))
    except ValueError as problem:
        return f"not a record Trainer Desk would send: {problem}"
    return ""
