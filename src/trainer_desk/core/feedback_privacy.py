"""How much of the anonymous feedback a report may show: one rule for HQ's console and documents and for every
laptop, so that a unit's lead never reads more on a laptop than HQ's console shows them.

- No figure rests on fewer than `MIN_ANSWERS` answers: not the count's share who would recommend, not a mean
  understanding score. Below that only the number of forms is given. In a room of three, "67% would
  recommend" and a mean of 2.5 tell whoever was there who said what.
- A reason for "no" is free text, and the words themselves can name their writer. It is given only from a
  session with at least `MIN_ANSWERS` forms, and only to a reader who may read it (`may_read`). A comment
  (written with a Yes or no answer) is free text too, and is given by the same rule.

Who may read reasons: at HQ, the learning team's roles (the console decides). On a laptop, only the reasons
of forms filled in on that very laptop: the trainer handed it round their own room, at their own session, and
those forms were on it before any sync; reading what their own room wrote, once enough of the room answered,
is how a trainer learns what to change, and tells them no more than the room could. The same minimum number
of forms applies to them as to anyone: the trainer is the person best placed to put a face to a figure of
two. Forms that reached a laptop from HQ (phones, other trainers' laptops) are the unit's, as the console
holds them: a lead's laptop shows the figures HQ's console shows that lead, and never their reasons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from trainer_desk.core.reports import FeedbackSummary, ObjectiveScores

MIN_ANSWERS = 5


@dataclass(frozen=True, slots=True)
class CountedForm:
    """One anonymous form as a report counts it: its session (for the per-session minimum) and its answers."""

    session_uuid: str
    would_recommend: bool | None
    reason_not: str = ""
    ratings: tuple[tuple[str, int | None, int | None], ...] = ()  # (objective id, before, after); None is blank
    taken_here: bool = False  # filled in on the laptop reading it, not received from HQ
    comment: str = ""  # written with a Yes or no answer: free text, read by the same rule as a reason


def summarise(
    forms: Iterable[CountedForm],
    objective_texts: Mapping[str, str],
    may_read: Callable[[CountedForm], bool],
    *,
    only_this_laptop: bool = False,
) -> FeedbackSummary:
    """The figures a report may show of these forms, under the rules above. Objectives come in the plan's order
    (`objective_texts`, id -> words), those no plan names after them by id."""
    forms = list(forms)
    here = sum(1 for f in forms if f.taken_here)
    through_hq = len(forms) - here
    if len(forms) < MIN_ANSWERS:
        return FeedbackSummary(len(forms), 0, (), (), 0, True, only_this_laptop, taken_here=here, through_hq=through_hq)
    per_session: dict[str, int] = {}
    for form in forms:
        per_session[form.session_uuid] = per_session.get(form.session_uuid, 0) + 1
    answers = [f.would_recommend for f in forms if f.would_recommend is not None]
    readable = [f for f in forms if per_session[f.session_uuid] >= MIN_ANSWERS and may_read(f)]
    reasons = tuple(f.reason_not.strip()[:500] for f in readable if f.would_recommend is False and f.reason_not.strip())
    comments = tuple(f.comment.strip()[:500] for f in readable if f.would_recommend is not False and f.comment.strip())
    scores: dict[str, tuple[list[int], list[int]]] = {}
    for form in forms:
        for objective_id, before, after in form.ratings:
            befores, afters = scores.setdefault(objective_id, ([], []))
            befores += [before] if before is not None else []
            afters += [after] if after is not None else []
    order = {objective: n for n, objective in enumerate(objective_texts)}
    shown = len(answers) >= MIN_ANSWERS
    return FeedbackSummary(
        forms=len(forms),
        recommend=sum(1 for a in answers if a) if shown else 0,
        reasons_not=reasons,
        objectives=tuple(
            ObjectiveScores(objective_texts.get(key, key), _mean(before), _mean(after), len(before), len(after))
            for key, (before, after) in sorted(scores.items(), key=lambda i: (order.get(i[0], len(order)), i[0]))
        ),
        recommend_answered=len(answers) if shown else 0,
        only_this_laptop=only_this_laptop,
        recommend_withheld=bool(answers) and not shown,
        taken_here=here,
        through_hq=through_hq,
        comments=comments,
    )


def _mean(scores: list[int]) -> float | None:
    return round(sum(scores) / len(scores), 2) if len(scores) >= MIN_ANSWERS else None
