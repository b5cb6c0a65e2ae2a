"""Paper feedback forms keyed in afterwards, one row per form, in the paper form's own order: would you
recommend it (y or n), why not, then before and after for each objective (1 to 5). A blank stays a blank.

Typing is the trainer's, from a pile of handwriting: a row is read leniently where the meaning is plain
("Y", "yes", " 4 ") and refused, naming the row and the column, where it is not ("7", "maybe"), so that a slip
never becomes a figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer_desk.core.feedback import RATING_MAX, RATING_MIN, Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import Objective

RECOMMEND = "Recommend (y/n)"
WHY_NOT = "If not, why not"
MAX_REASON = 500


@dataclass(frozen=True, slots=True)
class RowProblem:
    row: int  # from 1, as the trainer counts the forms
    column: str
    detail: str

    def __str__(self) -> str:
        return f"Form {self.row}, {self.column}: {self.detail}"


def columns(objectives: Sequence[Objective]) -> list[str]:
    """The headings, in the paper form's order."""
    headings = [RECOMMEND, WHY_NOT]
    for n, _objective in enumerate(objectives, start=1):
        headings += [f"Aim {n} before", f"Aim {n} after"]
    return headings


def read_rows(
    rows: Sequence[Sequence[str]], objectives: Sequence[Objective], session_uuid: str
) -> tuple[list[Feedback], list[RowProblem]]:
    """The forms in `rows` (blank rows skipped), or the problems that stop them being saved."""
    headings = columns(objectives)
    forms: list[Feedback] = []
    problems: list[RowProblem] = []
    for number, cells in enumerate(rows, start=1):
        cells = [str(c).strip() for c in cells] + [""] * (len(headings) - len(cells))
        if not any(cells):
            continue
        found = _recommend(cells[0])
        if found == "?":
            problems.append(RowProblem(number, RECOMMEND, f"'{cells[0]}' is not y or n"))
        scores: list[int | None] = []
        for at, value in enumerate(cells[2 : len(headings)], start=2):
            score = _score(value)
            if score == -1:
                problems.append(RowProblem(number, headings[at], f"'{value}' is not a score from 1 to 5"))
            scores.append(None if score == -1 else score)
        recommend = found if isinstance(found, bool) else None
        form = Feedback(
            uuid=new_uuid(),
            session_uuid=session_uuid,
            would_recommend=recommend,
            reason_not=" ".join(cells[1].split())[:MAX_REASON] if recommend is False else "",
            ratings=tuple(ObjectiveRating(o.id, scores[2 * i], scores[2 * i + 1]) for i, o in enumerate(objectives)),
        )
        if cells[1] and recommend is not False:
            problems.append(RowProblem(number, WHY_NOT, "a reason goes with 'n' only"))
        forms.append(form)
    return (forms, []) if not problems else ([], problems)


def _recommend(value: str) -> bool | str | None:
    text = value.lower()
    if not text:
        return None
    if text in ("y", "yes"):
        return True
    if text in ("n", "no"):
        return False
    return "?"


def _score(value: str) -> int | None:
    if not value:
        return None
    return int(value) if value.isdigit() and RATING_MIN <= int(value) <= RATING_MAX else -1
