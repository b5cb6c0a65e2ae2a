"""The one anonymity rule every report follows, on a laptop as at HQ: no figure from fewer than five answers,
and a reason only from a session of five or more forms, for a reader who may read it."""

from __future__ import annotations

from trainer_desk.core.feedback_privacy import CountedForm, summarise

OWN_ROOM = "own-room"


def room(session: str, n: int, *, taken_here: bool, reason: str = "Too long") -> list[CountedForm]:
    """`n` forms from one session: the first says no, with a reason; the rest yes."""
    return [
        CountedForm(session, i > 0, "" if i else reason, (("impact", 2, 4),), taken_here=taken_here) for i in range(n)
    ]


def on_a_laptop(forms: list[CountedForm]) -> tuple[str, ...]:
    return summarise(forms, {}, lambda form: form.taken_here).reasons_not


def test_a_trainer_reads_their_own_room_s_reasons_once_five_answered() -> None:
    summary = summarise(room(OWN_ROOM, 5, taken_here=True), {}, lambda form: form.taken_here)
    assert summary.reasons_not == ("Too long",) and summary.recommend_percent == 80.0
    assert (summary.taken_here, summary.through_hq) == (5, 0)
    assert summary.objectives[0].before == 2.0


def test_a_room_of_four_gives_no_figure_and_no_reason_even_on_the_trainer_s_own_laptop() -> None:
    summary = summarise(room(OWN_ROOM, 4, taken_here=True), {}, lambda form: form.taken_here)
    assert summary.withheld and summary.forms == 4
    assert (summary.recommend_answered, summary.reasons_not, summary.objectives) == (0, (), ())


def test_phones_reasons_are_never_read_on_a_laptop_and_small_rooms_never_give_theirs() -> None:
    assert on_a_laptop(room("phones", 6, taken_here=False)) == ()
    # Two small rooms make enough forms for figures, but neither room's reason can be read.
    both = room("a", 3, taken_here=True, reason="A's") + room("b", 3, taken_here=True, reason="B's")
    assert not summarise(both, {}, lambda form: form.taken_here).withheld and on_a_laptop(both) == ()


def test_a_share_from_too_few_answers_is_withheld_not_reported_as_nobody_answering() -> None:
    forms = [CountedForm("s", None, ratings=(("impact", 3, 4),)) for _ in range(4)]
    forms += [CountedForm("s", True), CountedForm("s", False)]
    summary = summarise(forms, {}, lambda form: True)
    assert summary.recommend_withheld and summary.recommend_answered == 0
    assert summary.objectives[0].before is None  # four answers: too few for a mean


def test_comments_are_given_by_the_rule_reasons_are_given_by() -> None:
    """A comment written with a Yes or no answer is free text as a reason is: a trainer reads their own room's
    once five answered; never a room of four's, and never phones' on a laptop."""

    def commented(session: str, n: int, *, taken_here: bool) -> list[CountedForm]:
        return [CountedForm(session, True, comment=f"Comment {i}", taken_here=taken_here) for i in range(n)]

    def comments(forms: list[CountedForm]) -> tuple[str, ...]:
        return summarise(forms, {}, lambda form: form.taken_here).comments

    assert comments(commented(OWN_ROOM, 5, taken_here=True)) == tuple(f"Comment {i}" for i in range(5))
    assert comments(commented(OWN_ROOM, 4, taken_here=True)) == ()
    assert comments(commented("phones", 6, taken_here=False)) == ()
