"""Anonymous feedback: stored with the session only, never with a person, and queued for HQ.

A question left blank is stored as NULL, so the means in the reports leave it out instead of counting it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.wire import feedback_from_wire, feedback_to_wire
from trainer_desk.store import outbox
from trainer_desk.store.connection import Database


class NothingAnsweredError(ValueError):
    """A form with no answer at all is not a response: saving it would only inflate the count of forms."""


def save_feedback(db: Database, feedback: Feedback, now: datetime) -> None:
    if not feedback.answered:
        raise NothingAnsweredError("Nothing to send: no question was answered.")
    recommend = None if feedback.would_recommend is None else int(feedback.would_recommend)
    with db.atomic():
        db.execute(
            "INSERT INTO feedback (uuid, session_uuid, would_recommend, reason_not, comment) VALUES (?, ?, ?, ?, ?)",
            [feedback.uuid, feedback.session_uuid, recommend, feedback.reason_not.strip(), feedback.comment.strip()],
        )
        db.conn.executemany(
            "INSERT INTO feedback_ratings (feedback_uuid, objective_id, before, after) VALUES (?, ?, ?, ?)",
            [(feedback.uuid, r.objective_id, r.before, r.after) for r in feedback.ratings],
        )
        # HQ is sent the form as it is kept here, so what the laptop holds and what HQ gets cannot differ (a
        # comment once went to HQ only). The time it was filled in could single someone out in a small room:
        # HQ gets the session only.
        outbox.enqueue(
            db,
            entity="feedback",
            entity_uuid=feedback.uuid,
            version=1,
            payload=feedback_to_wire(stored_form(db, feedback.uuid)),
            now=now.replace(minute=0, second=0, microsecond=0),
        )


def stored_form(db: Database, uuid: str) -> Feedback:
    """One form as this laptop keeps it: its answers, its reason for a No and its comment."""
    session_uuid, recommend, reason, comment = db.execute(
        "SELECT session_uuid, would_recommend, reason_not, comment FROM feedback WHERE uuid = ?", [uuid]
    ).fetchone()
    ratings = tuple(
        ObjectiveRating(objective_id, before, after)
        for objective_id, before, after in db.execute(
            "SELECT objective_id, before, after FROM feedback_ratings WHERE feedback_uuid = ? ORDER BY rowid", [uuid]
        )
    )
    return Feedback(
        uuid=uuid,
        session_uuid=str(session_uuid),
        would_recommend=None if recommend is None else bool(recommend),
        reason_not=str(reason),
        ratings=ratings,
        comment=str(comment),
    )


def feedback_count(db: Database, session_uuid: str) -> int:
    return int(db.execute("SELECT count(*) FROM feedback WHERE session_uuid = ?", [session_uuid]).fetchone()[0])


def save_forms(db: Database, forms: list[Feedback], now: datetime) -> int:
    """Save a pile of paper forms keyed in together: all of them, or none if any cannot be saved."""
    with db.atomic():
        for form in forms:
            save_feedback(db, form, now)
    return len(forms)


def store_phone_answers(db: Database, forms: list[Any], now: datetime) -> int:
    """Keep the answers participants gave on their phones (HQ's form) with the session's own, so its figures
    count every answer. Each is checked as any answer from outside is: one already here, for a session not on
    this laptop, or not a form is left out. They are HQ's already: nothing is sent back. Returns how many."""
    kept = 0
    for form in forms:
        try:
            answer = feedback_from_wire(form)
        except (KeyError, TypeError, ValueError):
            continue
        if not answer.answered or db.execute("SELECT 1 FROM feedback WHERE uuid = ?", [answer.uuid]).fetchone():
            continue
        if not db.execute("SELECT 1 FROM sessions WHERE uuid = ?", [answer.session_uuid]).fetchone():
            continue
        recommend = None if answer.would_recommend is None else int(answer.would_recommend)
        db.execute(
            "INSERT INTO feedback (uuid, session_uuid, would_recommend, reason_not, comment, acked_at, through_hq)"
            " VALUES (?, ?, ?, ?, ?, ?, 1)",
            [answer.uuid, answer.session_uuid, recommend, answer.reason_not[:500], answer.comment, now.isoformat()],
        )
        db.conn.executemany(
            "INSERT INTO feedback_ratings (feedback_uuid, objective_id, before, after) VALUES (?, ?, ?, ?)",
            [(answer.uuid, r.objective_id, r.before, r.after) for r in answer.ratings],
        )
        kept += 1
    return kept
