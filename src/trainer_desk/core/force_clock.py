"""The forces' clocks. HQ compares and groups moments in UTC (`utc_text`); HQ and the laptops alike show them,
and draw the lines between days and months, as the people of the forces of England and Wales read their clocks
(Europe/London), whatever the clock of the machine they run on: a trainer's laptop set to UTC, or to the zone of
a holiday, prints the same times as HQ's sheet of the same session. A session at 00:30 on 1 September, British
Summer Time, is 23:30 on 31 August in UTC: it is still shown at 00:30, counted in September, and printed on a
sheet dated 1 September."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

FORCE_TIME_ZONE = ZoneInfo("Europe/London")


def today() -> date:
    """The day it is where the force's people are: what a due date, a chase list and a report go by."""
    return datetime.now(FORCE_TIME_ZONE).date()


def local(moment: datetime) -> datetime:
    """`moment` on the force's clocks (a moment without its zone is taken as UTC, as HQ stores them)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(FORCE_TIME_ZONE)


def reading(moment: datetime) -> datetime:
    """What the force's clocks read at `moment`, without the zone: for a field a person edits as they read it."""
    return local(moment).replace(tzinfo=None)


def moment_read(clock_reading: datetime) -> datetime:
    """The moment the force's clocks read `clock_reading` (a reading without its zone, as a person types it);
    in the hour the clocks go back, the first of the two."""
    return clock_reading.replace(tzinfo=FORCE_TIME_ZONE, fold=0)


def parsed(stored: object) -> datetime | None:
    """A stored moment (ISO text) on the force's clocks; None for anything else."""
    try:
        return local(datetime.fromisoformat(str(stored)))
    except (ValueError, OverflowError):  # not a moment, or one at the edge of time (year 1 or 9999)
        return None


def day_begins(day: date) -> datetime:
    """The moment `day` begins on the force's clocks: to compare moments with, without converting each."""
    return datetime.combine(day, time(), tzinfo=FORCE_TIME_ZONE)


def day_start(day: date) -> str:
    """The moment `day` begins on the force's clocks, in the form HQ stores moments (UTC, ISO text), to compare
    stored moments with: midnight on 1 September 2026 is '2026-08-31T23:00:00+00:00'."""
    return day_begins(day).astimezone(UTC).isoformat()


def month_of_hour(hour: str) -> str:
    """The month (YYYY-MM) on the force's clocks of a stored UTC moment cut to its hour ('2026-08-31T23'),
    or '' for text that is no moment. The UK's offsets are whole hours, so the hour decides the month; a
    database groups by it as cheaply as by the month it stores."""
    try:
        return f"{local(datetime.fromisoformat(f'{hour[:13]}:00:00+00:00')):%Y-%m}"
    except (ValueError, OverflowError):
        return ""


def utc_text(stored: object) -> str:
    """A moment as HQ stores it to compare and group by (UTC, ISO text): a session planned at HQ carries the
    force's offset ('2026-08-31T23:30:00+01:00'), which compared as text falls on the wrong side of a day or
    a month. Text that is no moment is kept as it is."""
    try:
        moment = datetime.fromisoformat(str(stored))
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC).isoformat()
    except (ValueError, OverflowError):  # '0001-01-01T00:30:00+01:00' is before the first moment UTC has
        return str(stored)


def day_text(day: date) -> str:
    """A day as the console writes every day, in tables and sentences alike: 1 Sep 2026. One form, with the
    month in letters, so that no one reads 2026-09-01 beside "Booked for 26 Dec 2026" and wonders which is which."""
    return f"{day.day} {day:%b %Y}"


def shown(stored: object) -> str:
    """A stored moment to the minute, as the force reads it: 1 Sep 2026 00:30. What is not a moment is shown as
    it is."""
    moment = parsed(stored)
    return f"{day_text(moment)} {moment:%H:%M}" if moment else str(stored or "")


def shown_day(stored: object) -> str:
    """The day of a stored moment (or a day itself), as the force reads it: 1 Sep 2026."""
    if isinstance(stored, date) and not isinstance(stored, datetime):
        return day_text(stored)
    moment = parsed(stored)
    return day_text(moment) if moment else str(stored or "")[:10]


def in_words(moment: datetime) -> str:
    """A moment as the force's people read it, in a sentence: 09:05 on 5 Dec 2026."""
    at = local(moment)
    return f"{at:%H:%M} on {day_text(at)}"
