"""Phone answers arriving from HQ are treated as any answer from outside: what is not a form, names a session
this laptop does not have, or holds an impossible score is left out; a good one is kept once."""

from __future__ import annotations

from datetime import UTC, datetime

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.store import sessions
from trainer_desk.store.feedback import store_phone_answers
from trainer_desk.workspace import Workspace

from .test_sessions import make_session

NOW = datetime(2026, 12, 4, 15, tzinfo=UTC)


def test_only_good_answers_for_sessions_here_are_kept_once(workspace: Workspace) -> None:
    session = make_session()
    sessions.create_session(workspace.db, session, NOW)
    good = {"uuid": new_uuid(), "session_uuid": session.uuid, "would_recommend": True, "reason_not": "",
            "ratings": [{"objective_id": "spot", "before": 2, "after": None}]}  # fmt: skip
    hostile = [
        {"uuid": "not-a-uuid", "session_uuid": session.uuid, "would_recommend": True},
        {**good, "uuid": new_uuid(), "session_uuid": new_uuid()},  # a session this laptop never ran
        {**good, "uuid": new_uuid(), "ratings": [{"objective_id": "spot", "before": 9, "after": 4}]},
        {**good, "uuid": new_uuid(), "would_recommend": "yes"},
        {**good, "uuid": new_uuid(), "ratings": [{"objective_id": "spot", "before": 2}, {"objective_id": "spot"}]},
        {**good, "uuid": new_uuid(), "would_recommend": None, "ratings": []},  # nothing answered
        "a string, not a form",
    ]
    with workspace.db.atomic():
        assert store_phone_answers(workspace.db, [good, *hostile], NOW) == 1
    with workspace.db.atomic():
        assert store_phone_answers(workspace.db, [good], NOW) == 0
    rows = workspace.db.execute("SELECT objective_id, before, after FROM feedback_ratings").fetchall()
    assert [tuple(r) for r in rows] == [("spot", 2, None)]
