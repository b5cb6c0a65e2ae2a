"""Days for sessions planned in tests: ahead of today whenever the tests run, since planning refuses a start
that has gone by, or one more than a year ahead; and the next days the UK's clocks change."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def ahead(days: int = 30) -> date:
    """`days` from today; never 29 February, so that the same day a year later is a date too."""
    found = date.today() + timedelta(days=days)
    return found + timedelta(days=1) if (found.month, found.day) == (2, 29) else found


def long_date(day: date) -> str:
    """As the printed sheets give a date: 10 December 2026."""
    return f"{day.day} {day:%B %Y}"


def short_date(day: date) -> str:
    """As the console writes a day, in tables and sentences alike: 8 Jul 2027."""
    return f"{day.day} {day:%b %Y}"


def coming(month: int, day: int) -> date:
    """The next `day` of `month` at least a week from today: within the year ahead that sessions are planned in."""
    soonest = date.today() + timedelta(days=7)
    found = date(soonest.year, month, day)
    return found if found >= soonest else date(soonest.year + 1, month, day)


def last_sunday_coming(month: int) -> date:
    """The UK's clocks go forward on the last Sunday of March and back on the last Sunday of October: the next
    such Sunday at least a week from today."""
    soonest = date.today() + timedelta(days=7)
    for year in (soonest.year, soonest.year + 1):
        last = date(year, month, calendar.monthrange(year, month)[1])
        found = last - timedelta(days=(last.weekday() - calendar.SUNDAY) % 7)
        if found >= soonest:
            return found
    raise AssertionError("unreachable: a year on, the same month has come round again")
