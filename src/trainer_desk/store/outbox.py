"""The outbox: every change that HQ must hear about, written in the same transaction as the change."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer_desk.core.outbox_counts import OutboxCounts
from trainer_desk.store.connection import Database


def enqueue(
    db: Database,
    *,
    entity: str,
    entity_uuid: str,
    version: int,
    payload: dict[str, Any],
    now: datetime,
    base_version: int | None = None,
    op: str = "upsert",
) -> None:
    """Call inside the transaction that writes the record itself, never after it."""
    if not db.conn.in_transaction:
        raise RuntimeError("outbox entries must be written in the record's own transaction")
    db.execute(
        "INSERT INTO outbox (entity, entity_uuid, version, base_version, op, payload, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [entity, entity_uuid, version, base_version, op, json.dumps(payload), now.isoformat()],
    )


def waiting_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM outbox").fetchone()[0])


def counts(db: Database) -> OutboxCounts:
    """Records waiting to be sent and records HQ refused, in one read, so that no view adds the two up."""
    to_send, refused = db.execute(
        "SELECT coalesce(sum(last_error = ''), 0), coalesce(sum(last_error != ''), 0) FROM outbox"
    ).fetchone()
    return OutboxCounts(int(to_send), int(refused))


@dataclass(frozen=True, slots=True)
class HeldBack:
    """A record HQ refused or found in conflict with its own. It stays here, and is not sent again until someone
    asks (`send_again`): sent unchanged, it would only be refused again."""

    entity: str  # 'session', 'attendance', 'feedback', 'exemption', ...
    session_uuid: str | None  # the session it belongs to, where it belongs to one this laptop holds
    person: str  # whom it names, as 'Name (number)'; '' for a record that names nobody
    answer: str  # HQ's answer, as HQ gave it
    removal: bool = False  # a tombstone: a line taken off a register, for one


# A line taken off the register is gone from its table, so whom and which session it named come from what was
# sent (it was listed as just "Registration").
_HELD_BACK = """
WITH held AS (
    SELECT o.seq, o.entity, o.op, o.last_error,
           coalesce(a.session_uuid, f.session_uuid, t.session_uuid,
                    CASE WHEN o.entity = 'session' THEN o.entity_uuid END,
                    json_extract(o.payload, '$.session_uuid')) AS session_uuid,
           coalesce(a.staff_number, e.staff_number,
                    CASE WHEN o.entity IN ('attendance', 'exemption')
                         THEN json_extract(o.payload, '$.staff_number') END,
                    '') AS staff_number,
           coalesce(nullif(a.walk_in_name, ''),
                    CASE WHEN o.entity = 'attendance' THEN nullif(json_extract(o.payload, '$.walk_in_name'), '') END,
                    '') AS walk_in_name
    FROM outbox o
    LEFT JOIN attendance a ON o.entity = 'attendance' AND a.uuid = o.entity_uuid
    LEFT JOIN feedback f ON o.entity = 'feedback' AND f.uuid = o.entity_uuid
    LEFT JOIN section_timings t ON o.entity = 'section_timing' AND t.uuid = o.entity_uuid
    LEFT JOIN exemptions e ON o.entity = 'exemption' AND e.uuid = o.entity_uuid
    WHERE o.last_error != ''
)
SELECT h.entity, h.session_uuid, h.staff_number,
       coalesce(written_name(p.forename, p.surname), nullif(h.walk_in_name, ''), ''),
       h.last_error, h.op = 'delete'
FROM held h
LEFT JOIN people p ON p.staff_number = nullif(h.staff_number, '')
ORDER BY h.seq
LIMIT ?
"""


def held_back(db: Database, limit: int | None = None) -> list[HeldBack]:
    """The records HQ did not take, oldest first (all of them, without a `limit`)."""
    return [
        HeldBack(entity, session, f"{name} ({number})" if name and number else name or number, answer, bool(gone))
        for entity, session, number, name, answer, gone in db.execute(
            _HELD_BACK, [-1 if limit is None else limit]
        ).fetchall()
    ]


def held_back_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM outbox WHERE last_error != ''").fetchone()[0])


def send_again(db: Database) -> int:
    """Let the next sync send every record HQ did not take, in the order they were written (a session before its
    registrations), for HQ to decide again: once the cause is put right at HQ (the session given back to this
    laptop's trainer, say), they are taken. Returns how many will go."""
    with db.atomic():
        return int(db.execute("UPDATE outbox SET last_error = '' WHERE last_error != ''").rowcount)
