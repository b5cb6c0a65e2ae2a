"""The compliance report gives mean understanding per objective in the plan's order, as trainers read them."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.paths import bundled
from trainer_desk.store import feedback, reports, sessions
from trainer_desk.workspace import Workspace

from .test_sessions import make_session


def test_objectives_come_in_the_plans_order_not_their_ids(workspace: Workspace) -> None:
    plan = load_library(bundled("lesson_plans")).get("signa-core")
    assert plan is not None
    order = [o.id for o in plan.objectives]
    assert order != sorted(order)  # the plan's order is not alphabetical, so the test can tell them apart
    session = make_session()
    sessions.create_session(workspace.db, session, session.starts_at)
    ratings = tuple(ObjectiveRating(o.id, 2, 4) for o in plan.objectives)
    for _ in range(5):  # enough forms for their means to be shown
        feedback.save_feedback(workspace.db, Feedback(new_uuid(), session.uuid, True, "", ratings), session.starts_at)
    day = session.starts_at.astimezone().date()
    report = reports.compliance(
        workspace.db,
        Letterhead("Force", "OFFICIAL"),
        "signa",
        "Signa",
        None,
        day - timedelta(days=1),
        day + timedelta(days=1),
        {o.id: o.text for o in plan.objectives},
    )
    assert [s.objective_id for s in report.feedback.objectives] == [o.text for o in plan.objectives]


def test_trainers_are_named_from_the_roster_in_the_compliance_report(workspace: Workspace) -> None:
    (number, forename, surname) = workspace.db.execute(
        "SELECT staff_number, forename, surname FROM people ORDER BY staff_number LIMIT 1"
    ).fetchone()
    session = replace(make_session(), trainers=(number, "999999"), status=SessionStatus.CLOSED)  # delivered
    sessions.create_session(workspace.db, session, session.starts_at)
    day = session.starts_at.astimezone().date()
    report = reports.compliance(workspace.db, Letterhead("Force", "OFFICIAL"), "signa", "Signa", None, day, day)
    assert sorted(t.label for t in report.trainers) == sorted([f"{forename} {surname} ({number})", "999999"])
