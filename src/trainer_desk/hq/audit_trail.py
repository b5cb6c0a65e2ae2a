"""HQ's own audit trail: sign-ins (and failed ones), downloads and administration, searchable by auditors.
An entry names an account and what was done; it never holds a password, and names people only by staff
number where the action was about them.

An entry about a session, a laptop, a walk-in or a programme names it as people know it ("the laptop of
Aleksandra Wiśniewska (710001), North BCU", "Signa") followed by its id in a tag ("[device 4d745b77-...]",
"[programme signa]"): the words for the reader, the id for searching and for the Audit page to link to the
thing while it exists. Entries recorded before the tags existed hold the bare id and are read as they were
recorded: the trail is evidence."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, or_, select

from trainer_desk.hq import published, schema, session_labels, staff
from trainer_desk.hq.completions import payload_object
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.staff import StaffMember

SUBJECT_KINDS = ("session", "device", "walk-in", "programme")
_TAG = re.compile(r"\[(session|device|walk-in|programme) ([0-9A-Za-z-]{1,64})\]")


def record(engine: Engine, actor: str, action: str, detail: str = "") -> None:
    with engine.begin() as conn:
        conn.execute(
            insert(schema.hq_audit).values(
                at=utc_now().isoformat(timespec="seconds"), actor=actor[:80], action=action[:40], detail=detail[:2000]
            )
        )


def tag(kind: str, thing_id: str) -> str:
    """The id of what an entry is about, as it follows the thing's name in the detail: "[session <uuid>]"."""
    if kind not in SUBJECT_KINDS:
        raise ValueError(kind)
    return f"[{kind} {thing_id}]"


def about_session(engine: Engine, blobs: Path, session_uuid: str) -> str:
    """ "Signa, 17 Dec 2026, North BCU [session <uuid>]": a session as an entry names it."""
    return f"{session_labels.session_named(engine, blobs, session_uuid)} {tag('session', session_uuid)}"


def about_sessions(engine: Engine, blobs: Path, session_uuids: list[str]) -> str:
    """Several sessions as an entry names them, each as `about_session` does, parted by "; " since a session's
    own name holds commas."""
    return "; ".join(about_session(engine, blobs, uuid) for uuid in session_uuids)


def about_laptop(engine: Engine, device_id: str) -> str:
    """ "the laptop of Aleksandra Wiśniewska (710001), North BCU [device <id>]": a laptop as an entry names it."""
    return f"{session_labels.laptop_named(engine, device_id)} {tag('device', device_id)}"


def about_walk_in(engine: Engine, blobs: Path, registration: str) -> str:
    """ "the walk-in [walk-in <uuid>] at Signa, 17 Dec 2026, North BCU [session <uuid>]": a walk-in is known
    by the session it was registered at."""
    records = schema.records.c
    with engine.connect() as conn:
        payload = conn.execute(select(records.payload).where(records.uuid == registration)).scalar()
    session_uuid = str(payload_object(payload).get("session_uuid", "")) if payload else ""
    walk_in = f"the walk-in {tag('walk-in', registration)}"
    return f"{walk_in} at {about_session(engine, blobs, session_uuid)}" if session_uuid else walk_in


def about_programme(engine: Engine, blobs: Path, programme_id: str) -> str:
    """ "Signa [programme signa]": a programme by the name its published plans give it (its id alone where no
    published plan names it any more)."""
    plans = published.newest(engine, blobs).library.plans
    name = next((p.programme.name for p in plans if p.programme.id == programme_id), programme_id)
    return f"{name} {tag('programme', programme_id)}"


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of an entry's detail: plain words, or (`kind` set) the tag of the session, laptop, walk-in or
    programme the words before it name."""

    text: str
    kind: str = ""
    thing_id: str = ""


def pieces(detail: str) -> list[Piece]:
    """An entry's detail cut at its tags, for the Audit page to link each to its thing."""
    found: list[Piece] = []
    at = 0
    for tagged in _TAG.finditer(detail):
        if tagged.start() > at:
            found.append(Piece(detail[at : tagged.start()]))
        found.append(Piece(tagged.group(0), tagged.group(1), tagged.group(2)))
        at = tagged.end()
    if at < len(detail):
        found.append(Piece(detail[at:]))
    return found


def subjects(detail: str, kind: str) -> list[str]:
    """The ids of the things of this kind an entry's detail is about."""
    return [p.thing_id for p in pieces(detail) if p.kind == kind]


DEVICE_LOST = "device lost"  # its detail: the laptop (`about_laptop`), or its bare id in entries made before
TOLD_TO_WIPE = "device told to wipe"  # the same; recorded by HQ itself, at the lost laptop's sync
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
    # Laptops are marked lost rarely: every such entry is read, and the laptop each is about found in Python.
    query = (
        select(audit.c.at, audit.c.action, audit.c.detail)
        .where(audit.c.action.in_((DEVICE_LOST, TOLD_TO_WIPE)))
        .order_by(audit.c.id)
    )
    wanted = set(device_ids)
    marked: dict[str, str] = {}
    told: dict[str, str] = {}
    with engine.connect() as conn:
        for row in conn.execute(query):
            for device in {*subjects(row.detail, "device"), row.detail} & wanted:
                if row.action == DEVICE_LOST:  # marked again: only a sync after this counts
                    marked[device] = row.at
                    told.pop(device, None)
                else:
                    told.setdefault(device, row.at)
    return {d: LostDevice(marked.get(d, ""), told.get(d, "")) for d in device_ids}


def note_told_to_wipe(engine: Engine, device_id: str) -> None:
    """Once per marking lost: the first sync that tells a lost laptop to wipe itself. A laptop that asks again
    (its wipe interrupted, say) adds nothing."""
    if not lost_devices(engine, [device_id])[device_id].told_at:
        record(engine, WIPE_ACTOR, TOLD_TO_WIPE, about_laptop(engine, device_id))


SESSION_CANCELLED = "session cancelled"  # its detail: "<the session (`about_session`)>: <the reason given>", or
# in entries made before, "<session uuid>: <the reason given>"


def session_cancellation(engine: Engine, session_uuid: str) -> dict[str, str] | None:
    """Who cancelled a session in the console, when and why (`at`, `actor`, `reason`), or None for one cancelled
    elsewhere (on a trainer's laptop). The session's page says it: a lead may not read the audit trail itself."""
    audit = schema.hq_audit
    query = (
        select(audit.c.at, audit.c.actor, audit.c.detail)
        .where(
            audit.c.action == SESSION_CANCELLED,
            or_(
                audit.c.detail.startswith(f"{session_uuid}: ", autoescape=True),
                audit.c.detail.contains(f"{tag('session', session_uuid)}: ", autoescape=True),
            ),
        )
        .order_by(audit.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).first()
    if row is None:
        return None
    tagged = f"{tag('session', session_uuid)}: "
    reason = row.detail.split(tagged, 1)[1] if tagged in row.detail else row.detail.split(": ", 1)[1]
    return {"at": row.at, "actor": row.actor, "reason": reason}


# Who records entries as HQ itself, not as an account: the lost laptops' syncs (`WIPE_ACTOR`), the command
# line's `retention` and `follow-up`, and its account and code commands (`cli_admin.ACTOR`). An account may bear
# one of these names, and must not read HQ's own entries by it.
HQ_ITSELF = frozenset({WIPE_ACTOR, "retention", "follow-up", "trainer-desk-hq"})


def search(engine: Engine, text: str = "", limit: int = 200, reader: StaffMember | None = None) -> list[dict[str, Any]]:
    """The newest entries first, those mentioning `text` (in the account, the action or the detail) if given,
    and of those, the ones `reader` may read (all, if no reader is given: the command line).

    Which entry a reader may read: an entry is tied to a force by the account that acted, the one thing every
    entry records that has a place in the unit tree (the detail names things in words, and some none). A reader
    of the whole of HQ reads every entry. A reader granted on a force reads what the accounts granted within
    their grant did (`staff.list_staff`, by `StaffMember.covers`, as their Accounts page lists them): the acts
    of whole-HQ accounts, HQ's own (`HQ_ITSELF`) and sign-ins under a name that is no account stay with readers
    of the whole of HQ. An account moved to another force is read there, what it did before included: the
    trail records no grant beside the actor."""
    audit = schema.hq_audit
    query = select(audit.c.at, audit.c.actor, audit.c.action, audit.c.detail).order_by(audit.c.id.desc())
    if text.strip():
        like = f"%{text.strip()}%"
        query = query.where(or_(audit.c.actor.ilike(like), audit.c.action.ilike(like), audit.c.detail.ilike(like)))
    if reader is not None and not reader.whole_hq:
        own = {str(a["username"]) for a in staff.list_staff(engine, reader)} - HQ_ITSELF
        query = query.where(audit.c.actor.in_(sorted(own)))
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(query.limit(limit))]


PAGES = {"session": "/console/sessions/{}", "device": "/console/devices#device-{}"}  # a walk-in has no page


def with_links(engine: Engine, entries: list[dict[str, Any]], may_open: frozenset[str]) -> list[dict[str, Any]]:
    """Each entry with its detail in `pieces`: (text, address) pairs, the address of the page of the session or
    laptop a tag names while HQ still holds it and the reader may open that kind of page (`may_open`), else
    empty. The detail itself is shown as recorded."""
    cut = [(entry, pieces(str(entry["detail"]))) for entry in entries]
    wanted: dict[str, set[str]] = {kind: set() for kind in PAGES if kind in may_open}
    for _, found in cut:
        for p in found:
            if p.kind in wanted:
                wanted[p.kind].add(p.thing_id)
    held: set[tuple[str, str]] = set()
    with engine.connect() as conn:
        if wanted.get("session"):
            records = schema.records.c
            held |= {
                ("session", uuid)
                for uuid in conn.execute(
                    select(records.uuid).where(
                        records.entity == "session",
                        records.deleted.is_(False),
                        records.uuid.in_(sorted(wanted["session"])),
                    )
                ).scalars()
            }
        if wanted.get("device"):
            devices = schema.devices.c
            held |= {
                ("device", d)
                for d in conn.execute(select(devices.id).where(devices.id.in_(sorted(wanted["device"])))).scalars()
            }
    return [
        {
            **entry,
            "pieces": [
                (p.text, PAGES[p.kind].format(p.thing_id) if (p.kind, p.thing_id) in held else "") for p in found
            ],
        }
        for entry, found in cut
    ]
