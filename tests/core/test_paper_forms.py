"""Paper forms keyed in one row each: plain meanings read leniently, slips named by form and column."""

from __future__ import annotations

from trainer_desk.core.lesson_plan import Objective
from trainer_desk.core.paper_forms import columns, read_rows

AIMS = (Objective("spot", "Spot it"), Objective("act", "Act on it"))


def test_rows_are_read_as_typed_from_handwriting() -> None:
    assert columns(AIMS) == ["Recommend (y/n)", "If not, why not", "Aim 1 before", "Aim 1 after",
                             "Aim 2 before", "Aim 2 after"]  # fmt: skip
    forms, problems = read_rows(
        [["Y", "", " 2", "4 "], ["", "", "", ""], ["no", "  Too   long ", "", "", "3"], ["", "", "", "", "", "5"]],
        AIMS,
        "s-1",
    )
    assert problems == []
    assert [(f.would_recommend, f.reason_not) for f in forms] == [(True, ""), (False, "Too long"), (None, "")]
    assert [(r.objective_id, r.before, r.after) for r in forms[1].ratings] == [("spot", None, None), ("act", 3, None)]
    assert forms[2].ratings[1].after == 5  # a form with one score answered is a form


def test_a_slip_is_named_and_nothing_is_taken() -> None:
    forms, problems = read_rows([["y", "", "2"], ["yes", "Too long", "7", "0"], ["perhaps"]], AIMS, "s-1")
    assert forms == []
    assert [str(p) for p in problems] == [
        "Form 2, Aim 1 before: '7' is not a score from 1 to 5",
        "Form 2, Aim 1 after: '0' is not a score from 1 to 5",
        "Form 2, If not, why not: a reason goes with 'n' only",
        "Form 3, Recommend (y/n): 'perhaps' is not y or n",
    ]
