"""The outbox: every change that HQ must hear about, written in the same transaction as the change."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

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
