"""Which sessions are part-way through delivery, for telling "running" from "delivered, register open".

Delivery keeps a resume point and an open section clock while the presenter runs; `delivery.finish` removes
the one and closes the other, while the session's status stays running until the trainer closes the register.
"""

from __future__ import annotations

from trainer_desk.store.connection import Database


def sessions_mid_delivery(db: Database) -> set[str]:
    """The uuids of sessions whose delivery started and was not ended."""
    return {
        row[0]
        for row in db.execute(
            "SELECT session_uuid FROM delivery_progress"
            " UNION SELECT session_uuid FROM section_timings WHERE ended_at IS NULL"
        )
    }
