"""Sessions and registrations HQ gives this laptop: a session planned elsewhere for this laptop's trainer, or
(on a training lead's laptop) every session of the unit with its register.

What HQ sends is checked like any import: a record that does not make sense, or names a unit or session this
laptop does not know, is left out, never half stored. A record with a change still waiting to go from this
laptop is left as it is here: this laptop's change goes to HQ, which decides between them. Stored records
are marked as acknowledged, since HQ already holds exactly that version.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from trainer_desk.core.record_checks import check_attendance, check_session
from trainer_desk.store.connection import Database, IntegrityError

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PulledRecord:
    entity: str  # 'session' or 'attendance'
    uuid: str
    version: int
    deleted: bool
    payload: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Applied:
    stored: int
    left_out: int  # records this laptop could not read: the sync says how many, for the trainer to tell HQ


def apply_records(db: Database, records: Iterable[PulledRecord], now: datetime) -> Applied:
    """Inside the caller's transaction (the pull batch, with its cursor); says how many were stored and how
    many left out. A record left out is not asked for again (the cursor moves past it), so the count is the
    only trace of it the trainer sees."""
    stored = left_out = 0
    for record in records:
        if _waiting_here(db, record) or _have_as_new(db, record):
            continue
        try:
            if record.entity == "session":
                stored += _session(db, record, now)
            else:
                stored += _attendance(db, record, now)
        except (KeyError, TypeError, ValueError, IntegrityError) as error:
            left_out += 1
            log.warning("a record from HQ (%s) was left out: %s", record.entity, type(error).__name__)
    return Applied(stored, left_out)


def _waiting_here(db: Database, record: PulledRecord) -> bool:
    entity = "session" if record.entity == "session" else "attendance"
    return bool(
        db.execute(
            "SELECT 1 FROM outbox WHERE entity = ? AND entity_uuid = ? LIMIT 1", [entity, record.uuid]
        ).fetchone()
    )


def _have_as_new(db: Database, record: PulledRecord) -> bool:
    table = "sessions" if record.entity == "session" else "attendance"
    row = db.execute(f"SELECT version FROM {table} WHERE uuid = ?", [record.uuid]).fetchone()
    return row is not None and int(row[0]) >= record.version


def _session(db: Database, record: PulledRecord, now: datetime) -> int:
    if record.deleted:
        db.execute("DELETE FROM sessions WHERE uuid = ?", [record.uuid])
        return 1
    p = record.payload
    check_session(p, now)
    unit = str(p["unit_code"])
    if not db.execute("SELECT 1 FROM units WHERE code = ?", [unit]).fetchone():
        raise ValueError("unknown unit")
    starts_at = datetime.fromisoformat(p["starts_at"])
    ends_at = datetime.fromisoformat(p["ends_at"]) if p.get("ends_at") else None
    trainers: list[str] = p.get("trainers") or []
    values = [
        record.uuid,
        p["plan_id"],
        p["plan_version"],
        p["programme_id"],
        unit,
        p.get("venue") or "",
        p["mode"],
        starts_at.isoformat(),
        ends_at.isoformat() if ends_at else None,
        p["status"],
        record.version,
        now.isoformat(),
        now.isoformat(),
        now.isoformat(),
        p.get("wellbeing_contact") or "",
    ]
    db.execute(
        "INSERT INTO sessions (uuid, plan_id, plan_version, programme_id, unit_code, venue, mode, starts_at, ends_at,"
        " status, version, created_at, updated_at, acked_at, wellbeing_contact)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (uuid) DO UPDATE SET plan_id = excluded.plan_id, plan_version = excluded.plan_version,"
        " programme_id = excluded.programme_id, unit_code = excluded.unit_code, venue = excluded.venue,"
        " mode = excluded.mode, starts_at = excluded.starts_at, ends_at = excluded.ends_at, status = excluded.status,"
        " version = excluded.version, updated_at = excluded.updated_at, acked_at = excluded.acked_at,"
        " wellbeing_contact = excluded.wellbeing_contact",
        values,
    )
    db.execute("DELETE FROM session_trainers WHERE session_uuid = ?", [record.uuid])
    db.conn.executemany(
        "INSERT OR IGNORE INTO session_trainers (session_uuid, staff_number, position) VALUES (?, ?, ?)",
        [(record.uuid, number, n) for n, number in enumerate(trainers)],
    )
    db.execute(
        "UPDATE attendance SET session_starts_at = ? WHERE session_uuid = ?", [starts_at.isoformat(), record.uuid]
    )
    return 1


def _attendance(db: Database, record: PulledRecord, now: datetime) -> int:
    if record.deleted:
        db.execute("DELETE FROM attendance WHERE uuid = ?", [record.uuid])
        return 1
    p = record.payload
    check_attendance(p, now)
    session = db.execute(
        "SELECT programme_id, starts_at FROM sessions WHERE uuid = ? AND deleted = 0", [str(p["session_uuid"])]
    ).fetchone()
    if session is None:
        raise ValueError("a registration for a session this laptop was not given")
    db.execute(
        "INSERT INTO attendance (uuid, session_uuid, staff_number, unit_code, programme_id, status, marked_at,"
        " recorded_by, follow_up_due, walk_in, walk_in_name, version, session_starts_at, acked_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (uuid) DO UPDATE SET status = excluded.status, marked_at = excluded.marked_at,"
        " recorded_by = excluded.recorded_by, unit_code = excluded.unit_code, walk_in = excluded.walk_in,"
        " walk_in_name = excluded.walk_in_name, version = excluded.version, acked_at = excluded.acked_at",
        [
            record.uuid,
            p["session_uuid"],
            p["staff_number"],
            p["unit_code"],
            session[0],
            p["status"],
            datetime.fromisoformat(p["marked_at"]).isoformat(),
            p.get("recorded_by") or "",
            date.fromisoformat(p["follow_up_due"]).isoformat(),
            int(p.get("walk_in") is True),
            p.get("walk_in_name") or "",
            record.version,
            session[1],
            now.isoformat(),
        ],
    )
    return 1
