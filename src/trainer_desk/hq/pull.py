"""What a laptop pulls since its cursor: roster changes (the whole force's, or for a protocol 1 laptop its
unit's), the force's completions and exemptions (protocol 2), and any newer lesson content. Where HQ serves
several forces, "the force" is the laptop's own (`units.force_of`): nothing of another force reaches it.

Roster changes and registrations share HQ's one sequence, so one cursor pages through both in the order HQ
made them, and a batch is whatever comes next of either.

Each change is encoded as JSON once, when its window is read, and every device's answer is put together from
those pieces: when a whole force syncs at once, HQ's time goes on reading changes, not re-encoding the same
ones for each laptop."""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine, Row, func, or_, select

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.hq import audit_trail, ownership, schema
from trainer_desk.hq.completions import credited_to, payload_object, resolutions
from trainer_desk.hq.database import hashed, one_of, reading
from trainer_desk.hq.devices import Device, as_device, note_seen_alone
from trainer_desk.hq.units import Force, force_of, reach, tree
from trainer_desk.hq.wire_json import encoded_text
from trainer_desk.logs import log_failure
from trainer_desk.sync.pulled_changes import (
    EXEMPTION_KINDS,
    WITHDRAWN,
    CompletionChange,
    ExemptionChange,
    RecordChange,
    RosterChange,
)

log = logging.getLogger(__name__)

COMPLETING = frozenset(s.value for s in AttendanceStatus if s.completes_training)


@dataclass(frozen=True, slots=True)
class Pull:
    """What one device is answered; the changes are already JSON (see the module docstring)."""

    device: Device
    roster: list[str]
    cursor: int
    more: bool
    content: dict[str, Any] | None
    completions: list[str]
    records: list[str]  # sessions and registrations this device is given (protocol 2)
    units: list[dict[str, Any]] | None = None  # the whole unit tree, when it changed since the cursor
    exemptions: list[str] = field(default_factory=list)  # ExemptionChanges (protocol 2)
    withdrawn: list[str] = field(default_factory=list)  # ExemptionChanges withdrawing one (see WITHDRAWN)

    def body(self, force_wide: bool, server_time: str) -> bytes:
        """The answer to `GET /v1/changes`, as Starlette's JSONResponse would encode it (compact, UTF-8):
        a protocol 1 laptop gets no completions, records or exemptions. Exemptions have a key of their own:
        a laptop from before them passes over a key it does not know, where an unknown kind of record would
        make it refuse the whole answer."""
        rest: dict[str, Any] = {
            **({"units": self.units} if self.units is not None else {}),
            "cursor": self.cursor,
            "more": self.more,
            "content": self.content,
            "device_status": "lost" if self.device.lost else "active",
            "server_time": server_time,
        }
        parts = ['{"roster":[', ",".join(self.roster), "]"]
        if force_wide:
            parts += [',"completions":[', ",".join(self.completions), '],"records":[', ",".join(self.records), "]"]
            parts += [',"exemptions":[', ",".join(self.exemptions), "]"]
            parts += [',"withdrawn_exemptions":[', ",".join(self.withdrawn), "]"]
        parts += [",", encoded_text(rest)[1:]]
        return "".join(parts).encode()


def pull(engine: Engine, token: str, cursor: int, limit: int, force_wide: bool = True) -> Pull | None:
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
    newest_unit = select(func.max(schema.units.c.seq)).scalar_subquery()
    with reading(engine).connect() as conn:
        row = (
            conn.execute(
                select(
                    schema.devices,
                    latest.label("latest_seq"),
                    newest_content.label("newest_manifest"),
                    newest_unit.label("units_seq"),
                ).where(schema.devices.c.token_hash == hashed(token))
            )
            .mappings()
            .first()
        )
        if row is None or row["revoked"]:
            return None
        device = as_device(row)
        if device.lost:  # it is told to wipe, and sent nothing more of the force's people
            note_seen_alone(engine, row)
            audit_trail.note_told_to_wipe(engine, device.id)  # the devices page says when
            return Pull(device, [], cursor, False, None, [], [], None)
        latest_seq = int(row["latest_seq"])
        tree_seq = None if row["units_seq"] is None else int(row["units_seq"])
        force = force_of(conn, device.unit, tree_seq)
        scope = force if force_wide else Force(f"unit {device.unit}", frozenset({device.unit}))
        window = _window(conn, scope, cursor, latest_seq, limit, force_wide)
        _read_ahead(engine, scope, window, limit, force_wide)
        completions = [
            e.completion for e in window.entries if e.completion and (e.device_id != device.id or e.resolved)
        ]
        records = _given_records(window.entries, device, reach(conn, device.unit), cursor)
        exemptions = [e.given_to(device.id) for e in window.exemptions if not e.withdrawn]
        withdrawn = [e.given_to(device.id) for e in window.exemptions if e.withdrawn]
        # The tree is small: when any of it changed since the cursor, the laptop gets all of it (its force's).
        changed = tree_seq is not None and tree_seq > cursor
        units = [u for u in tree(conn) if force.holds(u["code"])] if changed else None
    note_seen_alone(engine, row)
    content = json.loads(row["newest_manifest"]) if row["newest_manifest"] else None
    return Pull(
        device, window.roster, window.cursor, window.more, content, completions, records, units, exemptions, withdrawn
    )


def _given_records(entries: list[_Entry], device: Device, within: frozenset[str], cursor: int) -> list[str]:
    """The sessions and registrations of a window given to `device`, as JSON, each session before its register.

    A registration is numbered when it is made, its session again whenever the session changes: a session
    closed after its register is numbered after it. A laptop takes a registration only for a session it holds,
    so a session it has not received in that version (numbered after `cursor`, by another laptop) goes first;
    the laptop applies each version once, so meeting it again later in the window or the next costs nothing."""
    records: list[str] = []
    sent: set[str] = set()
    for e in entries:
        if e.device_id == device.id or e.session is None or not ownership.given_to(device, e.session, within):
            continue
        ahead = e.session_ahead
        if ahead is not None and ahead.seq > cursor and ahead.device_id != device.id:
            session_uuid = str(e.record.payload.get("session_uuid", ""))
            if session_uuid not in sent:
                records.append(ahead.encoded)
                sent.add(session_uuid)
        if e.record.entity == "session":
            if e.record.uuid in sent:
                continue
            sent.add(e.record.uuid)
        records.append(encoded_text(e.record.to_wire()))  # encoded for the few laptops given it, not every window
    return records


def _roster_rows(conn: Connection, scope: Force, cursor: int, latest: int, limit: int) -> list[Row[Any]]:
    """Roster rows changed after `cursor` up to `latest`: everyone's, or one force's or unit's (with those who
    left it)."""
    query = select(schema.roster).where(schema.roster.c.seq > cursor, schema.roster.c.seq <= latest)
    if scope.code is not None:
        units = sorted(scope.units)
        query = query.where(or_(schema.roster.c.unit.in_(units), schema.roster.c.previous_unit.in_(units)))
    return list(conn.execute(query.order_by(schema.roster.c.seq).limit(limit + 1)))


def _roster_change(r: Row[Any], scope: Force) -> RosterChange:
    """For one force's or unit's roster, someone who moved out of it arrives as removed."""
    gone = bool(r.removed) or not scope.holds(r.unit)
    return RosterChange(
        r.seq, r.staff_number, r.forename, r.surname, r.unit, r.role, r.rank, gone, r.team, r.joined or ""
    )


def _record_rows(conn: Connection, scope: Force, cursor: int, latest: int, limit: int) -> list[Row[Any]]:
    records = schema.records
    query = (
        select(
            records.c.entity,
            records.c.uuid,
            records.c.seq,
            records.c.version,
            records.c.deleted,
            records.c.payload,
            records.c.device_id,
        )
        # Every kind of record, filtered afterwards: a condition on `entity` would lead SQLite to the primary
        # key and a sort of every registration; by `seq` alone it reads the next rows from its index. The
        # other kinds still move the cursor on.
        .where(records.c.seq > cursor, records.c.seq <= latest)
        .order_by(records.c.seq)
        .limit(limit + 1)
    )
    if scope.code is not None:  # one force of several: its own records, by their index, never the nation's
        query = query.where(records.c.force == scope.code)
    return list(conn.execute(query))


@dataclass(frozen=True, slots=True)
class _Entry:
    """A session or registration in a window, made ready once for every device that asks for the window."""

    device_id: str  # the device that sent its current version: it is not sent back there
    record: RecordChange
    session: dict[str, Any] | None  # the session it is (in), as HQ holds it
    completion: str | None  # for a registration: a CompletionChange, encoded
    # For a registration whose session's current version is numbered after it (the session was closed or
    # edited since): that version, sent before the registration (see `_given_records`).
    session_ahead: _SessionAhead | None = None
    # A walk-in a person at HQ matched or dismissed: its completion goes to the laptop that recorded it too,
    # which counts its register by the number typed there and would go on chasing the person it was.
    resolved: bool = False


@dataclass(frozen=True, slots=True)
class _SessionAhead:
    seq: int
    device_id: str
    encoded: str  # its RecordChange


@dataclass(frozen=True, slots=True)
class EncodedExemption:
    """An exemption in a window or a snapshot, encoded once as every laptop is given it, and once as the laptop
    that sent it is given it back (with its reason: see `ExemptionChange`)."""

    device_id: str
    encoded: str
    own: str
    withdrawn: bool = False  # sent under a key of its own: see `WITHDRAWN`

    def given_to(self, device_id: str) -> str:
        """Its ExemptionChange as the laptop `device_id` is given it."""
        return self.own if device_id == self.device_id else self.encoded


@dataclass(frozen=True, slots=True)
class _Window:
    roster: list[str]  # RosterChanges, encoded
    entries: list[_Entry]
    cursor: int
    more: bool
    latest: int  # the last change number it was read up to
    exemptions: list[EncodedExemption] = field(default_factory=list)


_WINDOWS: OrderedDict[tuple[str, Force, int, int, bool], _Window] = OrderedDict()
_READING: dict[tuple[str, Force, int, int, bool], threading.Lock] = {}
_WINDOWS_LOCK = threading.Lock()
WINDOWS_KEPT = 256  # a few per force, for an HQ serving every force (see units.force_of)


def _window(conn: Connection, scope: Force, cursor: int, latest: int, limit: int, force_wide: bool) -> _Window:
    """The changes after `cursor` up to `latest`, read and prepared once for every device that asks for the
    same ones: laptops that are up to date all ask from the same cursor, so when many sync together (a whole
    force after a morning's sessions) HQ reads and parses each change once, not once per laptop, and one
    request reads while the others wait for it.

    A full window (`more`) read up to one `latest` is the same for any later one: changes are numbered in the
    order they commit, so none can appear before a number already read. A record changed since then has moved
    to a later number; the version in the window is then followed by the newer one, which the laptop applies
    last."""
    key = (str(conn.engine.url), scope, cursor, limit, force_wide)
    with _WINDOWS_LOCK:
        if (found := _usable(_WINDOWS.get(key), latest)) is not None:
            _WINDOWS.move_to_end(key)
            return found
        reading_now = _READING.setdefault(key, threading.Lock())
    with reading_now:
        with _WINDOWS_LOCK:
            if (found := _usable(_WINDOWS.get(key), latest)) is not None:
                return found
        window = _read_window(conn, scope, cursor, latest, limit, force_wide)
        with _WINDOWS_LOCK:
            _WINDOWS[key] = window
            _WINDOWS.move_to_end(key)
            while len(_WINDOWS) > WINDOWS_KEPT:
                _WINDOWS.popitem(last=False)
            _READING.pop(key, None)
    return window


_AHEAD = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pull-ahead")
_ahead_waiting = 0  # read-aheads not finished yet; under _WINDOWS_LOCK
MAX_AHEAD_WAITING = 4


def _read_ahead(engine: Engine, scope: Force, window: _Window, limit: int, force_wide: bool) -> None:
    """After a full window, read the one that follows while this answer travels and the laptop writes it: a
    laptop paging through a backlog (a first pull of the whole force) asks for it next, and then finds it
    ready, so HQ's reading overlaps the laptop's work instead of alternating with it. One reader, and a few
    waiting at most: read-ahead never takes more from HQ than one more laptop would."""
    global _ahead_waiting
    if not window.more:
        return
    with _WINDOWS_LOCK:
        if _ahead_waiting >= MAX_AHEAD_WAITING:
            return
        _ahead_waiting += 1

    def read() -> None:
        global _ahead_waiting
        try:
            with reading(engine).connect() as conn:
                _window(conn, scope, window.cursor, window.latest, limit, force_wide)
        except Exception as error:  # the laptop's own request reads the window again, and answers any error
            log_failure(log, "reading ahead for a pull", error)
        finally:
            with _WINDOWS_LOCK:
                _ahead_waiting -= 1

    _AHEAD.submit(read)


def _usable(window: _Window | None, latest: int) -> _Window | None:
    if window is None:
        return None
    return window if window.latest == latest or (window.more and window.latest <= latest) else None


def _read_window(conn: Connection, scope: Force, cursor: int, latest: int, limit: int, force_wide: bool) -> _Window:
    roster = _roster_rows(conn, scope, cursor, latest, limit)
    # A full window of roster changes (a first pull) leaves no room for records numbered after it: read none.
    records_up_to = int(roster[limit].seq) - 1 if len(roster) > limit else latest
    stored = _record_rows(conn, scope, cursor, records_up_to, limit) if force_wide else []
    merged = sorted([(int(r.seq), False, r) for r in roster] + [(int(r.seq), True, r) for r in stored])
    taken = merged[:limit]
    more = len(merged) > limit
    up_to = taken[-1][0] if more else max(latest, cursor)
    return _Window(
        [encoded_text(_roster_change(r, scope).to_wire()) for _, is_record, r in taken if not is_record],
        _entries(conn, [r for _, is_record, r in taken if is_record]),
        up_to,
        more,
        latest,
        exemptions_between(conn, scope, cursor, up_to) if force_wide else [],
    )


def exemptions_between(conn: Connection, scope: Force, cursor: int, up_to: int) -> list[EncodedExemption]:
    """The exemptions HQ received after `cursor` up to `up_to`, in that order, for people in `scope`: a page of
    changes gives those in its window, and a first pull (`hq.snapshot`) all of them up to its cursor.

    Read apart from the other records: an exemption belongs to no session, so it has no force to be read by
    (`_record_rows`), and which force it is in is that of the person it names. They are few, and the kinds the
    figures skip (`hq.exemptions.for_programme`) are not sent; withdrawals are, flagged to go under a key of their
    own. Each laptop's own come back to it too: their place in HQ's order is what tells it which is newest
    (`store.exemptions.apply_from_hq`)."""
    col = schema.records.c
    rows = conn.execute(
        select(col.uuid, col.seq, col.payload, col.device_id)
        .where(col.entity == "exemption", col.deleted.is_(False), col.seq > cursor, col.seq <= up_to)
        .order_by(col.seq)
    ).all()
    found = [(r, payload_object(r.payload)) for r in rows]
    found = [
        (r, p)
        for r, p in found
        if p.get("kind") in (*EXEMPTION_KINDS, WITHDRAWN)
        and str(p.get("staff_number") or "")
        and str(p.get("programme_id") or "")
    ]
    if scope.code is not None and found:
        roster = schema.roster.c
        numbers = list({str(p["staff_number"]) for _, p in found})
        unit_of = dict(
            conn.execute(
                select(roster.staff_number, roster.unit).where(one_of(conn, roster.staff_number, numbers))
            ).all()
        )
        found = [(r, p) for r, p in found if scope.holds(unit_of.get(str(p["staff_number"])))]
    exemptions = []
    for r, p in found:
        change = ExemptionChange(
            int(r.seq),
            str(r.uuid),
            str(p["staff_number"])[:20],
            str(p["programme_id"])[:80],
            str(p["kind"]),
            str(p.get("recorded_at") or "")[:40],
        )
        own = ExemptionChange(
            *(change.seq, change.uuid, change.staff_number, change.programme_id, change.kind, change.recorded_at),
            reason=str(p.get("reason") or "")[:500],
            recorded_by=str(p.get("recorded_by") or "")[:40],
        )
        exemptions.append(
            EncodedExemption(
                str(r.device_id), encoded_text(change.to_wire()), encoded_text(own.to_wire()), change.kind == WITHDRAWN
            )
        )
    return exemptions


def _entries(conn: Connection, rows: list[Row[Any]]) -> list[_Entry]:
    """Sessions and registrations with the session each belongs to (one read of the sessions not in the
    window), and each registration as a completion: present or late, and not deleted, counts, for the person
    it is credited to (a walk-in resolved at HQ: see `completions.credited_to`)."""
    parsed = [(r, payload_object(r.payload)) for r in rows if r.entity in ("session", "attendance")]
    sessions = {r.uuid: p for r, p in parsed if r.entity == "session"}
    current: dict[str, Any] = {r.uuid: r for r, p in parsed if r.entity == "session"}
    wanted = list({str(p.get("session_uuid", "")) for r, p in parsed if r.entity == "attendance"} - set(sessions))
    if wanted:
        col = schema.records.c
        for s in conn.execute(
            select(col.uuid, col.payload, col.seq, col.version, col.deleted, col.device_id).where(
                col.entity == "session", one_of(conn, col.uuid, wanted)
            )
        ):
            sessions[s.uuid] = payload_object(s.payload)
            current[s.uuid] = s
    resolved = resolutions(conn, [r.uuid for r, p in parsed if r.entity == "attendance" and p.get("walk_in")])
    entries = []
    encoded_ahead: dict[str, _SessionAhead] = {}
    for r, payload in parsed:
        session_uuid = r.uuid if r.entity == "session" else str(payload.get("session_uuid", ""))
        session = sessions.get(session_uuid)
        completion = None
        if r.entity == "attendance" and session is not None:
            person = credited_to(payload, resolved.get(r.uuid))
            completion = encoded_text(
                CompletionChange(
                    int(r.seq),
                    str(r.uuid),
                    person,
                    str(session.get("programme_id", "")),
                    session_uuid,
                    str(session.get("starts_at", "")),
                    str(session.get("plan_version", "")),
                    bool(person) and not r.deleted and payload.get("status") in COMPLETING,
                ).to_wire()
            )
        record = RecordChange(int(r.seq), r.entity, r.uuid, int(r.version), bool(r.deleted), payload)
        held = current.get(session_uuid)
        ahead = None
        if r.entity == "attendance" and held is not None and int(held.seq) > int(r.seq):
            if session_uuid not in encoded_ahead:
                encoded_ahead[session_uuid] = _as_ahead(held, sessions[session_uuid])
            ahead = encoded_ahead[session_uuid]
        entries.append(_Entry(r.device_id, record, session, completion, ahead, r.uuid in resolved))
    return entries


def _as_ahead(session: Any, payload: dict[str, Any]) -> _SessionAhead:
    """A session's current version (its row and parsed payload), encoded once for every registration in the
    window that needs it first."""
    change = RecordChange(
        int(session.seq), "session", session.uuid, int(session.version), bool(session.deleted), payload
    )
    return _SessionAhead(int(session.seq), str(session.device_id), encoded_text(change.to_wire()))
