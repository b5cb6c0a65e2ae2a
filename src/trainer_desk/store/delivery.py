"""What happens during delivery: the session's status, the timing log, progress for resuming, and the
questions the trainer could not answer. Each synced write carries its outbox entry in the same transaction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import outbox
from trainer_desk.store.attendance import refuse_when_cancelled
from trainer_desk.store.connection import Database
from trainer_desk.store.session_progress import sessions_mid_delivery
from trainer_desk.store.sessions import get_session, queue_version


def set_status(db: Database, session: Session, status: SessionStatus, now: datetime) -> Session:
    """A new version of the session that names the version it replaces. A planned session that starts is
    recorded as held from now: planned for Thursday and run on Sunday, it was held on Sunday, and its sheet,
    the figures for Sunday and its trainers' hours all say so."""
    if status is not SessionStatus.CANCELLED:
        refuse_when_cancelled(db, session)
    started = session.status is SessionStatus.PLANNED and status is SessionStatus.RUNNING
    changed = replace(
        session,
        status=status,
        version=session.version + 1,
        starts_at=now if started else session.starts_at,
        ends_at=now if status is SessionStatus.CLOSED else None,
    )
    with db.atomic():
        db.execute(
            "UPDATE sessions SET status = ?, version = ?, starts_at = ?, ends_at = ?, updated_at = ?, acked_at = NULL"
            " WHERE uuid = ?",
            [
                status.value,
                changed.version,
                changed.starts_at.isoformat(),
                changed.ends_at.isoformat() if changed.ends_at else None,
                now.isoformat(),
                session.uuid,
            ],
        )
        if started:
            db.execute(
                "UPDATE attendance SET session_starts_at = ? WHERE session_uuid = ?",
                [changed.starts_at.isoformat(), session.uuid],
            )
        queue_version(db, session, changed, now)
    return changed


def section_started(db: Database, session_uuid: str, section_id: str, now: datetime) -> str:
    """Close any open timing row and open one for this section; returns the new row's uuid."""
    timing_uuid = new_uuid()
    with db.atomic():
        _close_open_timings(db, session_uuid, now)
        db.execute(
            "INSERT INTO section_timings (uuid, session_uuid, section_id, started_at) VALUES (?, ?, ?, ?)",
            [timing_uuid, session_uuid, section_id, now.isoformat()],
        )
    return timing_uuid


def sections_ended(db: Database, session_uuid: str, now: datetime) -> None:
    with db.atomic():
        _close_open_timings(db, session_uuid, now)


def close_interrupted_timings(db: Database, session_uuid: str) -> None:
    """A presenter that stopped without ending its section's timing row (the app was killed, the laptop's
    battery died): the row ends when the place to resume from was last saved, not when delivery resumes, so
    that the time away is not sent to HQ as time spent teaching the section."""
    row = db.execute("SELECT saved_at FROM delivery_progress WHERE session_uuid = ?", [session_uuid]).fetchone()
    if row is not None:
        with db.atomic():
            _close_open_timings(db, session_uuid, datetime.fromisoformat(row[0]))


def _close_open_timings(db: Database, session_uuid: str, now: datetime) -> None:
    """A timing row goes to HQ once it is complete, so dip samples see whole sections only. It ends at `now`,
    or where it started if that is later (a place saved just before the section began)."""
    open_rows = db.execute(
        "SELECT uuid, section_id, started_at FROM section_timings WHERE session_uuid = ? AND ended_at IS NULL",
        [session_uuid],
    ).fetchall()
    for timing_uuid, section_id, started_at in open_rows:
        ended = max(now, datetime.fromisoformat(started_at)).isoformat()
        db.execute("UPDATE section_timings SET ended_at = ? WHERE uuid = ?", [ended, timing_uuid])
        outbox.enqueue(
            db,
            entity="section_timing",
            entity_uuid=timing_uuid,
            version=1,
            payload={
                "uuid": timing_uuid,
                "session_uuid": session_uuid,
                "section_id": section_id,
                "started_at": started_at,
                "ended_at": ended,
            },
            now=now,
        )


def timing_log(db: Database, session_uuid: str) -> list[tuple[str, datetime, datetime | None]]:
    return [
        (section_id, datetime.fromisoformat(start), datetime.fromisoformat(end) if end else None)
        for section_id, start, end in db.execute(
            "SELECT section_id, started_at, ended_at FROM section_timings WHERE session_uuid = ?"
            " ORDER BY started_at, rowid",
            [session_uuid],
        )
    ]


def save_progress(db: Database, session_uuid: str, snapshot: dict[str, object], now: datetime) -> None:
    with db.atomic():
        db.execute(
            "INSERT INTO delivery_progress (session_uuid, snapshot, saved_at) VALUES (?, ?, ?)"
            " ON CONFLICT (session_uuid) DO UPDATE SET snapshot = excluded.snapshot, saved_at = excluded.saved_at",
            [session_uuid, json.dumps(snapshot), now.isoformat()],
        )


def unfinished_session(db: Database, session_uuid: str | None = None) -> tuple[Session, dict[str, object]] | None:
    """The session that was running when the app last stopped, with where it had got to; or, named, that one
    session, if its delivery stopped part-way (with no place kept, it resumes from the start)."""
    if session_uuid is None:
        row = db.execute(
            "SELECT s.uuid, p.snapshot FROM sessions s JOIN delivery_progress p ON p.session_uuid = s.uuid"
            " WHERE s.status = 'running' AND s.deleted = 0 ORDER BY p.saved_at DESC LIMIT 1"
        ).fetchone()
    else:
        row = db.execute(
            "SELECT s.uuid, coalesce(p.snapshot, '{}') FROM sessions s"
            " LEFT JOIN delivery_progress p ON p.session_uuid = s.uuid"
            " WHERE s.uuid = ? AND s.status = 'running' AND s.deleted = 0",
            [session_uuid],
        ).fetchone()
        if row is not None and session_uuid not in sessions_mid_delivery(db):
            return None  # delivered: only its register is open
    if row is None:
        return None
    session = get_session(db, row[0])
    try:
        snapshot = json.loads(row[1])
    except json.JSONDecodeError:
        snapshot = {}
    return (session, snapshot) if session and isinstance(snapshot, dict) else None


def note_unanswered_question(
    db: Database, plan_id: str, question: str, now: datetime, session_uuid: str | None = None
) -> str:
    question_uuid = new_uuid()
    with db.atomic():
        db.execute(
            "INSERT INTO faq_questions (uuid, session_uuid, plan_id, question, asked_at) VALUES (?, ?, ?, ?, ?)",
            [question_uuid, session_uuid, plan_id, question.strip(), now.isoformat()],
        )
        outbox.enqueue(
            db,
            entity="faq_question",
            entity_uuid=question_uuid,
            version=1,
            payload={
                "uuid": question_uuid,
                "session_uuid": session_uuid,
                "plan_id": plan_id,
                "question": question.strip(),
                "asked_at": now.isoformat(),
            },
            now=now,
        )
    return question_uuid


def finish(db: Database, session: Session, now: datetime) -> None:
    """End delivery: close the timing log and drop the resume point. The session stays open for the register
    and feedback until the trainer closes it."""
    with db.atomic():
        sections_ended(db, session.uuid, now)
        db.execute("DELETE FROM delivery_progress WHERE session_uuid = ?", [session.uuid])


def close_session(db: Database, session: Session, checklist: CloseChecklist, closed_by: str, now: datetime) -> Session:
    """Close the session in one transaction: the checklist as the trainer saw it, the timing log, the status."""
    with db.atomic():
        finish(db, session, now)
        db.execute(
            "INSERT OR REPLACE INTO session_checklists (session_uuid, register_complete, feedback_collected,"
            " timing_complete, closed_by, closed_at) VALUES (?, ?, ?, ?, ?, ?)",
            [
                session.uuid,
                int(checklist.register_complete),
                int(checklist.feedback_collected),
                int(checklist.timing_complete),
                closed_by,
                now.isoformat(),
            ],
        )
        current = get_session(db, session.uuid) or session
        return set_status(db, current, SessionStatus.CLOSED, now)


def checklist_for(db: Database, session: Session, section_ids: list[str]) -> CloseChecklist:
    register_lines = db.execute(
        "SELECT count(*) FROM attendance WHERE session_uuid = ? AND deleted = 0", [session.uuid]
    ).fetchone()[0]
    forms = db.execute("SELECT count(*) FROM feedback WHERE session_uuid = ?", [session.uuid]).fetchone()[0]
    timed = {
        row[0]
        for row in db.execute(
            "SELECT section_id FROM section_timings WHERE session_uuid = ? AND ended_at IS NOT NULL", [session.uuid]
        )
    }
    return CloseChecklist(
        register_complete=register_lines > 0,
        feedback_collected=forms > 0,
        timing_complete=set(section_ids) <= timed,
        attendees=int(register_lines),
        feedback_forms=int(forms),
        sections_timed=len(timed & set(section_ids)),
    )


@dataclass(frozen=True, slots=True)
class CloseChecklist:
    register_complete: bool
    feedback_collected: bool
    timing_complete: bool
    attendees: int = 0
    feedback_forms: int = 0
    sections_timed: int = 0
