"""Receiving records: idempotent receipt of every laptop's changes.

Each push batch is one transaction, and each item is decided by its uuid and version alone, so a batch sent
twice, a batch half applied before a crash, or an old replay all end with every record stored exactly once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, String, bindparam, exists, func, literal, or_, select, union_all, update

from trainer_desk.core.record_checks import record_problem
from trainer_desk.hq import force_clock, ownership, schema, units
from trainer_desk.hq.completions import COMPLETING
from trainer_desk.hq.database import insert_many, next_seq, one_of, utc_now, writing
from trainer_desk.hq.devices import active_devices, note_seen, unseen_lately
from trainer_desk.hq.ownership import Recorder, SessionAtHq
from trainer_desk.sync.protocol import ItemResult, ItemStatus, PushItem
from trainer_desk.sync.pulled_changes import WITHDRAWN


def canonical(item: PushItem) -> tuple[str, str]:
    """The payload as stored (keys sorted) and the item's fingerprint, from one encoding of the payload.
    The fingerprint is the sha256 of `json.dumps([op, payload], sort_keys=True)`, which HQ has always stored;
    a list encodes as its items' encodings joined by ", "."""
    payload = json.dumps(item.payload, sort_keys=True)
    return payload, hashlib.sha256(f"[{json.dumps(item.op)}, {payload}]".encode()).hexdigest()


def apply_pushes(engine: Engine, pushes: Sequence[tuple[str, list[PushItem]]]) -> list[list[ItemResult] | None]:
    """Decide every item of every push (each a device token and its items) in one transaction; see the module
    docstring for why that is safe to repeat. A push whose token is unknown or revoked is answered None and
    changes nothing. Pushes that arrive together are written together (group commit), so 200 laptops pushing
    at once cost a few transactions rather than 200, with one read of their devices.

    Decisions are made in memory against one read of the records, history and sessions involved, in arrival
    order, then written with one statement per kind of change, so a transaction costs a handful of round trips
    whatever its size. Who may change what is `ownership`'s rule; an item it refuses changes nothing and is
    answered on its own, so the items after it are decided as if it had never been sent."""
    answers: list[list[ItemResult] | None] = []
    with writing(engine), engine.begin() as conn:
        devices = active_devices(conn, {token for token, _ in pushes})
        note_seen(conn, unseen_lately(devices.values()))
        reach = units.reaches(conn, {str(r["unit"]) for r in devices.values()})  # a BCU's laptop: its teams too
        senders = {
            token: Recorder(r["id"], r["trainer"], r["unit"], r["role"], reach[str(r["unit"])])
            for token, r in devices.items()
        }
        sent = [(senders[token], i) for token, items in pushes if token in senders for i in items]
        decisions = _Decisions.read(conn, sent)
        for token, items in pushes:
            who = senders.get(token)
            answers.append(None if who is None else [decisions.decide(who, item) for item in items])
        decisions.write(conn)
    return answers


HQ_ITSELF = "hq"  # the device HQ's own records are said to come from (sessions planned at HQ)


def record_at_hq(engine: Engine, items: Sequence[PushItem]) -> None:
    """Store new records HQ makes itself, as a laptop's would be stored (the same rows, history and sequence),
    created by HQ_ITSELF: the laptops `ownership` lets record in their sessions change them from then on."""
    now = utc_now().isoformat()
    inserts, history = [], []
    for item in items:
        payload, print_ = canonical(item)
        inserts.append({**_stored(item, payload, HQ_ITSELF, now), "created_by": HQ_ITSELF, "conflicted": False})
        history.append(_fingerprinted(item, print_))
    with writing(engine), engine.begin() as conn:
        _write_decisions(conn, inserts, [], history, [], set())


def changed_at_hq(engine: Engine, item: PushItem) -> bool:
    """A newer version HQ makes itself of a record it holds (a planned session cancelled in the console),
    stored as a laptop's newer version is, numbered after everything before it, so every laptop given the
    record receives it at its next sync. False, and nothing stored, if the record changed meanwhile (its
    version is no longer `item.base_version`): the change was made against what the person saw."""
    now = utc_now().isoformat()
    payload, print_ = canonical(item)
    row = {**_stored(item, payload, HQ_ITSELF, now), "b_entity": item.entity, "b_uuid": item.uuid}
    records = schema.records
    with writing(engine), engine.begin() as conn:
        held = conn.execute(  # locked on PostgreSQL, so a push writing the same record waits for this one
            select(records.c.version)
            .where(records.c.entity == item.entity, records.c.uuid == item.uuid)
            .with_for_update()
        ).scalar()
        if held is None or held != item.base_version:
            return False
        _write_decisions(conn, [], [row], [_fingerprinted(item, print_)], [], set())
    return True


def _stored(item: PushItem, payload: str, device_id: str, now: str) -> dict[str, Any]:
    """A version of a record as HQ stores it (`payload` as `canonical` encodes it)."""
    return {
        "entity": item.entity,
        "uuid": item.uuid,
        "version": item.version,
        "deleted": item.op == "delete",
        "payload": payload,
        "device_id": device_id,
        "received_at": now,
        # Checked before storing to name a session HQ holds; a tombstone's payload is not checked: it names
        # none, and its record stays in the session it was in.
        "session_uuid": None if item.op == "delete" else ownership.session_named(item.entity, item.uuid, item.payload),
        **session_start_columns(item.entity, None if item.op == "delete" else item.payload),
    }


def session_start_columns(entity: str, payload: object) -> dict[str, str | None]:
    """A session's unit and start, as the records table keeps them beside its payload to list sessions by start;
    None for other records, and for a tombstone (whose session keeps what it had)."""
    if entity != "session" or not isinstance(payload, dict):
        return {"session_unit": None, "session_starts": None}
    starts = force_clock.utc_text(payload.get("starts_at") or "")
    return {"session_unit": str(payload.get("unit_code") or "")[:40], "session_starts": starts[:40]}


def _fingerprinted(item: PushItem, fingerprint: str) -> dict[str, Any]:
    return {"entity": item.entity, "uuid": item.uuid, "version": item.version, "fingerprint": fingerprint}


@dataclass(frozen=True, slots=True)
class _Row:
    entity: str
    uuid: str
    version: int
    deleted: bool
    created_by: str
    device_id: str = ""  # the device that sent its current version (HQ_ITSELF for HQ's own)


class _Decisions:
    """One transaction's view of the records, their history and their sessions, kept up to date in memory as
    each item is decided, and the writes those decisions make."""

    def __init__(
        self,
        current: dict[tuple[str, str], _Row],
        seen: dict[tuple[str, str, int], str],
        sessions: dict[str, SessionAtHq],
        stored_sessions: dict[tuple[str, str], str | None],
        registered: dict[tuple[str, str], str] | None = None,
        exempted: tuple[dict[str, units.Force], dict[str, str]] = ({}, {}),
        unit_words: ownership.InWords = str,
    ) -> None:
        self.clock = utc_now()
        self.now = self.clock.isoformat()
        self.current, self.seen, self.sessions, self.stored_sessions = current, seen, sessions, stored_sessions
        # (session, staff number) -> the registration that has them on its register, for the sessions new
        # registrations arrive in: one person is one line of a register, whichever laptop recorded them.
        self.registered = registered or {}
        # Where HQ serves several forces: each force's units, and the roster unit of each person an exemption
        # in this transaction names (an exemption is for someone of the sending laptop's own force).
        self.forces, self.roster_units = exempted
        self.inserts: list[dict[str, Any]] = []
        self.updates: list[dict[str, Any]] = []
        self.history: list[dict[str, Any]] = []
        self.conflicted: list[dict[str, Any]] = []
        self.reassigned: set[str] = set()  # sessions now given to other trainers or another unit
        self.unit_words = unit_words  # units as people know them, for the reasons that name one

    @classmethod
    def read(cls, conn: Connection, sent: list[tuple[Recorder, PushItem]]) -> _Decisions:
        records, history = schema.records, schema.record_history
        # Both keys named, so the lookups use the primary keys instead of scanning every record HQ holds.
        entities, uuids = list({i.entity for _, i in sent}), list({i.uuid for _, i in sent})
        current = {
            (r.entity, r.uuid): _Row(r.entity, r.uuid, r.version, bool(r.deleted), r.created_by, r.device_id)
            for r in conn.execute(
                select(
                    records.c.entity,
                    records.c.uuid,
                    records.c.version,
                    records.c.deleted,
                    records.c.created_by,
                    records.c.device_id,
                ).where(records.c.entity.in_(entities), one_of(conn, records.c.uuid, uuids))
            )
        }
        seen = {
            (r.entity, r.uuid, r.version): r.fingerprint
            for r in conn.execute(
                select(history).where(history.c.entity.in_(entities), one_of(conn, history.c.uuid, uuids))
            )
        }
        # Records another device created: the session each is in now decides whether this one may change it.
        foreign = {
            key
            for who, i in sent
            if (key := (i.entity, i.uuid)) in current and current[key].created_by != who.id and i.entity != "session"
        }
        stored_sessions = _sessions_of(conn, foreign)
        wanted = {ownership.session_named(i.entity, i.uuid, i.payload) for _, i in sent}
        wanted |= set(stored_sessions.values())
        # session -> the devices sending it new registrations, or lines now completing the training (someone
        # booked marked present on the lead's laptop can be the same person the trainer's has present)
        arriving: dict[str, set[str]] = {}
        for who, i in sent:
            new = (i.entity, i.uuid) not in current or i.payload.get("status") in COMPLETING
            if (
                i.entity == "attendance"
                and i.op != "delete"
                and new
                and (named := ownership.session_named(i.entity, i.uuid, i.payload))
            ):
                arriving.setdefault(named, set()).add(who.id)
        sessions = _sessions_at_hq(conn, {w for w in wanted if w})
        # Only a session recorded on more than one laptop can have a person on its register twice (a laptop
        # never does): one with co-trainers, or one a BCU lead's laptop records in besides its trainer's. So
        # a one-trainer session's whole register is read only when another device has lines in it (37,000
        # lines in the push benchmark would cost HQ for nothing).
        shared = {s for s in arriving if s in sessions and len(sessions[s].trainers) > 1}
        shared |= _recorded_elsewhere(conn, {s: d for s, d in arriving.items() if s in sessions and s not in shared})
        return cls(
            current,
            seen,
            sessions,
            stored_sessions,
            _registered(conn, shared),
            _exempted(conn, sent),
            units.UnitWords(conn),
        )

    def decide(self, who: Recorder, item: PushItem) -> ItemResult:
        status, reason = self._decision(who, item)
        return ItemResult(item.uuid, item.version, status, reason)

    def _decision(self, who: Recorder, item: PushItem) -> tuple[ItemStatus, str]:
        key = (item.entity, item.uuid)
        payload, print_ = canonical(item)
        # The stored form escapes everything beyond ASCII, so only one with a surrogate escape needs a look.
        if "\\ud" in payload and item.unencodable_text():
            return ItemStatus.REFUSED, ownership.UNENCODABLE
        known = self.seen.get((item.entity, item.uuid, item.version))
        stored = self.current.get(key)
        if known == print_:
            return ItemStatus.DUPLICATE, ""  # a replay changes nothing, whoever sends it
        if (
            stored is not None
            and stored.created_by != who.id
            and not ownership.may_change(who, stored.created_by, self._session_of(key))
        ):
            return ItemStatus.REFUSED, ownership.NOT_YOURS
        # A session HQ itself cancelled (in the console) stays cancelled: a laptop's newer version of it,
        # made offline, is told so, however its version numbers line up; its registrations still count.
        at_hq = self.sessions.get(item.uuid) if item.entity == "session" else None
        if (
            stored is not None
            and stored.device_id == HQ_ITSELF
            and at_hq is not None
            and at_hq.status == "cancelled"
            and item.payload.get("status") != "cancelled"
            and item.op != "delete"
        ):
            return ItemStatus.CONFLICT, ownership.CANCELLED_AT_HQ
        # A deletion first: a correction to a line another laptop deleted meanwhile is told that, whatever its
        # version number, rather than that the versions differ.
        if stored is not None and stored.deleted:
            return ItemStatus.REFUSED, "deleted at HQ: a deleted record is never brought back"
        if known is not None:
            self.conflicted.append({"b_entity": item.entity, "b_uuid": item.uuid})
            return ItemStatus.CONFLICT, _other_version(who, item, stored)
        if stored is not None and not (item.version > stored.version and item.base_version == stored.version):
            self.conflicted.append({"b_entity": item.entity, "b_uuid": item.uuid})
            changed_by = "this laptop sent it earlier" if stored.device_id == who.id else "another laptop changed it"
            return ItemStatus.CONFLICT, (
                f"based on version {item.base_version}, but HQ's current version is {stored.version}: {changed_by}"
            )
        # A tombstone for a record HQ holds is decided by that record; its own payload decides nothing.
        if (stored is None or item.op != "delete") and (refusal := self._refusal(who, item)):
            return ItemStatus.REFUSED, refusal
        person = _on_register(item)
        completing = item.op != "delete" and item.payload.get("status") in COMPLETING
        if (
            person is not None
            and (stored is None or completing)
            and self.registered.get(person, item.uuid) != item.uuid
        ):
            return ItemStatus.REFUSED, self._already_registered(who, self.registered[person])
        if person is not None:  # only a line that completes the training keeps the place
            if completing:
                self.registered.setdefault(person, item.uuid)
            elif self.registered.get(person) == item.uuid:
                del self.registered[person]
        row = _stored(item, payload, who.id, self.now)
        if stored is None:
            creator = who.id
            self.inserts.append({**row, "created_by": creator, "conflicted": False})
        else:
            creator = stored.created_by
            self.updates.append({**row, "b_entity": item.entity, "b_uuid": item.uuid})
        self.current[key] = _Row(item.entity, item.uuid, item.version, item.op == "delete", creator, who.id)
        self.seen[(item.entity, item.uuid, item.version)] = print_
        self.history.append(_fingerprinted(item, print_))
        if item.entity == "session":
            now_at_hq = SessionAtHq.from_payload(item.uuid, item.payload, creator)
            before = self.sessions.get(item.uuid)
            if before is not None and (now_at_hq.trainers - before.trainers or now_at_hq.unit != before.unit):
                self.reassigned.add(item.uuid)
            self.sessions[item.uuid] = now_at_hq
        else:
            self.stored_sessions[key] = ownership.session_named(item.entity, item.uuid, item.payload)
        return ItemStatus.CREATED, ""

    def _already_registered(self, who: Recorder, holder: str) -> str:
        """Why a second line for someone already on the register is refused, saying who sent the first where
        HQ knows: the same laptop sending one person twice is told so, not blamed on another laptop."""
        first = self.current.get(("attendance", holder))
        if first is None:
            return ALREADY_REGISTERED
        if first.device_id == who.id:
            return "already on this session's register from another line this laptop sent: they count once"
        return ALREADY_REGISTERED_ELSEWHERE

    def _session_of(self, key: tuple[str, str]) -> SessionAtHq | None:
        entity, uuid = key
        named = uuid if entity == "session" else self.stored_sessions.get(key)
        return self.sessions.get(named) if named else None

    def _refusal(self, who: Recorder, item: PushItem) -> str:
        if item.op != "delete" and (problem := record_problem(item.entity, item.payload, self.clock)):
            return problem
        if item.entity == "exemption" and item.payload.get("kind") == WITHDRAWN:
            return "an exemption is withdrawn in HQ's console, where it is audited, not by a laptop"
        if item.entity == "exemption" and self.forces:
            person = self.roster_units.get(str(item.payload.get("staff_number", "")))
            if person is None or not units.force_in(self.forces, who.unit).holds(person):
                return "not on the roster of this laptop's force: a laptop records exemptions for its own force"
        if item.entity == "session":
            return ownership.new_session_refusal(who, item.payload, self.unit_words, self.sessions.get(item.uuid))
        named = ownership.session_named(item.entity, item.uuid, item.payload)
        held = self.sessions.get(named) if named else None
        return ownership.session_refusal(who, named, held, item.entity, self.unit_words)

    def write(self, conn: Connection) -> None:
        _write_decisions(conn, self.inserts, self.updates, self.history, self.conflicted, self.reassigned)


def _exempted(conn: Connection, sent: list[tuple[Recorder, PushItem]]) -> tuple[dict[str, units.Force], dict[str, str]]:
    """For the exemptions sent, where HQ serves several forces: the forces, and the roster unit of each person
    named (nothing is read for a push without exemptions, or on an HQ of one force)."""
    numbers = sorted({str(i.payload.get("staff_number", "")) for _, i in sent if i.entity == "exemption"})
    if not numbers:
        return {}, {}
    known = units.forces(conn, units.tree_seq(conn))
    if not known:
        return {}, {}
    roster = schema.roster.c
    found = conn.execute(
        select(roster.staff_number, roster.unit).where(
            one_of(conn, roster.staff_number, numbers), roster.removed.is_(False)
        )
    )
    return known, dict(found.all())


def _sessions_of(conn: Connection, keys: set[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """The session each of these stored records names in its current version."""
    if not keys:
        return {}
    found: dict[tuple[str, str], str | None] = {}
    for r in conn.execute(
        select(schema.records.c.entity, schema.records.c.uuid, schema.records.c.payload).where(
            schema.records.c.entity.in_(list({e for e, _ in keys})),
            one_of(conn, schema.records.c.uuid, list({u for _, u in keys})),
        )
    ):
        if (r.entity, r.uuid) in keys:
            payload = json.loads(r.payload)
            found[(r.entity, r.uuid)] = ownership.session_named(
                r.entity, r.uuid, payload if isinstance(payload, dict) else {}
            )
    return found


# Two co-trainers' laptops each registered the same person as attending one session: HQ keeps the first such
# line, so its register, exports and counts show them once; the second laptop is told, and keeps its own line.
ALREADY_REGISTERED_ELSEWHERE = (
    "already on this session's register at HQ (another laptop recorded them): they count once"
)
ALREADY_REGISTERED = "already on this session's register at HQ: they count once"


def _other_version(who: Recorder, item: PushItem, stored: _Row | None) -> str:
    """HQ holds this version of the record with other content: who sent it, where HQ can tell (the sender of
    its current version), so a laptop that resent an id with new content is not told another laptop did."""
    if stored is not None and stored.version == item.version and stored.device_id == who.id:
        return (
            f"this laptop already sent a different version {item.version} of this, and HQ kept the first; "
            "the one sent now stays here"
        )
    if stored is not None and stored.version == item.version and stored.device_id != HQ_ITSELF:
        return (
            f"another laptop sent its own version {item.version} of this first, and HQ kept that one; "
            "this laptop's stays here"
        )
    return f"HQ already holds a different version {item.version} of this, and kept it; this laptop's stays here"


def _on_register(item: PushItem) -> tuple[str, str] | None:
    """The (session, staff number) a registration puts on a register; None for anything else, or a walk-in
    given no number."""
    if item.entity != "attendance":
        return None
    session, number = item.payload.get("session_uuid"), item.payload.get("staff_number")
    if not isinstance(session, str) or not isinstance(number, str) or not number.strip():
        return None
    return session, number.strip().upper()


def _recorded_elsewhere(conn: Connection, arriving: dict[str, set[str]]) -> set[str]:
    """Of the sessions registrations are arriving for, those another device also records in: sent now by more
    than one, or with lines at HQ from a device other than the one sending now. Asked of the index on (session,
    device) as two ranges around the sender, so a session of 37,000 lines from one laptop costs a couple of
    seeks, not a read of every line; and for every session of a group of pushes in one statement."""
    shared = {s for s, senders in arriving.items() if len(senders) > 1}
    records = schema.records.c
    single = [(session, next(iter(senders))) for session, senders in sorted(arriving.items()) if len(senders) == 1]
    for start in range(0, len(single), 100):
        probes = [
            select(literal(session, String(36)).label("session")).where(
                exists().where(
                    records.session_uuid == session,
                    or_(records.created_by < device, records.created_by > device),
                    records.entity == "attendance",
                )
            )
            for session, device in single[start : start + 100]
        ]
        shared |= {str(s) for s in conn.execute(union_all(*probes)).scalars()}
    return shared


def _registered(conn: Connection, sessions: set[str]) -> dict[tuple[str, str], str]:
    """Who is on the registers of these sessions at HQ, and by which registration."""
    if not sessions:
        return {}
    records = schema.records
    found: dict[tuple[str, str], str] = {}
    for r in conn.execute(
        select(records.c.uuid, records.c.payload).where(
            records.c.entity == "attendance",
            records.c.deleted.is_(False),
            one_of(conn, records.c.session_uuid, sorted(sessions)),
        )
    ):
        payload = json.loads(r.payload)
        number = payload.get("staff_number") if isinstance(payload, dict) else None
        # A line that does not complete it (booked, did not come) is no reason to refuse one that does.
        if isinstance(number, str) and number.strip() and payload.get("status") in COMPLETING:
            found.setdefault((str(payload.get("session_uuid")), number.strip().upper()), str(r.uuid))
    return found


def _sessions_at_hq(conn: Connection, uuids: set[str]) -> dict[str, SessionAtHq]:
    if not uuids:
        return {}
    sessions: dict[str, SessionAtHq] = {}
    for r in conn.execute(
        select(schema.records.c.uuid, schema.records.c.payload, schema.records.c.created_by).where(
            schema.records.c.entity == "session", one_of(conn, schema.records.c.uuid, list(uuids))
        )
    ):
        payload = json.loads(r.payload)
        sessions[r.uuid] = SessionAtHq.from_payload(r.uuid, payload if isinstance(payload, dict) else {}, r.created_by)
    return sessions


def _write_decisions(
    conn: Connection,
    inserts: list[dict[str, Any]],
    updates: list[dict[str, Any]],
    history: list[dict[str, Any]],
    conflicted: list[dict[str, Any]],
    reassigned: set[str],
) -> None:
    changed = inserts + updates
    if changed:
        last = next_seq(conn, len(changed))
        for offset, row in enumerate(changed):
            row["seq"] = last - len(changed) + 1 + offset
        _name_forces(conn, changed)
    if inserts:
        insert_many(conn, schema.records, inserts)
    if updates:
        conn.execute(
            update(schema.records)
            .where(schema.records.c.entity == bindparam("b_entity"), schema.records.c.uuid == bindparam("b_uuid"))
            .values(
                version=bindparam("version"),
                deleted=bindparam("deleted"),
                payload=bindparam("payload"),
                device_id=bindparam("device_id"),
                seq=bindparam("seq"),
                received_at=bindparam("received_at"),
                # A tombstone may name no session: the record stays in the one it was in.
                session_uuid=func.coalesce(bindparam("session_uuid"), schema.records.c.session_uuid),
                force=func.coalesce(bindparam("force"), schema.records.c.force),
                session_unit=func.coalesce(bindparam("session_unit"), schema.records.c.session_unit),
                session_starts=func.coalesce(bindparam("session_starts"), schema.records.c.session_starts),
            ),
            [{k: v for k, v in u.items() if k not in ("entity", "uuid")} for u in updates],
        )
    if conflicted:
        conn.execute(
            update(schema.records)
            .where(schema.records.c.entity == bindparam("b_entity"), schema.records.c.uuid == bindparam("b_uuid"))
            .values(conflicted=True),
            conflicted,
        )
    if history:
        insert_many(conn, schema.record_history, history)
    if reassigned:
        _send_again(conn, reassigned)


def _name_forces(conn: Connection, changed: list[dict[str, Any]]) -> None:
    """Each record's force: that of its session's unit, where HQ serves several forces (None where one)."""
    known = units.forces(conn, units.tree_seq(conn))
    if not known:  # HQ is one force
        for row in changed:
            row["force"] = None
        return
    held: dict[str, str] = {}
    for row in changed:
        if row["entity"] == "session" and not row["deleted"]:
            payload = json.loads(row["payload"])
            held[row["uuid"]] = str(payload.get("unit_code", "")) if isinstance(payload, dict) else ""
    wanted = {str(row["session_uuid"]) for row in changed if row.get("session_uuid")} - set(held)
    held |= {uuid: s.unit for uuid, s in _sessions_at_hq(conn, wanted).items()}
    for row in changed:
        session = row.get("session_uuid")
        row["force"] = units.force_in(known, held[session]).code if session in held else None


def _send_again(conn: Connection, sessions: set[str]) -> None:
    """Give the records of these sessions new places in the sequence, after the sessions' own new versions.
    A laptop receives a session's register only while the session is given to it (`ownership.given_to`), so
    a trainer a session is newly assigned to, or the lead of the unit it moved to, would otherwise never get
    the registrations made before: they lie behind its cursor. Each gets a number of its own, as a window may
    end between any two."""
    records = schema.records
    keys = list(
        conn.execute(
            select(records.c.entity, records.c.uuid)
            .where(one_of(conn, records.c.session_uuid, sorted(sessions)), records.c.entity != "session")
            .order_by(records.c.seq)
        )
    )
    if not keys:
        return
    last = next_seq(conn, len(keys))
    conn.execute(
        update(records)
        .where(records.c.entity == bindparam("b_entity"), records.c.uuid == bindparam("b_uuid"))
        .values(seq=bindparam("new_seq")),
        [{"b_entity": k.entity, "b_uuid": k.uuid, "new_seq": last - len(keys) + 1 + n} for n, k in enumerate(keys)],
    )
    session = records.alias("held")
    held_in = select(session.c.force).where(session.c.entity == "session", session.c.uuid == bindparam("s"))
    conn.execute(  # a session moved to another force takes its register with it
        update(records).where(records.c.session_uuid == bindparam("s")).values(force=held_in.scalar_subquery()),
        [{"s": s} for s in sorted(sessions)],
    )
