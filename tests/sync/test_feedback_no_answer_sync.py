"""A feedback answer left blank reaches HQ as null ("no answer"), through a real HQ on loopback."""

from __future__ import annotations

from tests.hq_server import Hq
from trainer_desk import hq_link
from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.hq import records as hq_records
from trainer_desk.store import feedback, outbox, sessions
from trainer_desk.workspace import Workspace

from ..store.test_sessions import make_session
from .test_sync import T0, enrolled


def test_blank_answers_arrive_at_hq_as_null(workspace: Workspace, hq: Hq) -> None:
    enrolled(workspace, hq)
    session = sessions.create_session(workspace.db, make_session(), T0)
    form = Feedback(
        new_uuid(),
        session.uuid,
        None,
        "",
        (ObjectiveRating("impact", None, 4), ObjectiveRating("powers", None, None)),
    )
    feedback.save_feedback(workspace.db, form, T0)
    report = hq_link.sync_once(workspace)
    assert report.pushed == 2 and report.flagged == 0
    assert outbox.waiting_count(workspace.db) == 0
    [stored] = list(hq_records.records_of(hq.engine, "feedback"))
    assert stored["uuid"] == form.uuid and stored["would_recommend"] is None
    assert stored["ratings"] == [
        {"objective_id": "impact", "before": None, "after": 4},
        {"objective_id": "powers", "before": None, "after": None},
    ]
    acked = workspace.db.execute("SELECT acked_at IS NOT NULL FROM feedback WHERE uuid = ?", [form.uuid]).fetchone()
    assert acked == (1,)
