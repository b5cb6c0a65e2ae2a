"""Someone due at two sessions at once: booked on the register of one planned session, or training it, while
another is planned for them at a time that overlaps it. A lead planning a session from a chase list books
whoever is outstanding, and some of them are already booked elsewhere that morning; a trainer named on two
rooms at once cannot be in both. Nothing stops a lead who means it (a trainer who leads the first hour and
hands over), so a clash is said before anything is planned, and planned anyway only when the lead says so."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.lesson_plan import LessonPlan

UNKNOWN_LENGTH_MINUTES = 180  # a session whose plan is no longer published: half a working day
MOST_NAMED = 10  # in the message; the rest are counted


@dataclass(frozen=True, slots=True)
class Booked:
    """Someone due at a planned session: on its register, or one of its trainers."""

    staff_number: str
    starts_at: datetime
    minutes: int
    session: str  # the session as a person would name it: "Upstander, 2026-12-10 09:30, Room 4"
    as_trainer: bool = False


@dataclass(frozen=True, slots=True)
class PlanLengths:
    """Each lesson plan's title and length, by id, to say how long a planned session lasts and name it."""

    titles: Mapping[str, str]
    minutes: Mapping[str, int]

    @classmethod
    def of(cls, plans: Iterable[LessonPlan]) -> PlanLengths:
        listed = list(plans)
        return cls({p.id: p.title for p in listed}, {p.id: p.duration_minutes for p in listed})

    def length(self, plan_id: str) -> int:
        return self.minutes.get(plan_id, UNKNOWN_LENGTH_MINUTES)

    def session(self, plan_id: str, starts_at: str, venue: str) -> str:
        """A session as a person would name it: "Upstander, 2026-12-10 09:30, Room 4"."""
        return f"{self.titles.get(plan_id, plan_id)}, {starts_at}, {venue}"


UNKNOWN_PLANS = PlanLengths({}, {})  # each session named by its plan's id, and lasting UNKNOWN_LENGTH_MINUTES


class BookingClashError(UserFacingError):
    """Refused because some of the people named are due elsewhere at that time: a form offers to plan it
    anyway, where any other refusal asks for something to be put right."""


def clashes(starts_at: datetime, minutes: int, people: Collection[str], booked: Iterable[Booked]) -> list[Booked]:
    """Of `booked`, those of `people` due at a session overlapping the one from `starts_at` for `minutes`."""
    ends = starts_at + timedelta(minutes=minutes)
    return [
        b
        for b in booked
        if b.staff_number in people and b.starts_at < ends and starts_at < b.starts_at + timedelta(minutes=b.minutes)
    ]


def refuse_clashes(found: list[Booked], names: Mapping[str, str]) -> None:
    """Raise `BookingClashError` naming each clash (at most `MOST_NAMED`), if there is any."""
    if not found:
        return
    said = [
        f"{_who(b.staff_number, names)} {'trains' if b.as_trainer else 'is booked on'} {b.session}"
        for b in found[:MOST_NAMED]
    ]
    more = f", and {len(found) - MOST_NAMED} more" if len(found) > MOST_NAMED else ""
    raise BookingClashError(
        f"Not planned: {len(found)} of the people named are due at another session at that time: "
        f"{'; '.join(said)}{more}. Take them off this one, or plan it anyway."
    )


def _who(number: str, names: Mapping[str, str]) -> str:
    return f"{names[number]} ({number})" if names.get(number) else number
