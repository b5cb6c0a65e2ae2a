"""Everything HQ holds about one person, for a subject access request: their roster entry, every registration
that counts for them (with any correction HQ made), the programmes they have completed, the sessions they
trained, their exemptions, the laptops enrolled in their name, what laptops' audit entries record them doing,
and whether they were invited to (and have answered) a six-month follow-up.

Feedback is not in it: it is anonymous, and nothing links a form to the person who filled it in. Neither are
other people's data: a register is given as this person's own line, never the room's."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.hq import plain_records, schema
from trainer_desk.hq.completions import Resolution, catch_up, credited_to, resolutions
from trainer_desk.hq.database import one_of, utc_now
from trainer_desk.hq.force_labels import unit_forces, unit_with_force


def export(engine: Engine, blobs: Path, staff_number: str) -> dict[str, Any]:
    """What the person receives: every key and value in words (`plain_records`), HQ's bookkeeping left out."""
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
    known = _naming_forces(engine, plain_records.known(engine, blobs))
    registrations = []
    for uuid, payload, deleted in found:
        resolution = resolved.get(uuid)
        typed = resolution is not None and resolution.dismissed and payload.get("staff_number") == number
        if credited_to(payload, resolution) != number and not typed:
            continue
        session = known.sessions.get(str(payload.get("session_uuid", "")), {})
        registrations.append(_registration(uuid, payload, deleted, resolution, session, known))
    trained = sorted(
        (s for s in known.sessions.values() if number in [str(t) for t in s.get("trainers") or []]),
        key=lambda s: str(s.get("starts_at", "")),
    )
    if entry is None and not any((registrations, completed, trained, exemptions, laptops, follow_up, entries)):
        raise UserFacingError(f"HQ holds nothing about staff number {number}.")
    labels = known.labels
    return {
        "staff number": number,
        "exported at": plain_records.moment(utc_now().isoformat()),
        "roster entry": plain_records.plain(dict(entry), labels) if entry else None,
        "registrations": [r for _, r in sorted(registrations, key=lambda r: r[0])],
        "programmes completed": [plain_records.plain(c, labels) for c in completed],
        "sessions trained": [plain_records.session_in_words(s, labels) for s in trained],
        "exemptions": [plain_records.plain(e, labels) for e in exemptions],
        "laptops enrolled to them": [plain_records.plain(d, labels) for d in laptops],
        "follow-up invitations": [plain_records.plain(f, labels) for f in follow_up],
        "what laptops recorded them doing": [plain_records.plain(e, labels) for e in entries],
        "not included": "Feedback forms and follow-up answers are anonymous: nothing links them to the person "
        "who gave them.",
    }


def _registration(
    uuid: str,
    payload: dict[str, Any],
    deleted: bool,
    resolution: Resolution | None,
    session: Mapping[str, Any],
    known: plain_records.Known,
) -> tuple[str, dict[str, Any]]:
    """One line of a register that counts for (or names) the person, in words, with when its session starts
    to put the lines in order."""
    line: dict[str, Any] = {
        "registration id": uuid,
        "status": plain_records.status(payload, session, deleted),
        "staff number recorded": str(payload.get("staff_number", "")),
        "walk-in": plain_records.yes_no(payload.get("walk_in")),
        **({"name given": plain_records.walk_in_name(payload)} if payload.get("walk_in") else {}),
        "unit when recorded": known.labels.unit(payload.get("unit_code")),
        "recorded at": plain_records.moment(payload.get("marked_at")),
        "recorded by": known.person(payload.get("recorded_by")),
        "follow-up due": plain_records.follow_up_due(payload, session),
        "correction at HQ": resolution.describe() if resolution else "",
        "session": plain_records.session_in_words(session, known.labels)
        if session
        else {"session id": str(payload.get("session_uuid", ""))},
    }
    return str(session.get("starts_at", "")), line


def _naming_forces(engine: Engine, known: plain_records.Known) -> plain_records.Known:
    """On an HQ serving several forces, each unit named with its force ("North Response Team 1 (Westshire
    Police)"): two forces may each have a team of that name, and the person must know which one was theirs."""
    unit_names = known.labels.unit_names
    forces = unit_forces(engine, set(unit_names))
    if not forces:
        return known
    named = {code: unit_with_force(name, code, forces) for code, name in unit_names.items()}
    return replace(known, labels=replace(known.labels, unit_names=named))


def unit_of(engine: Engine, staff_number: str) -> str | None:
    """The unit the roster gives the person (also once they have left), or None if HQ has no roster entry:
    an export for someone outside an account's units is refused by the console."""
    number = normalise_staff_number(staff_number)
    with engine.connect() as conn:
        found = conn.execute(select(schema.roster.c.unit).where(schema.roster.c.staff_number == number)).scalar()
    return str(found) if found is not None else None
