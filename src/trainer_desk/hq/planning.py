"""Sessions planned at HQ for a unit's trainers.

A session planned here is the same record a laptop makes when it plans one (`core.wire`), with the people
expected booked on its register as absent until they come. HQ stores it as its own (`receipt.record_at_hq`), so
it reaches the laptops of the trainers it names, and of the unit's training lead, with their next sync; the
trainer's laptop then runs it like any planned session, and HQ accepts its changes because the session names
that trainer (`ownership`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import Attendance, AttendanceStatus, follow_up_due
from trainer_desk.core.booking_clash import Booked, PlanLengths, clashes, refuse_clashes
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.people import normalise_staff_number, written_name
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.sessions import (
    DeliveryMode,
    PlanRef,
    Session,
    SessionStatus,
    already_planned,
    booking_key,
    refuse_an_unlikely_start,
)
from trainer_desk.core.wire import attendance_to_wire, session_to_wire
from trainer_desk.hq import compliance, published, roster, schema, units
from trainer_desk.hq.completions import payload_object
from trainer_desk.hq.database import one_of, utc_now
from trainer_desk.hq.receipt import HQ_ITSELF, changed_at_hq, record_at_hq
from trainer_desk.hq.records import Delivery, live_sessions
from trainer_desk.sync.protocol import PushItem

BOOKED_BY = "HQ"  # who booked the expected people, as the register shows it


def published_plans(engine: Engine, blobs: Path) -> dict[str, PlanRef]:
    """The plans of the newest published content version, by id: the version trainers' laptops have."""
    return _refs(published.library(published.current(engine), blobs).plans)


def _refs(plans: Iterable[LessonPlan]) -> dict[str, PlanRef]:
    return {p.id: PlanRef(p.id, p.version, p.programme.id) for p in plans}


@dataclass(frozen=True, slots=True)
class Planned:
    session: Session
    expected: int
    # Trainers who were among the people expected, as "Name (number)": booked, they would show on the register
    # and the chase list as coming to learn it, and no longer outstanding, while they stand at the front.
    trainers_not_booked: tuple[str, ...] = ()


def plan_session(
    engine: Engine,
    blobs: Path,
    *,
    plan_id: str,
    starts_at: datetime,
    venue: str,
    unit: str,
    trainers: Sequence[str],
    expected: Sequence[str] = (),
    virtual: bool = False,
    wellbeing_contact: str = "",
    anyway: bool = False,
    accepted: Collection[str] = (),
    seen_by: AbstractSet[str] | None = None,
    booking_from: AbstractSet[str] | None = None,
) -> Planned:
    """Plan a session for `unit`'s `trainers` (staff numbers on HQ's roster) with `expected` people booked.
    Everything is checked before anything is stored, and a refusal names what is wrong. Someone named who is
    due at another planned session at an overlapping time is a refusal too (`booking_clash`), and so is someone
    booked who has completed the programme already or is exempt from it (`compliance.done_already`): one
    refusal for both, unless `anyway`, or unless they are all among `accepted` (those a person was shown and
    chose to plan anyway). `seen_by`: the
    units the person planning may see; a session of any other is named only as another unit's. `booking_from`:
    the units whose people they may book (None: anyone on the roster, for HQ's force-wide roles); anyone else
    is refused as someone unknown is, so the form tells a lead nothing of another BCU's roster."""
    plans = published.library(published.current(engine), blobs).plans  # read once: ids, and lengths for clashes
    offered = _refs(plans)
    plan = offered.get(plan_id.strip())
    if plan is None:
        known = ", ".join(sorted(offered)) or "none: publish the lesson plans first"
        raise FieldError("plan", f"No lesson plan '{plan_id}' in the published content (plans: {known}).")
    codes = {c.upper(): c for c in units.unit_codes(engine)}
    if (unit_code := codes.get(unit.strip().upper())) is None:
        raise FieldError("unit", f"Unknown unit '{unit}': one of {', '.join(sorted(codes.values()))}.")
    if not venue.strip():
        raise FieldError("venue", "Say where the session is: the venue.")
    if starts_at.tzinfo is None:
        raise FieldError("at", "Give the start with its time zone, or on this computer's clock.")
    now = utc_now()
    refuse_an_unlikely_start(starts_at, now)
    wanted = booking_key(plan.plan_id, unit_code, starts_at, venue)
    for held in live_sessions(engine):
        other = held.payload
        if other.get("status") == SessionStatus.PLANNED and _booking_of(other) == wanted:
            raise already_planned(held.uuid)
    trainer_numbers = list(dict.fromkeys(normalise_staff_number(t) for t in trainers))  # each once, as typed first
    if not trainer_numbers:
        raise FieldError("trainers", "Name at least one trainer, by staff number.")
    listed = list(dict.fromkeys(normalise_staff_number(n) for n in expected))
    booked = [n for n in listed if n not in trainer_numbers]
    on_roster = _on_roster(engine, unit_code, trainer_numbers + booked)
    if booking_from is not None and (
        outside := [n for n in booked if n not in on_roster or on_roster[n]["unit"] not in booking_from]
    ):
        raise FieldError(
            "expected",
            f"Not planned: no one with staff number {' or '.join(outside)} is on the roster in your units (correct "
            "the list, or add them on the day as walk-ins).",
        )
    if missing := [t for t in trainer_numbers if t not in on_roster]:
        raise FieldError(
            "trainers", f"Not planned: these trainers are not on the roster of this unit's force: {', '.join(missing)}."
        )
    if missing := [n for n in booked if n not in on_roster]:
        raise FieldError(
            "expected",
            "Not planned: these staff numbers are not on the roster of this unit's force (add them on the day as "
            f"walk-ins, or correct the list): {', '.join(missing)}.",
        )
    names = {n: written_name(r["forename"], r["surname"]) for n, r in on_roster.items()}
    if not anyway:
        lengths = PlanLengths.of(plans)
        due = _due(engine, lengths, seen_by)
        found = clashes(starts_at, lengths.length(plan.plan_id), {*trainer_numbers, *booked}, due)
        programme = next(p.programme for p in plans if p.id == plan.plan_id)
        rule = published.newest(engine, blobs).rules.get(programme.id) or ProgrammeRule(programme.id)
        done = compliance.done_already(engine, booked, programme.id, rule, force_clock.today(), programme.name)
        accepting = {normalise_staff_number(n) for n in accepted}
        refuse_clashes(found, names, accepting, done=done, programme=programme.name)
    session = Session(
        new_uuid(),
        plan,
        unit_code,
        " ".join(venue.split())[:200],
        DeliveryMode.VIRTUAL if virtual else DeliveryMode.IN_PERSON,
        starts_at,
        trainers=tuple(trainer_numbers),
        wellbeing_contact=" ".join(wellbeing_contact.split())[:200],
    )
    items = [PushItem("session", session.uuid, 1, None, "upsert", session_to_wire(session))]
    items += [_booking(session.uuid, starts_at, n, str(on_roster[n]["unit"]), now) for n in booked]
    record_at_hq(engine, items)
    left_off = tuple(f"{names[n]} ({n})" if names.get(n) else n for n in listed if n in trainer_numbers)
    return Planned(session, len(booked), left_off)


def _booking(session_uuid: str, starts_at: datetime, number: str, unit: str, now: datetime) -> PushItem:
    """Someone booked on a planned session's register, absent until they come: how HQ books anyone."""
    booking = Attendance(
        new_uuid(), session_uuid, number, unit, AttendanceStatus.ABSENT, now, BOOKED_BY, follow_up_due(starts_at.date())
    )
    return PushItem("attendance", booking.uuid, 1, None, "upsert", attendance_to_wire(booking))


def book_again(engine: Engine, staff_number: str, sessions: Sequence[Delivery]) -> int:
    """Book someone on these planned sessions again, as planning books them (an exemption that took them off
    was withdrawn); someone no longer on the roster is not booked. Returns how many bookings were made."""
    unit = roster.unit_of(engine, staff_number)
    if unit is None:
        return 0
    now = utc_now()
    items = [_booking(s.uuid, s.starts, staff_number, unit, now) for s in sessions if s.starts is not None]
    if items:
        record_at_hq(engine, items)
    return len(items)


def _due(engine: Engine, lengths: PlanLengths, seen_by: AbstractSet[str] | None) -> list[Booked]:
    """Everyone due at a planned session HQ holds (a laptop's or its own): its trainers and those booked on its
    register (not taken off it). A session of a unit outside `seen_by` is not described: a lead learns that
    someone is due elsewhere then, not where another unit trains."""
    planned: dict[str, tuple[datetime, int, str]] = {}
    due: list[Booked] = []
    for held in live_sessions(engine):
        payload = held.payload
        if payload.get("status") != SessionStatus.PLANNED or (key := _booking_of(payload)) is None:
            continue
        plan_id, starts = str(payload.get("plan_id", "")), key[2]
        said = lengths.session(plan_id, force_clock.shown(starts), str(payload.get("venue", "")))
        if seen_by is not None and str(payload.get("unit_code", "")) not in seen_by:
            said = f"another unit's session at {force_clock.shown(starts)}"
        planned[held.uuid] = (starts, lengths.length(plan_id), said)
        due += [Booked(str(t), *planned[held.uuid], as_trainer=True) for t in payload.get("trainers") or []]
    if planned:
        records = schema.records.c
        with engine.connect() as conn:
            rows = conn.execute(
                select(records.session_uuid, records.payload).where(
                    records.entity == "attendance",
                    records.deleted.is_(False),
                    one_of(conn, records.session_uuid, sorted(planned)),
                )
            )
            for r in rows:
                number = str(payload_object(r.payload).get("staff_number") or "")
                if number:
                    due.append(Booked(number, *planned[str(r.session_uuid)]))
    return due


def cancel_session(engine: Engine, session_uuid: str, seen_version: int) -> dict[str, Any]:
    """Cancel a session that has not started, as a laptop cancels one (`store.planning.cancel`): a newer
    version of it with the status cancelled, which reaches its trainers' laptops and the unit's lead's at their
    next sync, so no one turns up to deliver it and it is no longer counted as planned. `seen_version` is the
    version the person saw: a session a laptop changed since (started it, moved it) is not cancelled blind."""
    held = next((s for s in live_sessions(engine) if s.uuid == session_uuid), None)
    if held is None:
        raise UserFacingError("There is no such session at HQ.")
    refuse_uncancellable(str(held.payload.get("status", "")))
    version = int(held.payload.get("version") or seen_version)
    cancelled = {**held.payload, "status": SessionStatus.CANCELLED.value, "version": version + 1}
    item = PushItem("session", session_uuid, version + 1, version, "upsert", cancelled)
    if version != seen_version or not changed_at_hq(engine, item):
        raise UserFacingError("The session changed while you looked at it: look at it again before cancelling.")
    return cancelled


def refuse_uncancellable(status: str) -> None:
    """Only a planned session can be cancelled: said on the cancel page before a reason is typed, and again if
    the form is sent anyway."""
    if status == SessionStatus.CANCELLED:
        raise UserFacingError("This session is cancelled already: see its page for when, by whom and why.")
    if status != SessionStatus.PLANNED:
        raise UserFacingError(f"Only a session that has not started can be cancelled: this one is {status}.")


def _booking_of(payload: dict[str, Any]) -> tuple[str, str, datetime, str] | None:
    """The booking a stored session's payload describes; None for one too damaged to compare."""
    try:
        starts = datetime.fromisoformat(str(payload.get("starts_at")))
        return booking_key(str(payload["plan_id"]), str(payload["unit_code"]), starts, str(payload.get("venue", "")))
    except (KeyError, ValueError, TypeError):
        return None


def list_sessions(engine: Engine, unit: str | None = None) -> list[dict[str, Any]]:
    """Every session HQ holds (planned here or on any laptop), soonest last, optionally for one unit."""
    found = [{**s.payload, "planned_at_hq": s.created_by == HQ_ITSELF} for s in live_sessions(engine)]
    wanted = unit.strip().upper() if unit else None
    found = [s for s in found if wanted is None or str(s.get("unit_code", "")) == wanted]
    return sorted(found, key=lambda s: str(s.get("starts_at", "")))


def _on_roster(engine: Engine, unit: str, numbers: list[str]) -> dict[str, Any]:
    """Those of `numbers` on the roster of `unit`'s force. Where HQ serves several forces, a session of one is
    trained, booked and seen by that force alone: its trainer's laptop would never receive it, and its
    register would show another force's people to this one. Someone of another force is refused as a number
    nobody has is, so the refusal tells no one who is on another force's roster."""
    if not numbers:
        return {}
    roster = schema.roster
    with engine.connect() as conn:
        force = units.force_of(conn, unit, units.tree_seq(conn))
        return {
            r.staff_number: r._mapping
            for r in conn.execute(
                select(roster.c.staff_number, roster.c.unit, roster.c.forename, roster.c.surname).where(
                    one_of(conn, roster.c.staff_number, numbers), roster.c.removed.is_(False)
                )
            )
            if force.holds(r.unit)
        }
