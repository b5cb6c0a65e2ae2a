"""The pull's half of the sync protocol: what HQ sends a laptop that pulls, a page of changes or a first pull's
snapshot, and each kind of change in them (roster, completions, sessions and registrations given to the
laptop, exemptions, the unit tree). Checked here on arrival, as everything from the other side is
(`protocol`)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.sync.protocol import (
    MAX_PULL_ITEMS,
    MAX_SNAPSHOT_ROWS,
    MAX_VERSION,
    UUID_FORM,
    ContentManifest,
    ProtocolError,
)


@dataclass(frozen=True, slots=True)
class RosterChange:
    seq: int
    staff_number: str
    forename: str
    surname: str
    unit: str
    role: str
    rank: str
    removed: bool
    team: str = ""
    joined: str = ""  # ISO date, where HR records it

    @classmethod
    def from_wire(cls, data: Any) -> RosterChange:
        """Read as strictly as a roster file is (`core.roster_import`): a person HQ sends goes on registers and
        sheets as given, so a name that is not text, or longer than a roster row may have, refuses the answer
        rather than being turned into text ('None') or breaking a printed register later."""
        if not isinstance(data, dict):
            raise ProtocolError("a roster change must be an object")
        try:
            seq, removed = data["seq"], data.get("removed", False)
            if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(removed, bool):
                raise TypeError("seq must be a number and removed true or false")
            # Checked inline, not field by field through a helper: a force's first pull reads 50,000 people.
            number, forename, surname = data["staff_number"], data["forename"], data["surname"]
            unit, role, rank, team = data["unit"], data["role"], data.get("rank") or "", data.get("team") or ""
            if not (
                type(number) is str and type(forename) is str and type(surname) is str and type(unit) is str
                and type(role) is str and type(rank) is str and type(team) is str
            ):  # fmt: skip
                raise ValueError("a name, number, unit, role, rank or team is not text")
            if not (
                0 < len(number) <= 20 and 0 < len(forename) <= 80 and 0 < len(surname) <= 80 and 0 < len(unit) <= 40
                and 0 < len(role) <= 20 and len(rank) <= 60 and len(team) <= 60
            ):  # fmt: skip
                raise ValueError("a name, number, unit, role, rank or team is empty or longer than HQ keeps it")
            if _CONTROL.search(number + forename + surname + unit + role + rank + team):
                number, forename, surname, unit, role, rank, team = (
                    _CONTROL.sub(" ", t) for t in (number, forename, surname, unit, role, rank, team)
                )
            return cls(seq, number, forename, surname, unit, role, rank, removed, team, _iso_date(data.get("joined")))
        except (KeyError, TypeError, ValueError) as error:
            raise ProtocolError(f"malformed roster change ({error})") from None

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "staff_number": self.staff_number,
            "forename": self.forename,
            "surname": self.surname,
            "unit": self.unit,
            "role": self.role,
            "rank": self.rank,
            "removed": self.removed,
            "team": self.team,
            "joined": self.joined,
        }


@dataclass(frozen=True, slots=True)
class CompletionChange:
    """One registration as the force's record of who completed what (protocol 2): the attendance record's
    uuid, whom it names, the programme and start of its session, and whether it counts as completing it
    (present or late, and not deleted). A later change to the same registration replaces it."""

    seq: int
    uuid: str
    staff_number: str
    programme_id: str
    session_uuid: str
    session_starts_at: str
    plan_version: str
    counts: bool

    @classmethod
    def from_wire(cls, data: Any) -> CompletionChange:
        if not isinstance(data, dict):
            raise ProtocolError("a completion must be an object")
        try:
            change = cls(
                int(data["seq"]),
                str(data["uuid"]),
                str(data["staff_number"])[:20],
                str(data["programme_id"])[:80],
                str(data["session_uuid"]),
                str(data["session_starts_at"])[:40],
                str(data.get("plan_version", ""))[:40],
                bool(data["counts"]),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ProtocolError(f"malformed completion ({error})") from None
        if not UUID_FORM.fullmatch(change.uuid) or not UUID_FORM.fullmatch(change.session_uuid):
            raise ProtocolError("a completion names its registration and session by uuid")
        return change

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "uuid": self.uuid,
            "staff_number": self.staff_number,
            "programme_id": self.programme_id,
            "session_uuid": self.session_uuid,
            "session_starts_at": self.session_starts_at,
            "plan_version": self.plan_version,
            "counts": self.counts,
        }


@dataclass(frozen=True, slots=True)
class RecordChange:
    """A session or registration HQ gives a device (protocol 2): one planned elsewhere for this laptop's
    trainer, or any of the unit's for a training lead's laptop. The payload is what a laptop pushed, and is
    checked again by the laptop before it is stored."""

    seq: int
    entity: str  # 'session' or 'attendance'
    uuid: str
    version: int
    deleted: bool
    payload: dict[str, Any]

    @classmethod
    def from_wire(cls, data: Any) -> RecordChange:
        if not isinstance(data, dict):
            raise ProtocolError("a record must be an object")
        entity, uuid, version, payload = data.get("entity"), data.get("uuid"), data.get("version"), data.get("payload")
        if entity not in ("session", "attendance") or not isinstance(uuid, str) or not UUID_FORM.fullmatch(uuid):
            raise ProtocolError("a record must be a session or a registration named by uuid")
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
            raise ProtocolError("a record's version must be a positive whole number")
        if not isinstance(payload, dict) or not isinstance(data.get("seq"), int):
            raise ProtocolError("a record needs its sequence number and payload")
        return cls(data["seq"], entity, uuid, version, bool(data.get("deleted")), payload)

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "entity": self.entity,
            "uuid": self.uuid,
            "version": self.version,
            "deleted": self.deleted,
            "payload": self.payload,
        }


EXEMPTION_KINDS = tuple(k.value for k in ExemptionKind)
# An exemption withdrawn at HQ: a record of its own, newest for its person and programme as any other, so the
# person is counted and chased again. Sent under a key of its own (`withdrawn_exemptions`): a laptop from before
# withdrawals passes over it, where an unknown kind among the exemptions would make it refuse the whole answer.
WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True)
class ExemptionChange:
    """An exemption HQ holds for someone in the laptop's force (protocol 2, under its own key, which laptops
    before it pass over): whom it excuses from which programme, and how. A later one for the same person and
    programme replaces it, as at HQ (`hq.exemptions`). The reason and who recorded it come back only to the
    laptop that sent it: another laptop counts by the exemption, and has no need to know why."""

    seq: int
    uuid: str
    staff_number: str
    programme_id: str
    kind: str  # an ExemptionKind's value, or WITHDRAWN
    recorded_at: str
    reason: str = ""
    recorded_by: str = ""

    @classmethod
    def from_wire(cls, data: Any, kinds: tuple[str, ...] = EXEMPTION_KINDS) -> ExemptionChange:
        if not isinstance(data, dict):
            raise ProtocolError("an exemption must be an object")
        try:
            change = cls(
                int(data["seq"]),
                str(data["uuid"]),
                str(data["staff_number"])[:20],
                str(data["programme_id"])[:80],
                str(data["kind"]),
                str(data.get("recorded_at", ""))[:40],
                str(data.get("reason", ""))[:500],
                str(data.get("recorded_by", ""))[:40],
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ProtocolError(f"malformed exemption ({error})") from None
        if not UUID_FORM.fullmatch(change.uuid) or change.kind not in kinds:
            raise ProtocolError("an exemption names itself by uuid and is one of " + ", ".join(kinds))
        if not change.staff_number or not change.programme_id:
            raise ProtocolError("an exemption names a person and a programme")
        return change

    def to_wire(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "uuid": self.uuid,
            "staff_number": self.staff_number,
            "programme_id": self.programme_id,
            "kind": self.kind,
            "recorded_at": self.recorded_at,
            **({"reason": self.reason, "recorded_by": self.recorded_by} if self.reason or self.recorded_by else {}),
        }


# A control character in a person's name (a line break typed into a cell, which HQ's roster import once let
# through) becomes a space, rather than every sync refusing the answer; joiners and direction marks, which some
# names need, are not control characters.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")  # Unicode's control characters (category Cc), and only those


def _iso_date(value: Any) -> str:
    """A date as HQ sends it (2026-01-31), or "" for none; anything else is malformed."""
    if value in (None, ""):
        return ""
    return date.fromisoformat(str(value)).isoformat()


_UNIT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")


@dataclass(frozen=True, slots=True)
class UnitChange:
    """One unit of the force's tree as HQ holds it (sent whole whenever any of it changed)."""

    code: str
    name: str
    kind: str
    parent: str | None
    retired: bool

    @classmethod
    def from_wire(cls, data: Any) -> UnitChange:
        if not isinstance(data, dict):
            raise ProtocolError("a unit must be an object")
        code, name, kind, parent = data.get("code"), data.get("name"), data.get("kind"), data.get("parent")
        if not (
            isinstance(code, str)
            and _UNIT_CODE.match(code)
            and isinstance(name, str)
            and 0 < len(name) <= 120
            and name.isprintable()
            and isinstance(kind, str)
            and 0 < len(kind) <= 40
            and kind.isprintable()
            and (parent is None or (isinstance(parent, str) and _UNIT_CODE.match(parent)))
        ):
            raise ProtocolError("malformed unit")
        return cls(code, name, kind, parent, bool(data.get("retired")))


MAX_UNITS = 5_000


@dataclass(frozen=True, slots=True)
class Changes:
    roster: tuple[RosterChange, ...]
    cursor: int
    more: bool
    content: ContentManifest | None
    device_status: str  # 'active' or 'lost'
    server_time: str
    completions: tuple[CompletionChange, ...] = ()
    records: tuple[RecordChange, ...] = ()
    units: tuple[UnitChange, ...] | None = None  # the whole unit tree, when it changed
    # A snapshot's completions, each one that counts, as rows (see `snapshot_from_wire`).
    counting: tuple[Sequence[str], ...] = ()  # a snapshot's completions: see `store.completions.CountingRow`
    # A snapshot is the whole of the force's roster and completions: what it leaves out, the laptop forgets.
    whole: bool = False
    exemptions: tuple[ExemptionChange, ...] = ()  # in the order HQ received them

    @classmethod
    def from_wire(cls, data: Any) -> Changes:
        if not isinstance(data, dict):
            raise ProtocolError("changes must be an object")
        roster = data.get("roster")
        cursor = data.get("cursor")
        completions = data.get("completions", [])
        records = data.get("records", [])
        if (
            not isinstance(roster, list)
            or not isinstance(completions, list)
            or not isinstance(records, list)
            or type(cursor) is not int  # not a bool either
        ):
            raise ProtocolError("changes need a roster list and a cursor")
        if len(roster) + len(completions) > MAX_PULL_ITEMS or len(records) > MAX_PULL_ITEMS:
            raise ProtocolError(f"changes may hold at most {MAX_PULL_ITEMS} roster changes and completions")
        return cls(
            tuple(RosterChange.from_wire(r) for r in roster),
            cursor,
            bool(data.get("more")),
            *_content_status_and_time(data),
            tuple(CompletionChange.from_wire(c) for c in completions),
            tuple(RecordChange.from_wire(r) for r in records),
            _units(data.get("units")),
            exemptions=_exemptions(data, MAX_PULL_ITEMS),
        )


def snapshot_from_wire(data: Any) -> Changes:
    """A first pull at once (`GET /v1/snapshot`), as one batch of changes up to its cursor, with more to page
    after it. Its completions come as rows of six strings (registration, person, programme, session, start,
    plan version), each one that counts: a force's hundred thousand are then a few megabytes, not thirty."""
    if not isinstance(data, dict):
        raise ProtocolError("a snapshot must be an object")
    roster, rows, records, cursor = data.get("roster"), data.get("completions"), data.get("records"), data.get("cursor")
    if not all(isinstance(part, list) for part in (roster, rows, records)) or type(cursor) is not int:
        raise ProtocolError("a snapshot needs a roster, completions, records and a cursor")
    assert isinstance(roster, list) and isinstance(rows, list) and isinstance(records, list)
    if cursor < 0 or len(roster) + len(rows) + len(records) > MAX_SNAPSHOT_ROWS:
        raise ProtocolError(f"a snapshot may hold at most {MAX_SNAPSHOT_ROWS} rows")
    return Changes(
        tuple(RosterChange.from_wire(r) for r in roster),
        cursor,
        True,
        *_content_status_and_time(data),
        (),
        tuple(RecordChange.from_wire(r) for r in records),
        _units(data.get("units")),
        _counting_rows(rows),
        whole=True,
        exemptions=_exemptions(data, MAX_SNAPSHOT_ROWS),
    )


def _content_status_and_time(data: dict[str, Any]) -> tuple[ContentManifest | None, str, str]:
    """What a page and a snapshot both carry besides their changes: newer content, the device's status, and
    HQ's clock."""
    content = data.get("content")
    status = data.get("device_status", "active")
    if status not in ("active", "lost"):
        raise ProtocolError("unknown device status")
    return (
        ContentManifest.from_wire(content) if content is not None else None,
        str(status),
        str(data.get("server_time", "")),
    )


_NOT_IN_A_UUID = str.maketrans("", "", "0123456789abcdef-")


def _counting_rows(rows: list[Any]) -> tuple[Sequence[str], ...]:
    """A snapshot's completions, checked as `CompletionChange.from_wire` checks one (the store cuts each text
    to its length). A force sends a hundred thousand, so each check runs over all of them at once."""
    if not all(type(row) is list and len(row) == 6 for row in rows):
        raise ProtocolError("a snapshot's completion is a row of six strings")
    # JSON gives str or another type: every value must be text.
    if {type(value) for row in rows for value in row} - {str}:
        raise ProtocolError("a snapshot's completion is a row of six strings")
    for column in (0, 3):  # the registration and its session
        uuids = [row[column] for row in rows]
        joined = "".join(uuids)
        if joined.translate(_NOT_IN_A_UUID) or not all(len(u) == 36 for u in uuids):
            raise ProtocolError("a completion names its registration and session by uuid")
        # Lowercase hex, 36 long, with its four dashes, where they belong and nowhere else.
        if joined.count("-") != 4 * len(uuids) or {u[8] + u[13] + u[18] + u[23] for u in uuids} - {"----"}:
            raise ProtocolError("a completion names its registration and session by uuid")
    return tuple(rows)


def _exemptions(answer: dict[str, Any], most: int) -> tuple[ExemptionChange, ...]:
    """The exemptions an answer gives and those it withdraws (none from an HQ before them), as one list in the
    order HQ received them: the newest for a person and programme is the one that holds."""
    given, withdrawn = answer.get("exemptions", []), answer.get("withdrawn_exemptions", [])
    if not isinstance(given, list) or not isinstance(withdrawn, list) or len(given) + len(withdrawn) > most:
        raise ProtocolError(f"exemptions must be lists of at most {most}")
    changes = [ExemptionChange.from_wire(e) for e in given]
    changes += [ExemptionChange.from_wire(e, (WITHDRAWN,)) for e in withdrawn]
    return tuple(sorted(changes, key=lambda c: c.seq))


def _units(data: Any) -> tuple[UnitChange, ...] | None:
    if data is None:
        return None
    if not isinstance(data, list) or not data or len(data) > MAX_UNITS:
        raise ProtocolError(f"the unit tree must be a list of 1 to {MAX_UNITS} units")
    return tuple(UnitChange.from_wire(u) for u in data)
