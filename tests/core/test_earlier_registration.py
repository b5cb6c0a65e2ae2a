"""How the register names an earlier session that was left open: by the day as the trainer would say it."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from trainer_desk.core.earlier_registration import EarlierRegistration, add_again_question, which_session

TITLE = "Signa: sexism, misogyny and sexual harassment at work"


def at(day_offset: int, hour: int) -> datetime:
    """A local time `day_offset` days from today."""
    return datetime.combine(datetime.now().astimezone().date() + timedelta(days=day_offset), time(hour)).astimezone()


def test_a_session_left_open_is_named_by_its_day_and_time() -> None:
    now = at(0, 15)
    assert which_session(EarlierRegistration(at(0, 9), False), TITLE, now) == "this morning's Signa session (09:00)"
    assert which_session(EarlierRegistration(at(0, 13), False), TITLE, now) == "this afternoon's Signa session (13:00)"
    assert which_session(EarlierRegistration(at(-1, 18), False), "", now) == "yesterday's session (18:00)"
    earlier = at(-3, 9)
    assert which_session(EarlierRegistration(earlier, False), TITLE, now) == (
        f"the Signa session of {earlier:%a %d %b %Y} (09:00)"
    )


def test_the_question_counts_the_people_waiting_after_this_one() -> None:
    closed = EarlierRegistration(at(-40, 9), True)
    question = add_again_question("Ffion Prys", closed, TITLE, at(0, 10), 2)
    done = f"{closed.starts_at:%d %b %Y}"
    assert question == f"Ffion Prys already completed this programme on {done}. Add them again? (2 more waiting)"
