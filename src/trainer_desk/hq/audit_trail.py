"""HQ's own audit trail: sign-ins (and failed ones), downloads and administration, searchable by auditors.
An entry names an account and what was done; it never holds a password, and names people only by staff
number where the action was about them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, insert, or_, select

from trainer_desk.hq import schema
from trainer_desk.hq.database import utc_now


def record(engine: Engine, actor: str, action: str, detail: str = "") -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(schema.hq_audit).values(
                at=utc_now().isoformat(timespec="seconds"), actor=actor[:80], action=action[:40], detail=detail[:2000]
            )
        )


DEVICE_LOST = "device lost"  # its detail: the device's id (the console and the command line alike)
TOLD_TO_WIPE = "device told to wipe"  # its detail: the device's id; recorded by HQ itself, at the lost laptop's sync
WIPE_ACTOR = "sync"


@dataclass(frozen=True, slots=True)
class LostDevice:
    """What the audit trail knows of a lost laptop: when it was marked lost and when, since then, a sync told it
    to wipe itself (ISO text, UTC; empty when not known, or not yet)."""

    marked_at: str
    told_at: str


def lost_devices(engine: Engine, device_ids: list[str]) -> dict[str, LostDevice]:
    """For each of these laptops, when it was last marked lost and the first sync after that which told it to
    wipe itself: what the person who reported a laptop stolen asks next. Entries older than the audit trail
    keeps are gone, so either may be unknown."""
    if not device_ids:
        return {}
    audit = schema.hq_audit
    query = (
        select(audit.c.at, audit.c.action, audit.c.detail)
        .where(audit.c.action.in_((DEVICE_LOST, TOLD_TO_WIPE)), audit.c.detail.in_(device_ids))
        .order_by(audit.c.id)
    )
    marked: dict[str, str] = {}
    told: dict[str, str] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            if row.action == DEVICE_LOST:  # marked again: only a sync after this counts
                marked[row.detail] = row.at
                told.pop(row.detail, None)
            else:
                told.setdefault(row.detail, row.at)
    return {d: LostDevice(marked.get(d, ""), told.get(d, "")) for d in device_ids}


def note_told_to_wipe(engine: Engine, device_id: str) -> None:
    """Once per marking lost: the first sync that tells a lost laptop to wipe itself. A laptop that asks again
    (its wipe interrupted, say) adds nothing."""
    if not lost_devices(engine, [device_id])[device_id].told_at:
        record(engine, WIPE_ACTOR, TOLD_TO_WIPE, device_id)


SESSION_CANCELLED = "session cancelled"  # its detail: "<session uuid>: <the reason given>"


def session_cancellation(engine: Engine, session_uuid: str) -> dict[str, str] | None:
    """Who cancelled a session in the console, when and why (`at`, `actor`, `reason`), or None for one cancelled
    elsewhere (on a trainer's laptop). The session's page says it: a lead may not read the audit trail itself."""
    audit = schema.hq_audit
    query = (
        select(audit.c.at, audit.c.actor, audit.c.detail)
        .where(audit.c.action == SESSION_CANCELLED, audit.c.detail.startswith(f"{session_uuid}: ", autoescape=True))
        .order_by(audit.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    return {"at": row.at, "actor": row.actor, "reason": row.detail.split(": ", 1)[1]}


def search(engine: Engine, text: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """The newest entries first, those mentioning `text` (in the account, the action or the detail) if given."""
    audit = schema.hq_audit
    query = select(audit.c.at, audit.c.actor, audit.c.action, audit.c.detail).order_by(audit.c.id.desc())
    if text.strip():
        like = f"%{text.strip()}%"
        query = query.where(or_(audit.c.actor.ilike(like), audit.c.action.ilike(like), audit.c.detail.ilike(like)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.limit(limit))]
