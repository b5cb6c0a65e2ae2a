"""Who may record what at HQ: a record is changed only by the device that created it, by a device its
session is assigned to, or by a role given that right for the session's unit; and every record's session must
belong to the unit the device records for or a unit under it (a BCU's laptop records for its teams), unless
the session was given to that device's trainer (a lead may plan a session in their unit for a trainer from
another, and that trainer's laptop then records it). The session's unit decides, not the attendee's: people
from other units attend, and that is normal.

Plain decisions on values, no database: `receipt.apply_pushes` reads what they need once per transaction. Each
refusal is a reason the laptop shows beside the record it kept, naming units as people know them (`in_words`,
HQ's `units.UnitWords`): a trainer reads it in the Sync and Sessions views, where a bare code meant little."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import Any

# A unit's code -> the unit as people know it ("North BCU (NORTH)"), for the reasons below.
InWords = Callable[[str], str]

# The roles an enrollment code can give a device: a trainer's laptop records its own sessions; a BCU
# training lead's may also correct any record of a session in its own unit.
DEVICE_ROLES = ("trainer", "training_lead")
DEVICE_ROLE_WORDS = {"trainer": "trainer", "training_lead": "BCU training lead"}  # as pages name them
CORRECTING_ROLES = frozenset({"training_lead"})

# Records that belong to a session, and must name it.
IN_A_SESSION = frozenset({"attendance", "feedback", "section_timing"})


@dataclass(frozen=True, slots=True)
class Recorder:
    """The device sending a change; `units`: the unit it is enrolled for and every unit under it
    (`units.reaches`), as the console counts a unit with its teams."""

    id: str
    trainer: str
    unit: str
    role: str
    units: frozenset[str] = frozenset()

    def records_for(self, unit: str) -> bool:
        """Whether a session of `unit` is within this device's units."""
        return unit == self.unit or unit in self.units

    def reach_in_words(self, in_words: InWords) -> str:
        """ "North BCU (NORTH) and the units under it": what a refusal says this device records for, the units
        under its own said too where it has any, since it records for those as well."""
        under = " and the units under it" if self.units - {self.unit} else ""
        return f"{in_words(self.unit)}{under}"


@dataclass(frozen=True, slots=True)
class SessionAtHq:
    """What HQ knows of a session: enough to say who may record in it."""

    uuid: str
    unit: str
    trainers: frozenset[str]
    created_by: str
    status: str = ""

    @classmethod
    def from_payload(cls, uuid: str, payload: dict[str, Any], created_by: str) -> SessionAtHq:
        unit = payload.get("unit_code")
        trainers = payload.get("trainers")
        return cls(
            uuid,
            unit if isinstance(unit, str) else "",
            frozenset(t for t in trainers if isinstance(t, str)) if isinstance(trainers, list) else frozenset(),
            created_by,
            str(payload.get("status") or ""),
        )


# A laptop's newer version of a session that HQ cancelled meanwhile (in the console, while the laptop was
# offline): said so to the trainer, rather than as a clash of version numbers they cannot make sense of.
CANCELLED_AT_HQ = (
    "cancelled at HQ while this laptop was offline: ask the lead who cancelled it. The register taken here is "
    "kept, and reaches HQ"
)


def session_named(entity: str, uuid: str, payload: dict[str, Any]) -> str | None:
    """The uuid of the session a record belongs to (a session belongs to itself); None when it names none."""
    if entity == "session":
        return uuid
    named = payload.get("session_uuid")
    return named if isinstance(named, str) and named else None


def new_session_refusal(
    device: Recorder, payload: dict[str, Any], in_words: InWords, before: SessionAtHq | None = None
) -> str:
    """Why `device` may not record this version of a session ('' when it may); `before`: the session as HQ
    holds it, if it does."""
    unit = payload.get("unit_code")
    if not isinstance(unit, str) or not unit:
        return "a session must name its unit"
    if before is not None and device.trainer in before.trainers and device.id != before.created_by:
        # Given to this laptop's trainer: it records the delivery, in the unit the session was planned for.
        if unit != before.unit:
            return f"this session is for {in_words(before.unit)}: only whoever planned it may give it to another unit"
        return ""
    if not device.records_for(unit):
        return f"this session is for {in_words(unit)}, and this laptop records for {device.reach_in_words(in_words)}"
    return ""


def session_refusal(
    device: Recorder, session_uuid: str | None, session: SessionAtHq | None, entity: str, in_words: InWords
) -> str:
    """Why `device` may not record in this session ('' when it may)."""
    if session_uuid is None:
        if entity in IN_A_SESSION:
            return "this record names no session"
        return ""  # an audit entry, or a question asked outside any session
    if session is None:
        return "HQ has no such session: a record is accepted once its session has reached HQ"
    if not device.records_for(session.unit) and device.trainer not in session.trainers:
        unit = in_words(session.unit)
        return f"its session is for {unit}, and this laptop records for {device.reach_in_words(in_words)}"
    if not may_record_in(device, session):
        return "its session was planned on another laptop and is not assigned to this laptop's trainer"
    return ""


def may_record_in(device: Recorder, session: SessionAtHq) -> bool:
    """The session's own device, a device of a trainer it names, or a correcting role in its unit or a unit
    above it."""
    return (
        device.id == session.created_by
        or device.trainer in session.trainers
        or (device.role in CORRECTING_ROLES and device.records_for(session.unit))
    )


def may_change(device: Recorder, created_by: str, session: SessionAtHq | None) -> bool:
    """Whether `device` may change a record HQ holds: its creator, or one that may record in its session (in
    the session's unit, unless the session is given to the device's trainer)."""
    return device.id == created_by or (
        session is not None
        and (device.records_for(session.unit) or device.trainer in session.trainers)
        and may_record_in(device, session)
    )


NOT_YOURS = (
    "recorded by another laptop: only the laptop that recorded it, or one its session is assigned to, may change it"
)
UNENCODABLE = "contains text that is not valid Unicode (a lone surrogate), so HQ cannot store it"


def given_to(device: Any, session: dict[str, Any], reach: AbstractSet[str]) -> bool:
    """Whether a device receives a session and its register from HQ: it is a trainer the session names (a
    session planned elsewhere for them), or a training lead of the session's unit or a unit above it (`reach`:
    the device's unit and every unit under it, `units.reach`), who sees the unit's and its teams'."""
    trainers = session.get("trainers")
    named = isinstance(trainers, list) and device.trainer in trainers
    unit = session.get("unit_code")
    return named or (device.role in CORRECTING_ROLES and (unit == device.unit or unit in reach))
