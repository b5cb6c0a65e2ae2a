"""People excused from a programme, or who completed it another way, with the reason: counted apart in
compliance, never chased, recorded in the audit trail and sent to HQ like every record; and those recorded
elsewhere (another laptop, HQ's console), as HQ gives them back, so every laptop counts what HQ counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from trainer_desk.core.compliance_count import Excusals, ExemptionKind
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


def for_programme(db: Database, programme_id: str) -> Excusals:
    """Who this laptop holds as excused from the programme, with the reason where it has one (HQ gives a
    reason back only to the laptop that recorded it), for the compliance report to list them with it."""
    rows = db.execute("SELECT staff_number, kind, reason FROM exemptions WHERE programme_id = ?", [programme_id])
    held = [(str(number), ExemptionKind(kind), str(reason or "")) for number, kind, reason in rows]
    return Excusals({n: kind for n, kind, _ in held}, {n: reason for n, _, reason in held})


@dataclass(frozen=True, slots=True)
class PulledExemption:
    """An exemption as HQ gives it: the reason and who recorded it only when this laptop sent it."""

    uuid: str
    staff_number: str
    programme_id: str
    kind: ExemptionKind | None  # None: withdrawn at HQ, so the person is counted and chased again
    recorded_at: str
    reason: str = ""
    recorded_by: str = ""


def apply_from_hq(db: Database, pulled: Iterable[PulledExemption], now: datetime) -> int:
    """Inside the caller's transaction (the pull batch, with its cursor): the exemptions HQ holds, in the order
    it received them, so the newest for a person and programme is the one kept, as at HQ. Returns how many
    changed what this laptop holds.

    A withdrawal (`kind` None) takes away the one held, as a newer exemption would replace it.

    HQ also sends back this laptop's own, each in its place in that order: one held here already stays as it
    is (HQ has it, so it counts as sent); one replaced meanwhile by an older record from elsewhere comes back.
    An exemption recorded here and not yet sent is newer than anything HQ holds, so nothing pulled replaces it
    (once sent, it replaces theirs at HQ as well)."""
    changed = 0
    stamp = now.isoformat()
    for x in pulled:
        if db.execute("SELECT 1 FROM exemptions WHERE uuid = ?", [x.uuid]).fetchone():
            db.execute("UPDATE exemptions SET acked_at = ? WHERE uuid = ? AND acked_at IS NULL", [stamp, x.uuid])
            continue
        held = db.execute(
            "SELECT acked_at FROM exemptions WHERE staff_number = ? AND programme_id = ?",
            [x.staff_number, x.programme_id],
        ).fetchone()
        if held is not None and held[0] is None:
            continue  # recorded here and not sent yet
        db.execute(
            "DELETE FROM exemptions WHERE staff_number = ? AND programme_id = ?", [x.staff_number, x.programme_id]
        )
        if x.kind is None:
            changed += held is not None
            continue
        db.execute(
            "INSERT INTO exemptions"
            " (uuid, staff_number, programme_id, kind, reason, recorded_by, recorded_at, acked_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [x.uuid, x.staff_number, x.programme_id, x.kind.value, x.reason, x.recorded_by, x.recorded_at, stamp],
        )
        changed += 1
    return changed
