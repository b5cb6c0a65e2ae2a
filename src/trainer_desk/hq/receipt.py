"""Receiving records: idempotent receipt of every laptop's changes.

Each push batch is one transaction, and each item is decided by its uuid and version alone, so a batch sent
twice, a batch half applied before a crash, or an old replay all end with every record stored exactly once.
How a decided record is written is `record_writes`; one person counting once on a register, `register_once`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, select

from trainer_desk.core.record_checks import record_problem
from trainer_desk.hq import ownership, record_writes, register_once, schema, units
from trainer_desk.hq.completions import COMPLETING
from trainer_desk.hq.database import one_of, utc_now, writing
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
        inserts.append(
            {**record_writes.stored(item, payload, HQ_ITSELF, now), "created_by": HQ_ITSELF, "conflicted": False}
        )
        history.append(record_writes.fingerprinted(item, print_))
    with writing(engine), engine.begin() as conn:
        record_writes.write_decisions(conn, inserts, [], history, [], set())


def changed_at_hq(engine: Engine, item: PushItem) -> bool:
    """A newer version HQ makes itself of a record it holds (a planned session cancelled in the console),
    stored as a laptop's newer version is, numbered after everything before it, so every laptop given the
    record receives it at its next sync. False, and nothing stored, if the record changed meanwhile (its
    version is no longer `item.base_version`): the change was made against what the person saw."""
    now = utc_now().isoformat()
    payload, print_ = canonical(item)
    row = {**record_writes.stored(item, payload, HQ_ITSELF, now), "b_entity": item.entity, "b_uuid": item.uuid}
    records = schema.records
    with writing(engine), engine.begin() as conn:
        held = conn.execute(  # locked on PostgreSQL, so a push writing the same record waits for this one
            select(records.c.version)
            .where(records.c.entity == item.entity, records.c.uuid == item.uuid)
            .with_for_update()
        ).scalar()
        if held is None or held != item.base_version:
            return False
        record_writes.write_decisions(conn, [], [row], [record_writes.fingerprinted(item, print_)], [], set())
    return True


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
        sessions = record_writes.sessions_at_hq(conn, {w for w in wanted if w})
        # Only a session recorded on more than one laptop can have a person on its register twice (a laptop
        # never does): one with co-trainers, or one a BCU lead's laptop records in besides its trainer's. So
        # a one-trainer session's whole register is read only when another device has lines in it (37,000
        # lines in the push benchmark would cost HQ for nothing).
        shared = {s for s in arriving if s in sessions and len(sessions[s].trainers) > 1}
        shared |= register_once.recorded_elsewhere(
            conn, {s: d for s, d in arriving.items() if s in sessions and s not in shared}
        )
        return cls(
            current,
            seen,
            sessions,
            stored_sessions,
            register_once.registered(conn, shared),
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
        person = register_once.on_register(item)
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
        row = record_writes.stored(item, payload, who.id, self.now)
        if stored is None:
            creator = who.id
            self.inserts.append({**row, "created_by": creator, "conflicted": False})
        else:
            creator = stored.created_by
            self.updates.append({**row, "b_entity": item.entity, "b_uuid": item.uuid})
        self.current[key] = _Row(item.entity, item.uuid, item.version, item.op == "delete", creator, who.id)
        self.seen[(item.entity, item.uuid, item.version)] = print_
        self.history.append(record_writes.fingerprinted(item, print_))
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
            return register_once.ALREADY_REGISTERED
        if first.device_id == who.id:
            return "already on this session's register from another line this laptop sent: they count once"
        return register_once.ALREADY_REGISTERED_ELSEWHERE

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
        record_writes.write_decisions(conn, self.inserts, self.updates, self.history, self.conflicted, self.reassigned)


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
