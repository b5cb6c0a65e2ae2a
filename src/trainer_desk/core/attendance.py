"""Attendance: who was at a session, in what state, recorded by whom, and when HQ should follow it up."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from trainer_desk.core.people import Person, hidden_character, is_valid_staff_number, normalise_staff_number

FOLLOW_UP_MONTHS = 6  # the impact questionnaire goes out six months after the course


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


def walk_in_problems(
    number: str, forename: str, surname: str, unit_code: str, unit_codes: set[str], on_roster: Person | None = None
) -> list[str]:
    """What is wrong with a walk-in's details, in words for the trainer; empty when they can be added.
    `on_roster` is whoever the roster has under that number: a walk-in under it would be recorded as them."""
    problems = []
    if on_roster is not None:
        problems.append(
            f"{on_roster.staff_number} is on the roster as {on_roster.full_name} ({on_roster.unit_code}): "
            "cancel and find them in the search, or check the number."
        )
    if not is_valid_staff_number(normalise_staff_number(number)):
        problems.append("The staff number should be 3 to 12 letters or digits, with at least one digit.")
    if not forename.strip() or not surname.strip():
        problems.append("Enter both forename and surname.")
    for field, text in (("staff number", number), ("forename", forename), ("surname", surname)):
        if hidden := hidden_character(text):  # said of one field: the trainer cannot see what to take out
            problems.append(f"The {field} contains {hidden}: delete it and type it again.")
            break
    if unit_code not in unit_codes:
        problems.append("Choose the person's unit.")
    return problems
