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


_HELD_BACK = """
SELECT o.entity,
       coalesce(a.session_uuid, f.session_uuid, t.session_uuid, CASE WHEN o.entity = 'session' THEN o.entity_uuid END),
       coalesce(a.staff_number, e.staff_number, ''),
       coalesce(written_name(p.forename, p.surname), nullif(a.walk_in_name, ''), ''),
       o.last_error
FROM outbox o
LEFT JOIN attendance a ON o.entity = 'attendance' AND a.uuid = o.entity_uuid
LEFT JOIN feedback f ON o.entity = 'feedback' AND f.uuid = o.entity_uuid
LEFT JOIN section_timings t ON o.entity = 'section_timing' AND t.uuid = o.entity_uuid
LEFT JOIN exemptions e ON o.entity = 'exemption' AND e.uuid = o.entity_uuid
LEFT JOIN people p ON p.staff_number = coalesce(a.staff_number, e.staff_number)
WHERE o.last_error != ''
ORDER BY o.seq
LIMIT ?
"""


def held_back(db: Database, limit: int) -> list[HeldBack]:
    """The records HQ did not take, oldest first."""
    return [
        HeldBack(entity, session, f"{name} ({number})" if name else number, answer)
        for entity, session, number, name, answer in db.execute(_HELD_BACK, [limit]).fetchall()
    ]


def held_back_count(db: Database) -> int:
    return int(db.execute("SELECT count(*) FROM outbox WHERE last_error != ''").fetchone()[0])


def send_again(db: Database) -> int:
    """Let the next sync send every record HQ did not take, in the order they were written (a session before its
    registrations), for HQ to decide again: once the cause is put right at HQ (the session given back to this
    laptop's trainer, say), they are taken. Returns how many will go."""
    with db.atomic():
        return int(db.execute("UPDATE outbox SET last_error = '' WHERE last_error != ''").rowcount)
