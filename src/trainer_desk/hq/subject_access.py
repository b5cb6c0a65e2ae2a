"""Everything HQ holds about one person, for a subject access request: their roster entry, every registration
that counts for them (with any correction HQ made), the programmes they have completed, the sessions they
trained, their exemptions, the laptops enrolled in their name, what laptops' audit entries record them doing,
and whether they were invited to (and have answered) a six-month follow-up.

Feedback is not in it: it is anonymous, and nothing links a form to the person who filled it in. Neither are
other people's data: a register is given as this person's own line, never the room's."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.hq import schema
from trainer_desk.hq.completions import catch_up, credited_to, resolutions
from trainer_desk.hq.database import one_of, utc_now
from trainer_desk.hq.records import live_sessions


def export(engine: Engine, staff_number: str) -> dict[str, Any]:
    number = normalise_staff_number(staff_number)
    if not number:
        raise UserFacingError("Give the person's staff number.")
    catch_up(engine)
    roster, c, records = schema.roster, schema.completions, schema.records
    with engine.connect() as conn:
        entry = conn.execute(select(roster).where(roster.c.staff_number == number)).mappings().first()
        credited = [r.uuid for r in conn.execute(select(c.c.uuid).where(c.c.staff_number == number))]
        # A walk-in typed with their number that HQ dismissed counts for nobody, but is still about them.
        dismissed = schema.walk_in_resolutions.c
        credited += conn.execute(select(dismissed.uuid).where(dismissed.dismissed.is_(True))).scalars()
        found = [
            (r.uuid, json.loads(r.payload), bool(r.deleted))
            for r in conn.execute(
                select(records.c.uuid, records.c.payload, records.c.deleted).where(
                    records.c.entity == "attendance", one_of(conn, records.c.uuid, credited)
                )
            )
        ]
        resolved = resolutions(conn, [u for u, _, _ in found])
        completed = [
            dict(r)
            for r in conn.execute(
                select(schema.people_completed).where(schema.people_completed.c.staff_number == number)
            ).mappings()
        ]
        entries = [  # what they did on a laptop (exports, corrections), as the laptop recorded it
            payload
            for payload in (
                json.loads(r.payload)
                for r in conn.execute(select(records.c.payload).where(records.c.entity == "audit"))
            )
            if isinstance(payload, dict) and payload.get("actor") == number
        ]
        exemptions = [
            payload
            for payload in (
                json.loads(r.payload)
                for r in conn.execute(
                    select(records.c.payload).where(records.c.entity == "exemption", records.c.deleted.is_(False))
                )
            )
            if isinstance(payload, dict) and payload.get("staff_number") == number
        ]
        laptops = [
            dict(r)
            for r in conn.execute(
                select(
                    schema.devices.c.name,
                    schema.devices.c.unit,
                    schema.devices.c.role,
                    schema.devices.c.enrolled_at,
                    schema.devices.c.last_seen,
                    schema.devices.c.revoked,
                    schema.devices.c.lost,
                ).where(schema.devices.c.trainer == number)
            ).mappings()
        ]
        invited = schema.follow_up_invitations
        follow_up = [
            dict(r)
            for r in conn.execute(
                select(invited.c.programme_id, invited.c.invited_on, invited.c.reminded_on, invited.c.answered).where(
                    invited.c.staff_number == number
                )
            ).mappings()
        ]
    sessions = {s.uuid: s.payload for s in live_sessions(engine)}
    registrations = []
    for uuid, payload, deleted in found:
        resolution = resolved.get(uuid)
        typed = resolution is not None and resolution.dismissed and payload.get("staff_number") == number
        if credited_to(payload, resolution) != number and not typed:
            continue
        session = sessions.get(str(payload.get("session_uuid", "")), {})
        resolution = resolved.get(uuid)
        registrations.append(
            {
                **{k: v for k, v in payload.items() if k != "walk_in_name" or payload.get("walk_in")},
                "deleted": deleted,
                "corrected_at_hq": resolution.describe() if resolution else "",
                "session": _session_line(session),
            }
        )
    trained = sorted(
        (_session_line(s) for s in sessions.values() if number in [str(t) for t in s.get("trainers") or []]),
        key=lambda s: str(s.get("starts_at", "")),
    )
    if entry is None and not any((registrations, completed, trained, exemptions, laptops, follow_up, entries)):
        raise UserFacingError(f"HQ holds nothing about staff number {number}.")
    return {
        "staff_number": number,
        "exported_at": utc_now().isoformat(),
        "roster": dict(entry) if entry else None,
        "registrations": sorted(registrations, key=lambda r: str(r["session"].get("starts_at", ""))),
        "completed": completed,
        "sessions_trained": trained,
        "exemptions": exemptions,
        "laptops": laptops,
        "follow_up_invitations": follow_up,
        "laptop_audit_entries": entries,
        "not_included": "Feedback forms and follow-up answers are anonymous: nothing links them to the person "
        "who gave them.",
    }


def unit_of(engine: Engine, staff_number: str) -> str | None:
    """The unit the roster gives the person (also once they have left), or None if HQ has no roster entry:
    an export for someone outside an account's units is refused by the console."""
    number = normalise_staff_number(staff_number)
    with engine.connect() as conn:
        found = conn.execute(select(schema.roster.c.unit).where(schema.roster.c.staff_number == number)).scalar()
    return str(found) if found is not None else None


def _session_line(session: dict[str, Any]) -> dict[str, Any]:
    keys = ("uuid", "plan_id", "plan_version", "programme_id", "unit_code", "venue", "starts_at", "ends_at", "status")
    return {k: session.get(k) for k in keys if k in session}
