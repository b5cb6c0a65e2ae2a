"""Sessions as the database holds them; each write also queues the change for HQ."""

from __future__ import annotations

from datetime import datetime

from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.core.wire import session_to_wire
from trainer_desk.store import outbox
from trainer_desk.store.connection import Database


def create_session(db: Database, session: Session, now: datetime) -> Session:
    with db.atomic():
        db.execute(
            "INSERT INTO sessions (uuid, plan_id, plan_version, programme_id, unit_code, venue, mode,"
            " starts_at, ends_at, status, version, created_at, updated_at, wellbeing_contact)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                session.uuid,
                session.plan.plan_id,
                session.plan.version,
                session.plan.programme_id,
                session.unit_code,
                session.venue,
                session.mode.value,
                session.starts_at.isoformat(),
                session.ends_at.isoformat() if session.ends_at else None,
                session.status.value,
                session.version,
                now.isoformat(),
                now.isoformat(),
                session.wellbeing_contact,
            ],
        )
        db.conn.executemany(
            "INSERT INTO session_trainers (session_uuid, staff_number, position) VALUES (?, ?, ?)",
            [(session.uuid, number, i) for i, number in enumerate(session.trainers)],
        )
        outbox.enqueue(
            db,
            entity="session",
            entity_uuid=session.uuid,
            version=session.version,
            payload=session_to_wire(session),
            now=now,
        )
    return session


def queue_version(db: Database, before: Session, changed: Session, now: datetime) -> None:
    """Queues `changed`, the next version of `before`, for HQ: the one way a session's change is sent, so HQ
    always gets the version it was based on (a move, a reassignment, a delivery's start or end, a unit put
    right)."""
    outbox.enqueue(
        db,
        entity="session",
        entity_uuid=changed.uuid,
        version=changed.version,
        base_version=before.version,
        payload=session_to_wire(changed),
        now=now,
    )


_COLUMNS = (
    "uuid, plan_id, plan_version, programme_id, unit_code, venue, mode, starts_at, ends_at, status, version,"
    " wellbeing_contact"
)


def get_session(db: Database, session_uuid: str) -> Session | None:
    found = _sessions(db, " AND uuid = ?", [session_uuid])
    return found[0] if found else None


def list_sessions(db: Database) -> list[Session]:
    return _sessions(db, "", [])


def _sessions(db: Database, where: str, params: list[str]) -> list[Session]:
    rows = db.execute(
        f"SELECT {_COLUMNS} FROM sessions WHERE deleted = 0{where} ORDER BY starts_at DESC", params
    ).fetchall()
    trainers: dict[str, list[str]] = {}
    for session_uuid, number in db.execute(
        "SELECT session_uuid, staff_number FROM session_trainers ORDER BY session_uuid, position"
    ):
        trainers.setdefault(session_uuid, []).append(number)
    return [
        Session(
            uuid=r[0],
            plan=PlanRef(plan_id=r[1], version=r[2], programme_id=r[3]),
            unit_code=r[4],
            venue=r[5],
            mode=DeliveryMode(r[6]),
            starts_at=datetime.fromisoformat(r[7]),
            ends_at=datetime.fromisoformat(r[8]) if r[8] else None,
            status=SessionStatus(r[9]),
            version=r[10],
            trainers=tuple(trainers.get(r[0], ())),
            wellbeing_contact=r[11],
        )
        for r in rows
    ]
