"""Days for sessions planned in tests: ahead of today whenever the tests run, since planning refuses a start
that has gone by; and the dates the UK's clocks change, next year."""

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


def next_year(month: int, day: int) -> date:
    return date(date.today().year + 1, month, day)


def last_sunday_next_year(month: int) -> date:
    """The UK's clocks go forward on the last Sunday of March and back on the last Sunday of October."""
    year = date.today().year + 1
    last = calendar.monthrange(year, month)[1]
    found = date(year, month, last)
    return found - timedelta(days=(found.weekday() - calendar.SUNDAY) % 7)
