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


def search(engine: Engine, text: str = "", limit: int = 200) -> list[dict[str, Any]]:
    """The newest entries first, those mentioning `text` (in the account, the action or the detail) if given."""
    audit = schema.hq_audit
    query = select(audit.c.at, audit.c.actor, audit.c.action, audit.c.detail).order_by(audit.c.id.desc())
    if text.strip():
        like = f"%{text.strip()}%"
        query = query.where(or_(audit.c.actor.ilike(like), audit.c.action.ilike(like), audit.c.detail.ilike(like)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.limit(limit))]
