from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from trainer_desk.core.lesson_plan import FaqEntry
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.store import delivery, outbox, sessions
from trainer_desk.store.faq_index import FaqIndex
from trainer_desk.workspace import Workspace

from .test_sessions import make_session

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def outbox_entities(workspace: Workspace) -> list[tuple[str, int, int | None]]:
    return workspace.db.execute("SELECT entity, version, base_version FROM outbox ORDER BY seq").fetchall()


def test_the_timing_log_records_whole_sections_and_queues_them_for_hq(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), T0)
    running = delivery.set_status(workspace.db, session, SessionStatus.RUNNING, T0)
    delivery.section_started(workspace.db, session.uuid, "welcome", T0)
    delivery.section_started(workspace.db, session.uuid, "film", T0 + timedelta(minutes=5))
    delivery.finish(workspace.db, running, T0 + timedelta(minutes=12))
    checklist = delivery.checklist_for(workspace.db, running, ["welcome", "film"])
    assert (checklist.register_complete, checklist.feedback_collected, checklist.timing_complete) == (
        False,
        False,
        True,
    )
    delivery.close_session(workspace.db, running, checklist, "100001", T0 + timedelta(minutes=15))
    assert delivery.timing_log(workspace.db, session.uuid) == [
        ("welcome", T0, T0 + timedelta(minutes=5)),
        ("film", T0 + timedelta(minutes=5), T0 + timedelta(minutes=12)),
    ]
    assert outbox_entities(workspace) == [
        ("session", 1, None),
        ("session", 2, 1),  # running: a correction names the version it replaces
        ("section_timing", 1, None),
        ("section_timing", 1, None),
        ("session", 3, 2),  # closed
    ]
    assert sessions.get_session(workspace.db, session.uuid).status is SessionStatus.CLOSED  # type: ignore[union-attr]
    assert workspace.db.execute("SELECT closed_by, register_complete FROM session_checklists").fetchall() == [
        ("100001", 0)
    ]


def test_an_interrupted_session_can_be_found_with_its_progress(workspace: Workspace) -> None:
    session = sessions.create_session(workspace.db, make_session(), T0)
    assert delivery.unfinished_session(workspace.db) is None
    running = delivery.set_status(workspace.db, session, SessionStatus.RUNNING, T0)
    delivery.save_progress(workspace.db, session.uuid, {"current": 2, "elapsed_s": [1, 2, 3]}, T0)
    delivery.save_progress(workspace.db, session.uuid, {"current": 3, "elapsed_s": [1, 2, 3, 4]}, T0)
    found = delivery.unfinished_session(workspace.db)
    assert found is not None
    assert found[0].uuid == session.uuid and found[1]["current"] == 3
    delivery.finish(workspace.db, running, T0)
    assert delivery.unfinished_session(workspace.db) is None


def test_an_unanswered_question_goes_to_hq(workspace: Workspace) -> None:
    delivery.note_unanswered_question(workspace.db, "signa-core", "  Does this apply to contractors?  ", T0)
    [(entity, payload)] = workspace.db.execute("SELECT entity, payload FROM outbox").fetchall()
    assert entity == "faq_question"
    assert json.loads(payload)["question"] == "Does this apply to contractors?"
    assert outbox.waiting_count(workspace.db) == 1


def test_faq_search_matches_prefixes_and_accents() -> None:
    index = FaqIndex(
        [
            FaqEntry("Will I be labelled a grass?", "No.", ("reporting",)),
            FaqEntry("Is the anonymous line really anonymous?", "Yes, unless you give your name."),
            FaqEntry("What about private chats?", "They are not a defence.", ("social-media",)),
        ]
    )
    assert [e.question for e in index.search("gra")] == ["Will I be labelled a grass?"]
    assert [e.question for e in index.search("ANONYMOUS lin")] == ["Is the anonymous line really anonymous?"]
    assert [e.question for e in index.search("social")] == ["What about private chats?"]
    assert {e.question for e in index.search("chats grass")} == {
        "Will I be labelled a grass?",
        "What about private chats?",
    }
    assert len(index.search("  ")) == 3
    assert index.search('"unbalanced (quote*') == []
    index.close()
