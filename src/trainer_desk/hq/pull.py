"""What a laptop pulls: the roster changes of its unit since its cursor, and any newer lesson content."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, or_, select

from trainer_desk.hq import schema
from trainer_desk.hq.database import hashed, reading
from trainer_desk.hq.devices import Device, as_device, note_seen_alone
from trainer_desk.sync.protocol import RosterChange


@dataclass(frozen=True, slots=True)
class Pull:
    device: Device
    roster: list[RosterChange]
    cursor: int
    more: bool
    content: dict[str, Any] | None


def pull(engine: Engine, token: str, cursor: int, limit: int) -> Pull | None:
    """What a device needs since `cursor`, or None if its token is unknown or revoked.

    Most pulls find nothing new, so their cost is round trips: the device, the sequence counter and any newer
    content come in one statement, the roster changes in a second, outside a transaction (each statement is
    consistent on its own, and the counter is read first: a change numbered after it is left for the next
    pull, never skipped)."""
    latest = select(schema.counters.c.value).where(schema.counters.c.name == "seq").scalar_subquery()
    newest_content = (
        select(schema.content_versions.c.manifest)
        .where(schema.content_versions.c.seq > cursor)
        .order_by(schema.content_versions.c.version.desc())
        .limit(1)
        .scalar_subquery()
    )
    with reading(engine).connect() as conn:
        row = (
            conn.execute(
                select(schema.devices, latest.label("latest_seq"), newest_content.label("newest_manifest")).where(
                    schema.devices.c.token_hash == hashed(token)
                )
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked"]:
            return None
        device = as_device(row)
        roster, next_cursor, more = _roster_changes(conn, device.unit, cursor, int(row["latest_seq"]), limit)
    note_seen_alone(engine, row)
    content = json.loads(row["newest_manifest"]) if row["newest_manifest"] else None
    return Pull(device, roster, next_cursor, more, content)


def _roster_changes(
    conn: Connection, unit: str, cursor: int, latest: int, limit: int
) -> tuple[list[RosterChange], int, bool]:
    """Changes a unit needs after `cursor` up to `latest`; someone who moved out of the unit arrives as
    removed."""
    rows = list(
        conn.execute(
            select(schema.roster)
            .where(
                schema.roster.c.seq > cursor,
                schema.roster.c.seq <= latest,
                or_(schema.roster.c.unit == unit, schema.roster.c.previous_unit == unit),
            )
            .order_by(schema.roster.c.seq)
            .limit(limit + 1)
        )
    )
    more = len(rows) > limit
    rows = rows[:limit]
    changes = [
        RosterChange(
            r.seq,
            r.staff_number,
            r.forename,
            r.surname,
            r.unit,
            r.role,
            r.rank,
            bool(r.removed) or r.unit != unit,
            r.team,
        )
        for r in rows
    ]
    next_cursor = rows[-1].seq if more else max(latest, cursor)
    return changes, next_cursor, more
