"""A laptop's first pull, in one answer: its force as HQ holds it now, rather than the force's history.

Paging from the start through every roster change and registration the force ever made costs HQ a parse of
each registration, and the laptop a window at a time: ten seconds for a force of 10,000 people with two years
of sessions. What a new laptop needs is smaller: who is on the roster, who has completed what (one row per
registration that counts, straight from the completions table HQ keeps), the sessions given to it with their
registers, the exemptions of the force's people (chosen and encoded as the pages give them), the force's unit
tree and the newest lesson content.

The completions include the laptop's own registrations, which the pages never send back: for sessions the
laptop has since purged, HQ's record is the only one it has. Those it still holds it counts from its own
register, which a correction changes at once (`store.completions.replace_from_hq`).

The snapshot's cursor is the change before the first one the completions table has not applied yet (HQ's
latest when it is up to date): everything up to it is in the snapshot, and the laptop pages on from it as
usual. A row read here may already be newer than the cursor; the change that made it is numbered after the
cursor and comes again in the next pages, which the laptop applies over it."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, func, select

from trainer_desk.hq import audit_trail, ownership, schema
from trainer_desk.hq.completions import MARK, catch_up_for_reading, payload_object
from trainer_desk.hq.database import hashed, one_of, reading, utc_now
from trainer_desk.hq.devices import as_device, note_seen_alone
from trainer_desk.hq.pull import exemptions_between
from trainer_desk.hq.units import force_of, reach, tree
from trainer_desk.hq.wire_json import encoded
from trainer_desk.sync.pulled_changes import RecordChange, RosterChange


def snapshot(engine: Engine, token: str) -> bytes | None:
    """The answer to `GET /v1/snapshot` (protocol 2), or None if the token is unknown or revoked."""
    catch_up_for_reading(engine)
    counters, devices, records = schema.counters, schema.devices, schema.records
    latest = select(counters.c.value).where(counters.c.name == "seq").scalar_subquery()
    mark = select(counters.c.value).where(counters.c.name == MARK).scalar_subquery()
    newest_content = (
        select(schema.content_versions.c.manifest).order_by(schema.content_versions.c.version.desc()).limit(1)
    ).scalar_subquery()
    newest_unit = select(func.max(schema.units.c.seq)).scalar_subquery()
    with reading(engine).connect() as conn:
        row = (
            conn.execute(
                select(
                    devices,
                    latest.label("latest"),
                    mark.label("mark"),
                    newest_content.label("manifest"),
                    newest_unit.label("units_seq"),
                ).where(devices.c.token_hash == hashed(token))
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked"]:
            return None
        device = as_device(row)
        if device.lost:  # it is told to wipe, and sent nothing of the force's people
            note_seen_alone(engine, row)
            audit_trail.note_told_to_wipe(engine, device.id)  # the devices page says when
            empty = {"cursor": 0, "roster": [], "completions": [], "records": [], "units": None, "content": None}
            return encoded({**empty, "device_status": "lost", "server_time": utc_now().isoformat()})
        applied, up_to = int(row["mark"] or 0), int(row["latest"] or 0)
        unapplied = conn.execute(
            select(func.min(records.c.seq)).where(records.c.seq > applied, records.c.seq <= up_to)
        ).scalar()
        cursor = up_to if unapplied is None else int(unapplied) - 1
        force = force_of(conn, device.unit, None if row["units_seq"] is None else int(row["units_seq"]))
        units = sorted(force.units)

        people = select(schema.roster).where(schema.roster.c.removed.is_(False))
        if force.code is not None:
            people = people.where(schema.roster.c.unit.in_(units))
        roster = [
            RosterChange(
                r.seq, r.staff_number, r.forename, r.surname, r.unit, r.role, r.rank, False, r.team, r.joined or ""
            ).to_wire()
            for r in conn.execute(people.order_by(schema.roster.c.seq))
        ]

        # The force's sessions: each one's plan version for its completions, and those given to this laptop
        # (deleted ones too, as the pages would give them: a laptop starting again forgets them).
        held = select(
            records.c.uuid, records.c.payload, records.c.device_id, records.c.seq, records.c.version, records.c.deleted
        ).where(records.c.entity == "session")
        if force.code is not None:
            held = held.where(records.c.force == force.code)
        # As in the pages, a session is given to this laptop whoever sent it last, and each record is sent
        # unless this laptop sent it: a session it wrote itself still brings a co-trainer's registrations.
        plan_versions: dict[str, str] = {}
        within = reach(conn, device.unit)  # a BCU lead's laptop is given its teams' sessions too
        given_sessions: list[str] = []
        given: list[RecordChange] = []
        for s in conn.execute(held):
            payload = payload_object(s.payload)
            plan_versions[s.uuid] = str(payload.get("plan_version", ""))
            if ownership.given_to(device, payload, within):
                given_sessions.append(s.uuid)
                if s.device_id != device.id:
                    given.append(RecordChange(int(s.seq), "session", s.uuid, int(s.version), bool(s.deleted), payload))
        if given_sessions:
            wanted = one_of(conn, records.c.session_uuid, given_sessions)
            col = records.c
            registers = select(col.uuid, col.payload, col.seq, col.version, col.device_id, col.deleted).where(
                col.entity == "attendance", wanted
            )
            given += [
                RecordChange(
                    int(r.seq), "attendance", r.uuid, int(r.version), bool(r.deleted), payload_object(r.payload)
                )
                for r in conn.execute(registers)
                if r.device_id != device.id
            ]

        c = schema.completions
        counting = select(c.c.uuid, c.c.staff_number, c.c.programme_id, c.c.session_uuid, c.c.session_starts_at).where(
            c.c.counts.is_(True), c.c.staff_number != ""
        )
        if force.code is not None:
            counting = counting.where(c.c.session_unit.in_(units))
        # A force's hundred thousand rows straight from the driver, as plain tuples: a row object for each
        # would cost HQ a tenth of a second on every first pull.
        result = conn.execute(counting)
        with result:
            completions = [(*r, plan_versions.get(r[3], "")) for r in result.cursor.fetchall()]
        # In the order HQ received them, as the pages give them, so the laptop keeps the newest of each; its own
        # come back with their reasons. Few enough to decode again and encode as part of this answer.
        excused = exemptions_between(conn, force, 0, cursor)
        exemptions = [json.loads(e.given_to(device.id)) for e in excused if not e.withdrawn]
        withdrawn = [json.loads(e.given_to(device.id)) for e in excused if e.withdrawn]
        unit_tree = [u for u in tree(conn) if force.holds(u["code"])]
    note_seen_alone(engine, row)
    body: dict[str, Any] = {
        "cursor": cursor,
        "roster": roster,
        "completions": completions,
        # Sessions first: a closed session's latest version is numbered after its registrations, and a laptop
        # takes a registration only for a session it holds.
        "records": [g.to_wire() for g in sorted(given, key=lambda g: (g.entity != "session", g.seq))],
        "exemptions": exemptions,
        "withdrawn_exemptions": withdrawn,
        "units": unit_tree or None,
        "content": json.loads(row["manifest"]) if row["manifest"] else None,
        "device_status": "active",  # a lost one was answered above
        "server_time": utc_now().isoformat(),
    }
    return encoded(body)
