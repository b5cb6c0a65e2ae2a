"""The days a page's From / To fields ask for, read one way for every page that has them (the dashboard's
period, the Sessions page's dates): blank fields take the page's own defaults, an unreadable pair is set aside
whole, and a pair the wrong way round is put right. Each page says what happened in its own words."""

from __future__ import annotations

from datetime import date
from enum import Enum


class Amended(Enum):
    NOTHING = ""
    UNREADABLE = "unreadable"  # not YYYY-MM-DD: the defaults were taken instead
    SWAPPED = "swapped"  # the first was after the second: they were swapped


def asked_days(
    start: str, end: str, first_default: date | None = None, last_default: date | None = None
) -> tuple[date | None, date | None, Amended]:
    """(first day, last day, what was put right), each day the field's or, left blank, its default."""
    try:
        first = date.fromisoformat(start) if start else first_default
        last = date.fromisoformat(end) if end else last_default
    except ValueError:
        return first_default, last_default, Amended.UNREADABLE
    if first is not None and last is not None and first > last:
        return last, first, Amended.SWAPPED
    return first, last, Amended.NOTHING
