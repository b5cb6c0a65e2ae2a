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
    anyway for `people` (their staff numbers), where any other refusal asks for something to be put right.
    The message is whole for a command line; a page lists `lines` (one a person) under `heading`."""

    def __init__(self, heading: str, lines: list[str], more: str, people: tuple[str, ...], ask: str) -> None:
        super().__init__(f"{heading} {'; '.join(lines)}{more}. {ask}")
        self.heading = heading
        self.ask = ask
        self.lines = [*lines, *([more.removeprefix(", ")] if more else [])]
        self.people = people


ASK = "Take them off this one, or plan it anyway."
ASK_CHANGE = "Choose another time or trainer, or save the change anyway."


def clashes(starts_at: datetime, minutes: int, people: Collection[str], booked: Iterable[Booked]) -> list[Booked]:
    """Of `booked`, those of `people` due at a session overlapping the one from `starts_at` for `minutes`."""
    ends = starts_at + timedelta(minutes=minutes)
    return [
        b
        for b in booked
        if b.staff_number in people and b.starts_at < ends and starts_at < b.starts_at + timedelta(minutes=b.minutes)
    ]


def refuse_clashes(
    found: list[Booked],
    names: Mapping[str, str],
    accepted: Collection[str] = (),
    *,
    changing: bool = False,
    done: Mapping[str, str] | None = None,
    programme: str = "",
) -> None:
    """Raise `BookingClashError` naming each person due elsewhere (at most `MOST_NAMED`, each once, with every
    session they are due at), and each of `done` (staff number -> what they did: "completed it on 1 Sep 2026",
    "is exempt from it") who would be booked on a session of `programme` they need not come to, if there is
    anyone not in `accepted`: those the lead was shown and chose to plan anyway. One refusal and one "anyway"
    for both, so a lead planning from a list is asked once. Someone added to the form since is said again, not
    let through with the others."""
    done = done or {}
    sessions_of: dict[str, list[str]] = {}
    for b in found:
        said = f"{'trains' if b.as_trainer else 'is booked on'} {b.session}"
        if said not in sessions_of.setdefault(b.staff_number, []):
            sessions_of[b.staff_number].append(said)
    for number, did in done.items():
        sessions_of.setdefault(number, []).append(did)
    if not set(sessions_of) - set(accepted):
        return
    lines = [f"{_who(n, names)} {' and '.join(said)}" for n, said in list(sessions_of.items())[:MOST_NAMED]]
    more = f", and {len(sessions_of) - MOST_NAMED} more" if len(sessions_of) > MOST_NAMED else ""
    one = len(sessions_of) == 1
    count = "1 of the people named" if one else f"{len(sessions_of)} of the people named"
    why = []
    if found:
        why.append(f"{'is' if one else 'are'} due at another session at that time")
    if done:
        have, are = ("has", "is") if one else ("have", "are")
        why.append(f"{have} completed {programme or 'it'} already or {are} exempt")
    heading = f"{'Not changed' if changing else 'Not planned'}: {count} {', or '.join(why)}:"
    raise BookingClashError(heading, lines, more, tuple(sessions_of), ASK_CHANGE if changing else ASK)


def _who(number: str, names: Mapping[str, str]) -> str:
    return f"{names[number]} ({number})" if names.get(number) else number
