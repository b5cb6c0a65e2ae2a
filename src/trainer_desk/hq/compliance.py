"""Who has completed what, at HQ: the figures of `compliance-summary` and of the console, all counted from the
completions table (`completions`), where each registration credits one person (`completions.credited_to`) and
counts when present or late, and not deleted. The console's readers count the table as it stands: each request
has done its share of keeping it up first (`completions.catch_up_for_reading`)."""

from __future__ import annotations

import json
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Engine, Row, and_, func, or_, select

from trainer_desk.core import force_clock
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.compliance_count import ExemptionKind, RosterEntry
from trainer_desk.core.people import written_name
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.sessions import SessionStatus, was_delivered
from trainer_desk.hq import exemptions, schema, session_labels, units
from trainer_desk.hq.completions import Resolution, catch_up_for_reading, payload_object, resolutions
from trainer_desk.hq.database import one_of
from trainer_desk.hq.exemptions import Excused
from trainer_desk.hq.records import deliveries

RECENT_SESSIONS = 30  # sessions listed on a page


@dataclass(frozen=True, slots=True)
class Person:
    staff_number: str
    name: str
    unit: str
    team: str
    role: str
    rank: str
    standing: str = ""  # how pressing it is for them: overdue, due soon, due DATE (a joiner's own date)


def programmes(engine: Engine) -> list[str]:
    """Every programme someone has completed at HQ. Read by skipping along the index from one programme to the
    next: a handful of lookups, where DISTINCT would read every completion in the country."""
    c = schema.people_completed
    found: list[str] = []
    with engine.connect() as conn:
        while (
            following := conn.execute(
                select(func.min(c.c.programme_id)).where(c.c.programme_id > (found[-1] if found else ""))
            ).scalar()
        ) is not None:
            found.append(str(following))
    return found


def audience(rule: ProgrammeRule) -> ColumnElement[bool]:
    """The roster rows who must complete the programme, as a condition on the roster table."""
    roster = schema.roster
    conditions = [roster.c.removed.is_(False)]
    if rule.roles:
        conditions.append(roster.c.role.in_(sorted(rule.roles)))
    if rule.ranks:
        conditions.append(func.lower(func.trim(func.coalesce(roster.c.rank, ""))).in_(sorted(rule.ranks)))
    return and_(*conditions)


def still_valid(rule: ProgrammeRule, today: date) -> ColumnElement[bool]:
    """Completions that still count today: all of them, unless the programme must be refreshed."""
    valid_from = rule.valid_from(today)
    done = schema.people_completed
    return (
        done.c.last_completed >= force_clock.day_start(valid_from) if valid_from else done.c.last_completed.isnot(None)
    )


def completed(programme: str, rule: ProgrammeRule, today: date, excused: Excused) -> ColumnElement[bool]:
    """Roster rows who count as having completed the programme today: a completion that still counts, or
    an exemption saying they completed it another way. What the chase list, its CSV and the dashboard count."""
    roster, done = schema.roster, schema.people_completed
    registered = (
        select(done.c.staff_number)
        .where(done.c.staff_number == roster.c.staff_number, done.c.programme_id == programme, still_valid(rule, today))
        .exists()
    )
    return or_(registered, excused.completed_another_way(roster.c.staff_number))


def outstanding(
    engine: Engine, units: AbstractSet[str], programme: str, rule: ProgrammeRule, today: date, team: str = ""
) -> tuple[int, list[Person]]:
    """How many in the units (a unit and those under it: a force's page counts its BCUs' people), or in one of
    their teams, must complete the programme, and those of them who have not (the chase list), by name: the
    programme's audience less those exempt, and a completion only while it still counts (or one another way),
    as the Reports download counts them."""
    roster = schema.roster
    excused = exemptions.for_programme(engine, programme)
    in_scope = and_(
        audience(rule),
        excused.counted(roster.c.staff_number),
        roster.c.unit.in_(sorted(units)),
        *([roster.c.team == team] if team else []),
    )
    with engine.connect() as conn:
        size = conn.execute(select(func.count()).where(in_scope)).scalar_one()
        people = [
            Person(e.staff_number, e.name, e.unit_code, e.team, e.role, e.rank, rule.standing(today, e.joined))
            for e in map(
                roster_entry,
                conn.execute(
                    select(roster)
                    .where(in_scope, ~completed(programme, rule, today, excused))
                    .order_by(func.lower(roster.c.surname), func.lower(roster.c.forename))  # 'ap Gwilym' among As
                ),
            )
        ]
    return int(size), people


def done_already(
    engine: Engine, numbers: Collection[str], programme: str, rule: ProgrammeRule, today: date, called: str = "it"
) -> dict[str, str]:
    """Of `numbers`, those a session of the programme would book for nothing, with what they did as a person
    reads it ("completed Signa on 23 Nov 2026", "is exempt from Signa": the programme `called` so): a completion
    that still counts today, or an exemption, as the chase list counts them. Planning names them before booking
    them, so that no one completes twice by mistake."""
    if not numbers:
        return {}
    catch_up_for_reading(engine)
    excused = exemptions.for_programme(engine, programme)
    done = schema.people_completed
    found: dict[str, str] = {}
    with engine.connect() as conn:
        for r in conn.execute(
            select(done.c.staff_number, done.c.last_completed).where(
                one_of(conn, done.c.staff_number, sorted(numbers)),
                done.c.programme_id == programme,
                still_valid(rule, today),
            )
        ):
            found[str(r.staff_number)] = f"completed {called} on {force_clock.shown_day(r.last_completed)}"
    for number in numbers:
        kind = excused.kinds.get(number)
        if kind is ExemptionKind.EXEMPT:
            found[number] = f"is exempt from {called}"
        elif kind is ExemptionKind.OTHER_WAY and number not in found:
            found[number] = f"completed {called} another way"
    return found


def roster_entry(row: Row[Any]) -> RosterEntry:
    """A row of HQ's roster as compliance is counted from it: named as people write the name, and its joining
    date a date (none where HR gave none, or one no date reads as)."""
    try:
        joined = date.fromisoformat(str(row.joined)) if row.joined else None
    except ValueError:
        joined = None
    name = written_name(row.forename, row.surname)
    return RosterEntry(row.staff_number, name, row.unit, row.team or "", row.role, row.rank or "", joined)


def booked(engine: Engine, programme_id: str, today: date) -> dict[str, date]:
    """Who is on the register (and not taken off it) of a session of the programme planned from today, and its
    first day: a planned session whose day has passed was not held, and books nobody. The chase lists (the
    Reports download and a unit's page and CSV) say so beside each person, so nobody is chased for nothing."""
    planned = {
        s.uuid: day
        for s in deliveries(engine)
        if s.programme == programme_id and s.status == "planned" and s.starts is not None
        if (day := force_clock.local(s.starts).date()) >= today
    }
    if not planned:
        return {}
    records = schema.records.c
    booked: dict[str, date] = {}
    with engine.connect() as conn:
        for r in conn.execute(
            select(records.session_uuid, records.payload).where(
                records.entity == "attendance",
                records.deleted.is_(False),
                one_of(conn, records.session_uuid, sorted(planned)),
            )
        ):
            number = str(payload_object(r.payload).get("staff_number") or "")
            if number:
                day = planned[str(r.session_uuid)]
                booked[number] = min(day, booked.get(number, day))
    return booked


@dataclass(frozen=True, slots=True)
class SessionsPage:
    """Sessions newest first by start, and the last one's id where earlier ones remain (for 'Earlier sessions')."""

    sessions: list[dict[str, Any]]
    earlier: str | None


def sessions_in(
    engine: Engine,
    units: AbstractSet[str],
    limit: int = RECENT_SESSIONS,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    before: str = "",
) -> SessionsPage:
    """These units' sessions by start, newest first, at most `limit`: those starting on `first_day` to
    `last_day` (days on the force's clocks), and after the session `before` when paging back. One query on the
    start's index with a LIMIT, however many sessions HQ holds; one more row is read to know if any remain."""
    records = schema.records.c
    where = [records.entity == "session", records.deleted.is_(False)]
    if first_day is not None:
        where.append(records.session_starts >= force_clock.day_start(first_day))
    if last_day is not None:
        where.append(records.session_starts < force_clock.day_start(last_day + timedelta(days=1)))
    with engine.connect() as conn:
        where.append(one_of(conn, records.session_unit, sorted(units)))
        if before:
            then = conn.execute(
                select(records.session_starts).where(records.entity == "session", records.uuid == before)
            ).scalar()
            if then is not None:
                where.append(
                    or_(records.session_starts < then, and_(records.session_starts == then, records.uuid < before))
                )
        rows = conn.execute(
            select(records.uuid, records.payload)
            .where(*where)
            .order_by(records.session_starts.desc(), records.uuid.desc())
            .limit(limit + 1)
        ).all()
    found = [p for r in rows[:limit] if isinstance(p := json.loads(r.payload), dict)]
    return SessionsPage(found, rows[limit - 1].uuid if len(rows) > limit else None)


def session_at_hq(engine: Engine, session_uuid: str) -> dict[str, Any] | None:
    records = schema.records
    with engine.connect() as conn:
        payload = conn.execute(
            select(records.c.payload).where(
                records.c.entity == "session", records.c.uuid == session_uuid, records.c.deleted.is_(False)
            )
        ).scalar()
    found = json.loads(payload) if payload else None
    return found if isinstance(found, dict) else None


def register_of(engine: Engine, session_uuid: str, rule: ProgrammeRule | None = None) -> list[dict[str, Any]]:
    """One session's registrations, through the session column (never a scan of every registration), each
    named (and placed in a unit) as its session's force has them on its roster, or by the name the trainer
    typed for a walk-in; and for a walk-in, what became of it at HQ (`walk_in_state`), so a lead can trace why
    someone counts.

    Given the programme's `rule`, on a session still planned, a booking whose person has a completion of the
    programme that counts today (made at another session, as this one has not been held) has its day as
    `completed_elsewhere`: a completion that arrives by sync after the booking leaves them booked for nothing,
    which planning and exemptions could not have seen. One query more, for the whole register."""
    session = session_at_hq(engine, session_uuid) or {}
    unit = str(session.get("unit_code", ""))
    with engine.connect() as conn:
        found = conn.execute(
            select(schema.records.c.uuid, schema.records.c.payload).where(
                schema.records.c.session_uuid == session_uuid,
                schema.records.c.entity == "attendance",
                schema.records.c.deleted.is_(False),
            )
        ).all()
        rows = [{**json.loads(r.payload), "uuid": r.uuid} for r in found]
        resolved = resolutions(conn, [str(r["uuid"]) for r in rows if r.get("walk_in")])
        numbers = [str(r.get("staff_number", "")) for r in rows]
        numbers += [str(m.staff_number) for m in resolved.values() if m.staff_number]
        c = schema.completions.c
        credited = frozenset(
            conn.execute(select(c.staff_number).where(c.session_uuid == session_uuid, c.staff_number != "")).scalars()
        )
        people = units.people_in_force(conn, numbers, unit, credited)
        elsewhere: dict[str, str] = {}
        if rule is not None and session.get("status") == SessionStatus.PLANNED:
            booked_numbers = sorted({str(r["staff_number"]) for r in rows if _booked(r)})
            elsewhere = _completed_elsewhere(conn, booked_numbers, str(session.get("programme_id", "")), rule)
    names = {number: person[0] for number, person in people.items()}
    for r in rows:
        number = str(r.get("staff_number", ""))
        r["name"] = names.get(number) or str(r.get("walk_in_name", "")) or "?"
        if number in people:  # someone on HQ's roster is shown in the unit they count under there
            r["unit_code"] = people[number][1]
        if number in elsewhere and _booked(r):
            r["completed_elsewhere"] = elsewhere[number]
        if r.get("walk_in"):
            resolution = resolved.get(str(r["uuid"]))
            r["walk_in_state"] = _walk_in_state(resolution, number in names, names)
            r["walk_in_outcome"] = (
                "dismissed"
                if resolution is not None and resolution.dismissed
                else "counts"
                if resolution is not None or number in names
                else "open"
            )
    # By surname, as the chase list and the printed sheets are; a walk-in HQ has no roster entry for, by the
    # name the trainer typed.
    return sorted(
        rows,
        key=lambda r: people[n][2] if (n := str(r.get("staff_number", ""))) in people else str(r["name"]).casefold(),
    )


def _booked(line: dict[str, Any]) -> bool:
    """A line of a planned session's register that books someone on the roster: absent until they come."""
    return bool(line.get("staff_number")) and not line.get("walk_in") and line.get("status") == AttendanceStatus.ABSENT


def _completed_elsewhere(conn: Connection, numbers: list[str], programme: str, rule: ProgrammeRule) -> dict[str, str]:
    """Of `numbers`, those with a completion of `programme` that counts today, with its day as the console
    shows a day ("20 Nov 2026"): one query, however many are booked."""
    if not numbers:
        return {}
    done = schema.people_completed.c
    return {
        str(r.staff_number): force_clock.shown_day(r.last_completed)
        for r in conn.execute(
            select(done.staff_number, done.last_completed).where(
                one_of(conn, done.staff_number, numbers),
                done.programme_id == programme,
                still_valid(rule, force_clock.today()),
            )
        )
    }


def _walk_in_state(resolution: Resolution | None, on_roster: bool, names: dict[str, str]) -> str:
    if resolution is not None and resolution.staff_number:
        return f"{resolution.describe()}: {names.get(resolution.staff_number, '')}".rstrip(": ")
    if resolution is not None:
        return resolution.describe()
    return "counts for them: on the roster" if on_roster else "to be looked into at HQ"


SIX_MONTHS = 183  # days: a trainer who has not delivered for longer is flagged, to be asked whether they still can


def trainers(engine: Engine, units: AbstractSet[str], today: date) -> list[dict[str, Any]]:
    """Each trainer named on a delivered session (not planned or cancelled) for these units: sessions, hours
    and the last one, with those who have not delivered for six months flagged."""
    found: dict[str, dict[str, Any]] = {}
    named_in: dict[str, set[str]] = {}  # unit -> its sessions' trainers, each named from that unit's force
    for session in deliveries(engine):
        if session.unit not in units or not was_delivered(session.status) or session.starts is None:
            continue
        for number in session.trainers:
            entry = found.setdefault(number, {"trainer": number, "sessions": 0, "hours": 0.0, "last": session.starts})
            entry["sessions"] += 1
            entry["hours"] += session.hours
            entry["last"] = max(entry["last"], session.starts)
            named_in.setdefault(session.unit, set()).add(number)
    with engine.connect() as conn:
        names = session_labels.trainer_names(conn, named_in)
    for entry in found.values():
        entry["name"] = names.get(entry["trainer"], "")
        last = force_clock.local(entry["last"]).date()
        entry["idle"] = (today - last).days > SIX_MONTHS
        entry["hours"] = round(entry["hours"], 1)
        entry["last"] = force_clock.day_text(last)
    return sorted(found.values(), key=lambda e: (not e["idle"], not e["name"], e["name"].casefold(), e["trainer"]))
