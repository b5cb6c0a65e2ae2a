"""The audit trail: exports, corrections, imports, purges and wipes, recorded and sent to HQ.

An entry says who (a staff number or a role), when, what and to which record by its id: never a name.
Call `record` inside the transaction of the change it describes, so neither exists without the other.
"""

from __future__ import annotations

from datetime import datetime

from trainer_desk.core.identifiers import new_uuid
from trainer_desk.store import outbox
from trainer_desk.store.connection import Database

ACTIONS = ("export", "correction", "import", "purge", "wipe", "exemption")


def record(db: Database, action: str, actor: str, detail: str, now: datetime) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    entry = new_uuid()
    with db.atomic():
        db.execute(
            "INSERT INTO audit_log (uuid, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)",
            [entry, now.isoformat(), actor, action, detail],
        )
        outbox.enqueue(
            db,
            entity="audit",
            entity_uuid=entry,
            version=1,
            payload={"uuid": entry, "at": now.isoformat(), "actor": actor, "action": action, "detail": detail},
            now=now,
        )
    return entry


def entries(db: Database) -> list[tuple[str, str, str, str]]:
    """(when, who, action, detail), oldest first."""
    return db.execute("SELECT at, actor, action, detail FROM audit_log ORDER BY at, rowid").fetchall()
