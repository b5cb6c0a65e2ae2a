"""Attendance: who was at a session, in what state, recorded by whom, and when HQ should follow it up."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from trainer_desk.core.people import Person, hidden_character, is_valid_staff_number, normalise_staff_number

FOLLOW_UP_MONTHS = 6  # the impact questionnaire goes out six months after the course
# Who recorded an arrival when the person signed themselves in on the laptop handed round the room: the signed
# attendance sheet says so, as an auditor asks who was marked by the trainer and who marked themselves.
SELF_SIGN_IN = "self sign-in"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left-early"
    ABSENT = "absent"  # booked in advance but did not come

    @property
    def label(self) -> str:
        return self.value.replace("-", " ").capitalize()

    @property
    def completes_training(self) -> bool:
        """Late arrivals completed it; leaving early or not coming did not."""
        return self in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)

    def shown(self, delivered: bool) -> str:
        """The word a person reads, on screen and on paper. A planned session's register holds the people
        booked as absent until they come; before it has happened (or once it is cancelled) that line means
        booked, and "absent" would say they had missed it."""
        return "Booked" if self is AttendanceStatus.ABSENT and not delivered else self.label


def read_status(value: object) -> AttendanceStatus | None:
    """A status as a record held at HQ states it, or None for one no release writes (records are untrusted)."""
    try:
        return AttendanceStatus(str(value))
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class Attendance:
    uuid: str
    session_uuid: str
    staff_number: str
    unit_code: str
    status: AttendanceStatus
    marked_at: datetime
    recorded_by: str
    follow_up_due: date
    walk_in: bool = False  # not on the roster when marked: HQ reconciles
    walk_in_name: str = ""
    version: int = 1


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def follow_up_due(session_day: date) -> date:
    return add_months(session_day, FOLLOW_UP_MONTHS)


@dataclass(frozen=True, slots=True)
class WalkInProblem:
    """One thing wrong with a walk-in's details, and the field it is about ("number", "forename", "surname",
    "unit"), so that the form can take the trainer to it."""

    field: str
    text: str


def walk_in_problems(
    number: str,
    forename: str,
    surname: str,
    unit_code: str,
    unit_codes: set[str],
    on_roster: Person | None = None,
    roster_lengths: tuple[int, int] | None = None,
) -> list[WalkInProblem]:
    """What is wrong with a walk-in's details, in words for the trainer; empty when they can be added.
    `on_roster` is whoever the roster has under that number: a walk-in under it would be recorded as them.
    `roster_lengths` is the shortest and longest number on the roster: a number shorter than all of them is a
    slip ("123", a digit or more missed), not a colleague's; a longer one may be a new scheme, so it is let by."""
    problems = []
    number = normalise_staff_number(number)
    if on_roster is not None:
        problems.append(
            WalkInProblem(
                "number",
                f"{on_roster.staff_number} is on the roster as {on_roster.full_name} ({on_roster.unit_code}): "
                "cancel and find them in the search, or check the number.",
            )
        )
    if not is_valid_staff_number(number):
        problems.append(
            WalkInProblem("number", "The staff number should be 3 to 12 letters or digits, with at least one digit.")
        )
    elif roster_lengths is not None and len(number) < roster_lengths[0]:
        shortest, longest = roster_lengths
        lengths = f"{shortest} to {longest}" if longest > shortest else f"{shortest}"
        problems.append(
            WalkInProblem(
                "number",
                f"Staff numbers on this laptop's roster are {lengths} letters or digits long, and {number} has only "
                f"{len(number)}: check the number.",
            )
        )
    if not forename.strip() or not surname.strip():
        problems.append(
            WalkInProblem("forename" if not forename.strip() else "surname", "Enter both forename and surname.")
        )
    for field, text in (("number", number), ("forename", forename), ("surname", surname)):
        if hidden := hidden_character(text):  # said of one field: the trainer cannot see what to take out
            said = "staff number" if field == "number" else field
            problems.append(WalkInProblem(field, f"The {said} contains {hidden}: delete it and type it again."))
            break
    if unit_code not in unit_codes:
        problems.append(WalkInProblem("unit", "Choose the person's unit."))
    return problems
