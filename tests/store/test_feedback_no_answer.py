"""A question left blank is stored as no answer, sent as null and left out of every mean and count."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.reports import FeedbackSummary, Letterhead
from trainer_desk.store import feedback, reports, sessions
from trainer_desk.store.feedback import NothingAnsweredError
from trainer_desk.workspace import Workspace

from .test_sessions import NOW, make_session


def summary(workspace: Workspace) -> FeedbackSummary:
    return reports.compliance(
        workspace.db,
        Letterhead("Test Police", "OFFICIAL"),
        "signa",
        "Signa",
        None,
        date(2026, 11, 1),
        date(2026, 11, 30),
    ).feedback


def test_a_rating_is_one_to_five_or_no_answer() -> None:
    assert not ObjectiveRating("impact", None, None).answered
    assert ObjectiveRating("impact", None, 4).answered
    with pytest.raises(ValueError, match="1 to 5 or no answer"):
        ObjectiveRating("impact", 0, 3)


def test_blanks_are_stored_as_null_and_sent_as_null(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), NOW)
    form = Feedback(new_uuid(), session.uuid, None, "", (ObjectiveRating("impact", None, 4),))
    feedback.save_feedback(workspace.db, form, datetime(2026, 11, 23, 9, 47, tzinfo=UTC))
    assert workspace.db.execute("SELECT would_recommend FROM feedback").fetchall() == [(None,)]
    assert workspace.db.execute("SELECT before, after FROM feedback_ratings").fetchall() == [(None, 4)]
    payload, created = workspace.db.execute(
        "SELECT payload, created_at FROM outbox WHERE entity = 'feedback'"
    ).fetchone()
    assert json.loads(payload)["would_recommend"] is None
    assert json.loads(payload)["ratings"] == [{"objective_id": "impact", "before": None, "after": 4}]
    assert created == "2026-11-23T09:00:00+00:00"  # the hour only: the minute could single someone out


def test_a_form_with_nothing_answered_is_not_saved(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), NOW)
    empty = Feedback(new_uuid(), session.uuid, None, "", (ObjectiveRating("impact", None, None),))
    assert not empty.answered
    with pytest.raises(NothingAnsweredError, match="Nothing to send"):
        feedback.save_feedback(workspace.db, empty, NOW)
    assert feedback.feedback_count(workspace.db, session.uuid) == 0
    assert workspace.db.execute("SELECT count(*) FROM outbox WHERE entity = 'feedback'").fetchone()[0] == 0


def test_means_and_counts_are_over_answers_only(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), NOW)
    forms = [
        (True, ObjectiveRating("impact", 2, 4), ObjectiveRating("powers", None, None)),
        (False, ObjectiveRating("impact", None, 5), ObjectiveRating("powers", None, None)),
        (None, ObjectiveRating("impact", 1, None), ObjectiveRating("powers", None, None)),
        (None, ObjectiveRating("impact", None, None), ObjectiveRating("powers", None, 3)),
    ]
    for recommend, *ratings in forms * 3:  # three rooms' worth: enough answers for any figure to be shown
        feedback.save_feedback(workspace.db, Feedback(new_uuid(), session.uuid, recommend, "", tuple(ratings)), NOW)
    result = summary(workspace)
    assert (result.forms, result.recommend, result.recommend_answered) == (12, 3, 6)
    assert result.recommend_percent == 50.0  # of the six who answered, not of the twelve forms
    impact, powers = result.objectives
    # Blanks as 3 would have made these 2.25 and 3.75.
    assert (impact.before, impact.before_answered, impact.after, impact.after_answered) == (1.5, 6, 4.5, 6)
    # Three answers are too few for a mean that would not tell who gave them.
    assert (powers.before, powers.before_answered, powers.after, powers.after_answered) == (None, 0, None, 3)


def test_nobody_answering_recommend_is_not_zero_percent_of_something(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), NOW)
    feedback.save_feedback(
        workspace.db, Feedback(new_uuid(), session.uuid, None, "", (ObjectiveRating("impact", 3, 4),)), NOW
    )
    result = summary(workspace)
    assert (result.forms, result.recommend_answered, result.recommend_percent) == (1, 0, 0.0)
