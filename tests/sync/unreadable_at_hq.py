"""Records HQ stored before it checked what laptops push, which no laptop can read: put at HQ as such an HQ
left them, in a session planned for the trainer the test's laptop belongs to."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import insert

from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq

WALK_IN_NAME = "Jo \u202esggolB"  # reads "Jo Bloggs" reversed on a page: must never reach a log or a message


def unreadable_records_at_hq(hq: Hq, trainer: str = "100234", unit: str = "NORTH") -> str:
    """A session for `trainer` with one good registration, sent by another laptop of theirs, and two
    registrations in it that no laptop could read; returns the session's id."""
    room = session(unit, (trainer,))
    old_laptop = RawLaptop.enrolled(hq, trainer, unit)
    assert (
        old_laptop.push(item("session", room), item("attendance", attendance(room, "600001"))) == [("created", "")] * 2
    )
    bad: list[dict[str, Any]] = [
        {**attendance(room, "600002"), "status": 123, "walk_in": "yes"},
        {**attendance(room, "W1"), "walk_in": True, "walk_in_name": WALK_IN_NAME},
    ]
    with hq.engine.begin() as conn:
        last = next_seq(conn, len(bad))
        for n, payload in enumerate(bad):
            conn.execute(
                insert(schema.records).values(
                    entity="attendance",
                    uuid=payload["uuid"],
                    version=1,
                    deleted=False,
                    payload=json.dumps({**payload, "version": 1}, sort_keys=True),
                    device_id="old",
                    created_by="old",
                    seq=last - len(bad) + 1 + n,
                    received_at="2026-11-23T09:10:00+00:00",
                    conflicted=False,
                    session_uuid=room["uuid"],
                )
            )
    return str(room["uuid"])
