"""What the register shows for each line and says about them all, without a screen: the window draws these
words, and the rules behind them (who counts as booked, where a new line goes) hold wherever they are asked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import Attendance, AttendanceStatus, read_status
from trainer_desk.core.people import Person
from trainer_desk.core.sessions import SessionStatus, was_delivered

STATUSES = list(AttendanceStatus)


def looks_like_staff_number(typed: str) -> bool:
    """Whether what was typed in the search is a staff number (or the start of one) rather than a name: every
    staff number has a digit and no name does, the rule the roster search itself answers by."""
    return any(ch.isdigit() for ch in typed)


def greeting_name(person: Person) -> str:
    """How self sign-in greets someone in front of the room: by their forename, whole. A forename and the
    initial of the surname read wrongly across cultures (a Chinese name came out as '小明 王.', an Arabic one
    as the 'a' of 'al-'), and the forename alone still does not name anyone in full to the room."""
    return person.forename.strip() or person.surname.strip()


def is_booked(status: AttendanceStatus, session_status: SessionStatus) -> bool:
    """On the register ahead of time (a planned session's booking is an absent line) and the session still
    open: arriving marks them present rather than counting as already there."""
    return status is AttendanceStatus.ABSENT and session_status is not SessionStatus.CLOSED


def status_word(status: AttendanceStatus, session_status: str) -> str:
    """The status as the trainer reads it: "Booked" before the session has happened."""
    return status.shown(was_delivered(session_status))


def status_in_words(status: object, session_status: object) -> str:
    """A register line's status as HQ holds it (untrusted text) in the word the register shows for it: the
    console's register and every file HQ hands out say "Booked" by this one rule, so that none of them says a
    person missed a session that has not happened. A status no release writes is given as it is."""
    found = read_status(status)
    return status_word(found, str(session_status or "")) if found else str(status or "")


def booked_ahead(status: object, session_status: object) -> bool:
    """Whether a line is a booking on a session not (yet) held, which the register calls "Booked": there is
    nothing to follow up six months after it."""
    return read_status(status) is AttendanceStatus.ABSENT and not was_delivered(str(session_status or ""))


def line_cells(record: Attendance, name: str, unit_name: str, session_status: SessionStatus) -> tuple[str, ...]:
    """One line's columns: staff number, name, unit, status, time marked, walk-in."""
    return (
        record.staff_number,
        name,
        unit_name,
        status_word(record.status, session_status),
        # No time for someone not (yet) there: it is when they were booked or marked absent, and read as an
        # arrival, as the printed sheet leaves it out too.
        "" if record.status is AttendanceStatus.ABSENT else f"{force_clock.local(record.marked_at):%H:%M}",
        "walk-in" if record.walk_in else "",
    )


def totals_text(statuses: Iterable[AttendanceStatus], session_status: SessionStatus) -> str:
    """The line under the register: how many are on it, and how many in each status."""
    counts = Counter(statuses)
    return f"{counts.total()} on the register: " + ", ".join(
        f"{counts[s]} {status_word(s, session_status).lower()}" for s in STATUSES
    )


def place_of(marked_at: datetime, shown: Sequence[datetime]) -> int:
    """Where a line marked at `marked_at` goes in a register read in the order people were marked: after every
    line marked before it (a new line at the end, one brought back by Undo where it was)."""
    return next((i for i, when in enumerate(shown) if when > marked_at), len(shown))
