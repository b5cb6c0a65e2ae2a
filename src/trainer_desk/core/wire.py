"""The plain-dict form of records that sync: what the outbox stores and what HQ receives.

Kept in core so the store can write an outbox entry in the same transaction as the record, without knowing
anything of the network.
"""

from __future__ import annotations

import re
from typing import Any

from trainer_desk.core.attendance import Attendance
from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.sessions import Session


def session_to_wire(session: Session) -> dict[str, Any]:
    return {
        "uuid": session.uuid,
        "plan_id": session.plan.plan_id,
        "plan_version": session.plan.version,
        "programme_id": session.plan.programme_id,
        "unit_code": session.unit_code,
        "venue": session.venue,
        "mode": session.mode.value,
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat() if session.ends_at else None,
        "status": session.status.value,
        "trainers": list(session.trainers),
        "version": session.version,
        "wellbeing_contact": session.wellbeing_contact,
    }


def attendance_to_wire(record: Attendance) -> dict[str, Any]:
    return {
        "uuid": record.uuid,
        "session_uuid": record.session_uuid,
        "staff_number": record.staff_number,
        "unit_code": record.unit_code,
        "status": record.status.value,
        "marked_at": record.marked_at.isoformat(),
        "recorded_by": record.recorded_by,
        "follow_up_due": record.follow_up_due.isoformat(),
        "walk_in": record.walk_in,
        "walk_in_name": record.walk_in_name,
        "version": record.version,
    }


def feedback_to_wire(feedback: Feedback) -> dict[str, Any]:
    """A form as HQ keeps it; a comment (written with a Yes or no answer) goes as the phone's form sends one,
    and only when there is one, so a form without is sent as it always was."""
    sent: dict[str, Any] = {
        "uuid": feedback.uuid,
        "session_uuid": feedback.session_uuid,
        "would_recommend": feedback.would_recommend,
        "reason_not": feedback.reason_not,
        "ratings": [{"objective_id": r.objective_id, "before": r.before, "after": r.after} for r in feedback.ratings],
    }
    if feedback.comment.strip():
        sent["comment"] = feedback.comment.strip()
    return sent


def feedback_from_wire(data: object) -> Feedback:
    """A form as HQ sends one back (a phone's answers): every field checked, ValueError for anything else."""
    if not isinstance(data, dict):
        raise ValueError("a form is an object")
    uuid, session_uuid = data.get("uuid"), data.get("session_uuid")
    recommend, reason, ratings = data.get("would_recommend"), data.get("reason_not") or "", data.get("ratings") or []
    if not (isinstance(uuid, str) and _UUID.fullmatch(uuid) and isinstance(session_uuid, str)):
        raise ValueError("a form needs its uuid and session")
    if not (recommend is None or isinstance(recommend, bool)) or not isinstance(reason, str):
        raise ValueError("would_recommend is yes, no or no answer; the reason is text")
    if not isinstance(ratings, list) or not all(isinstance(r, dict) for r in ratings):
        raise ValueError("ratings are a list")
    rated = tuple(
        ObjectiveRating(str(r.get("objective_id", ""))[:80], _score(r.get("before")), _score(r.get("after")))
        for r in ratings
    )
    if len({r.objective_id for r in rated}) != len(rated):
        raise ValueError("an objective is rated once per form")
    comment = data.get("comment") or ""
    if not isinstance(comment, str):
        raise ValueError("a comment is text")
    return Feedback(
        uuid=uuid,
        session_uuid=session_uuid,
        would_recommend=recommend,
        reason_not=reason[:500],
        ratings=rated,
        comment=comment.strip()[:500],
    )


def _score(value: object) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise ValueError("a score is a whole number from 1 to 5")
    return value


_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
