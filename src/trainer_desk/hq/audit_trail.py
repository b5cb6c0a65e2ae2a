"""HQ's own audit trail: sign-ins (and failed ones), downloads and administration, searchable by auditors.
An entry names an account and what was done; it never holds a password, and names people only by staff
number where the action was about them."""

from __future__ import annotations

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
