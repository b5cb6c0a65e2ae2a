"""People excused from a programme, or who completed it another way, with the reason: counted apart in
compliance, never chased, recorded in the audit trail and sent to HQ like every record."""

from __future__ import annotations

from datetime import datetime

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.store import audit, outbox
from trainer_desk.store.connection import Database


def record(
    db: Database, staff_number: str, programme_id: str, kind: ExemptionKind, reason: str, actor: str, now: datetime
) -> str:
    """Record (or replace) a person's exemption from one programme; the reason is required."""
    reason = reason.strip()
    if not reason:
        raise UserFacingError("Give the reason: it is kept with the record and in the audit trail.")
    if not db.execute("SELECT 1 FROM people WHERE staff_number = ? AND removed = 0", [staff_number]).fetchone():
        raise UserFacingError(f"No one with staff number {staff_number} is on the roster.")
    entry = new_uuid()
    with db.atomic():
        db.execute("DELETE FROM exemptions WHERE staff_number = ? AND programme_id = ?", [staff_number, programme_id])
        db.execute(
            "INSERT INTO exemptions (uuid, staff_number, programme_id, kind, reason, recorded_by, recorded_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [entry, staff_number, programme_id, kind.value, reason[:500], actor, now.isoformat()],
        )
        # The audit trail says that it happened and why, without naming the person (the record itself does).
        audit.record(db, "exemption", actor, f"{programme_id}: {kind.label}: {reason[:300]}", now)
        outbox.enqueue(
            db,
            entity="exemption",
            entity_uuid=entry,
            version=1,
            payload={
                "uuid": entry,
                "staff_number": staff_number,
                "programme_id": programme_id,
                "kind": kind.value,
                "reason": reason[:500],
                "recorded_by": actor,
                "recorded_at": now.isoformat(),
            },
            now=now,
        )
    return entry


def for_programme(db: Database, programme_id: str) -> dict[str, ExemptionKind]:
    return {
        number: ExemptionKind(kind)
        for number, kind in db.execute(
            "SELECT staff_number, kind FROM exemptions WHERE programme_id = ?", [programme_id]
        )
    }
