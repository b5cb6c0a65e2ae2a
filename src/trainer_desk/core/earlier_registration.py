"""What the register tells the trainer about someone scanned who is on an earlier register of the same programme.

A registration counts as a completion for the reports whether or not its session was closed. The trainer needs
more than that: a session stopped part-way this morning and started again is not "already completed", and
asking "add them again?" about it reads as if the person had done the programme weeks ago.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer_desk.core import force_clock


@dataclass(frozen=True, slots=True)
class EarlierRegistration:
    """The latest other session whose register counts this person for the programme. `closed` is False only for
    a session on this laptop that was never closed; one known from HQ's record is taken as done."""

    starts_at: datetime
    closed: bool
    plan_id: str = ""


def part_of_day(when: datetime) -> str:
    hour = when.hour
    return "morning" if hour < 12 else "afternoon" if hour < 17 else "evening"


def which_session(earlier: EarlierRegistration, plan_title: str, now: datetime) -> str:
    """The earlier session as the trainer would say it: "this morning's Signa session (09:00)", "yesterday's …",
    or "the Signa session of Fri 04 Dec 2026 (09:00)", on the force's clocks. A plan is named by its
    title's first part ("Signa", not the whole "Signa: sexism, misogyny and …"); '' when it is not known."""
    starts, today = force_clock.local(earlier.starts_at), force_clock.local(now).date()
    name = plan_title.split(":")[0].strip()
    session = f"{name} session" if name else "session"
    days_ago = (today - starts.date()).days
    if days_ago == 0:
        return f"this {part_of_day(starts)}'s {session} ({starts:%H:%M})"
    if days_ago == 1:
        return f"yesterday's {session} ({starts:%H:%M})"
    return f"the {session} of {starts:%a %d %b %Y} ({starts:%H:%M})"


def add_again_question(name: str, earlier: EarlierRegistration, plan_title: str, now: datetime, waiting: int) -> str:
    """The question about adding `name` to this register, with how many more scanned people wait after them."""
    if earlier.closed:
        held = force_clock.local(earlier.starts_at)
        said = f"{name} already completed this programme on {held:%d %b %Y}. Add them again?"
    else:
        said = (
            f"{name} is on the register of {which_session(earlier, plan_title, now)}, which was not closed: "
            "add them to this one as well?"
        )
    return f"{said} ({waiting} more waiting)" if waiting else said
