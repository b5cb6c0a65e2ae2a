"""The attendance sheet, sign-in sheet and compliance report built from HQ's records, as the same plain values
(`core.reports`) the laptop builds from its own, so that one set of writers (`trainer_desk.export`) prints both
and a lead's sheet looks the same whichever door it came through.

What participants wrote stays anonymous here as in the console and on laptops, by the one rule all of them
follow (`core.feedback_privacy`): no feedback figure rests on fewer than `MIN_ANSWERS` answers, and reasons
for "no" are given only where the caller may read them, and only from sessions with at least that many
answers."""

from __future__ import annotations

import json
from collections.abc import Set as AbstractSet
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select

from trainer_desk.core import compliance_count, feedback_privacy
from trainer_desk.core.attendance import SELF_SIGN_IN, read_status
from trainer_desk.core.compliance_count import Excusals, audience_in_words
from trainer_desk.core.feedback_privacy import CountedForm
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.reports import (
    ComplianceReport,
    FeedbackSummary,
    Letterhead,
    SessionSheet,
    SheetLine,
    TrainerHours,
)
from trainer_desk.core.sessions import refuse_if_cancelled, was_delivered
from trainer_desk.core.unit_tree import UnitNode, force_for, force_of_each, forces_above, forces_in_words, has_forces
from trainer_desk.hq import compliance, exemptions, force_clock, published, schema, session_labels
from trainer_desk.hq import units as hq_units
from trainer_desk.hq.completions import catch_up
from trainer_desk.hq.compliance import roster_entry
from trainer_desk.hq.records import Delivery, deliveries, when

PROTECTIVE_MARKING = "OFFICIAL-SENSITIVE"  # rosters and registers are police workforce data
NO_FORCE_NAME = "Trainer Desk HQ"  # until content with a force.toml naming the force is published


def letterhead(content: published.Content, tree: list[UnitNode], codes: AbstractSet[str]) -> Letterhead:
    """The force of the units the page is about, as the unit tree names it (the name a laptop of that force
    prints on the same sheet); the published content's name only where the tree names no force."""
    return Letterhead(force_for(tree, codes, content.force_name, NO_FORCE_NAME), PROTECTIVE_MARKING)


def force_name(engine: Engine, blobs: Path, codes: AbstractSet[str]) -> str:
    """The force a page or mail about `codes` speaks for (see `letterhead`)."""
    return force_for(hq_units.unit_nodes(engine), codes, published.newest(engine, blobs).force_name, NO_FORCE_NAME)


def everyone_in_words(engine: Engine, codes: AbstractSet[str]) -> str:
    """What a report on all of `codes` is for: 'the whole force' on one force's HQ; where they span several,
    the forces by name (two or three) or 'all forces'."""
    tree = hq_units.unit_nodes(engine)
    forces = forces_above(tree, codes) if has_forces(tree) else []
    return forces_in_words(forces) if len(forces) > 1 else "the whole force"


def session_sheet(engine: Engine, blobs: Path, session: dict[str, Any], *, sign_in: bool) -> SessionSheet:
    """One session's register as printed for the unit's records; a sign-in sheet lists those booked, for
    people to sign on the day, without anyone's mark."""
    refuse_if_cancelled(str(session.get("status", "")))
    content = published.newest(engine, blobs)
    known = session_labels.labels(engine, blobs)
    lines = tuple(
        SheetLine(
            staff_number=str(r.get("staff_number", "")),
            name=str(r["name"]),
            unit=known.unit(r.get("unit_code")),
            status=None if sign_in else read_status(r.get("status")),
            marked_at=None if sign_in else when(r.get("marked_at")),
            walk_in=r.get("walk_in") is True,
            signed_in_themselves=r.get("recorded_by") == SELF_SIGN_IN,
            walk_in_outcome=str(r.get("walk_in_outcome", "")),
        )
        for r in compliance.register_of(engine, str(session["uuid"]))
        if not (sign_in and r.get("walk_in") is True)
    )
    unit = str(session.get("unit_code", ""))
    with engine.connect() as conn:
        trainer_names = session_labels.trainer_names(conn, {unit: [str(t) for t in session.get("trainers") or []]})
    return SessionSheet(
        letterhead=letterhead(content, hq_units.unit_nodes(engine), {unit}),
        programme=known.programme(session),
        plan_title=known.plan(session),
        plan_version=str(session.get("plan_version", "")),
        unit=known.unit(unit),
        starts_at=when(session.get("starts_at")) or datetime.now(UTC),
        ends_at=when(session.get("ends_at")),
        venue=str(session.get("venue", "")),
        mode=str(session.get("mode", "")),
        trainers=tuple(session_labels.trainers_in_words(session, trainer_names)),
        lines=lines,
        zone=force_clock.FORCE_TIME_ZONE,
        delivered=was_delivered(str(session.get("status", ""))),
    )


def compliance_report(
    engine: Engine,
    blobs: Path,
    programme_id: str,
    units: AbstractSet[str],
    scope: str,
    date_from: date,
    date_to: date,
    *,
    reasons: bool,
) -> ComplianceReport:
    """Completion against HQ's roster for the people in `units`, counted as the laptop counts it
    (`compliance_count.count`) with the programme's published rules; `scope` is what the report calls them."""
    catch_up(engine)
    content = published.newest(engine, blobs)
    rule = content.rules.get(programme_id) or ProgrammeRule(programme_id)
    plans = [p for p in content.library.plans if p.programme.id == programme_id]
    end = force_clock.day_start(date_to + timedelta(days=1))
    valid_from = rule.valid_from(date_to)
    roster, c = schema.roster, schema.completions
    wanted = sorted(units)
    with engine.connect() as conn:
        people = [
            roster_entry(r)
            for r in conn.execute(
                select(roster)
                .where(roster.c.removed.is_(False), roster.c.unit.in_(wanted))
                .order_by(roster.c.unit, func.lower(roster.c.surname), func.lower(roster.c.forename))
            )
        ]
        done_query = select(c.c.staff_number).where(
            c.c.programme_id == programme_id, c.c.counts.is_(True), c.c.session_starts_at < end
        )
        if valid_from is not None:
            done_query = done_query.where(c.c.session_starts_at >= force_clock.day_start(valid_from))
        done = set(conn.execute(done_query.distinct()).scalars())
    unit_names = session_labels.labels(engine, blobs).unit_names
    tree = hq_units.unit_nodes(engine)
    # Each unit counts those under it, as the dashboard and the laptop's report count it: a BCU's row is its
    # teams' people too, with its teams set under it.
    counted = compliance_count.count(
        people, rule, done, _exemptions(engine, programme_id), unit_names, force_clock.today(),
        compliance.booked(engine, programme_id, force_clock.today()), tree=tree, scope=units,
        forces=force_of_each(tree, units),
    )  # fmt: skip
    begins, ends = force_clock.day_begins(date_from), force_clock.day_begins(date_to + timedelta(days=1))
    held = [
        s
        for s in deliveries(engine)
        if s.programme == programme_id and s.unit in units and s.status != "cancelled" and s.starts is not None
        if begins <= s.starts < ends  # the period's days on the force's clocks
    ]
    # Sessions and trainers' hours count only those delivered, as the dashboard and trainer list count them
    # (`dashboard.activity`, `compliance.trainers`): one still planned has not been. Feedback is read from
    # every session not cancelled, as on the laptop: a form filled in says the room met.
    delivered = [s for s in held if was_delivered(s.status)]
    objectives = {o.id: o.text for p in plans for o in p.objectives}
    return ComplianceReport(
        letterhead=letterhead(content, tree, units),
        programme=plans[0].programme.name if plans else programme_id,
        scope=scope,
        date_from=date_from,
        date_to=date_to,
        units=counted.units,
        teams=counted.teams,
        outstanding=counted.outstanding,
        trainers=_trainer_hours(engine, delivered),
        feedback=_feedback(engine, [s.uuid for s in held], objectives, reasons=reasons),
        sessions_delivered=len(delivered),
        generated_at=datetime.now(UTC),
        basis="HQ's records: every registration HQ has received.",
        excused=counted.excused,
        audience=audience_in_words(rule),
    )


def _trainer_hours(engine: Engine, sessions: list[Delivery]) -> tuple[TrainerHours, ...]:
    found: dict[str, list[float]] = {}
    named_in: dict[str, set[str]] = {}  # unit -> its sessions' trainers, each named from that unit's force
    for session in sessions:
        for trainer in session.trainers:
            entry = found.setdefault(trainer, [0, 0.0])
            entry[0] += 1
            entry[1] += session.hours
            named_in.setdefault(session.unit, set()).add(trainer)
    with engine.connect() as conn:
        names = session_labels.trainer_names(conn, named_in)
    return tuple(
        TrainerHours(number, int(n), round(hours, 2), names.get(number, ""))
        for number, (n, hours) in sorted(found.items(), key=lambda item: (-item[1][0], item[0]))
    )


def _feedback(
    engine: Engine, session_uuids: list[str], objective_texts: dict[str, str], *, reasons: bool
) -> FeedbackSummary:
    records = schema.records
    forms: list[tuple[str, dict[str, Any]]] = []
    with engine.connect() as conn:
        for start in range(0, len(session_uuids), 500):
            forms += [
                (r.session_uuid, json.loads(r.payload))
                for r in conn.execute(
                    select(records.c.session_uuid, records.c.payload).where(
                        records.c.entity == "feedback",
                        records.c.deleted.is_(False),
                        records.c.session_uuid.in_(session_uuids[start : start + 500]),
                    )
                )
            ]
    counted = [_counted(s, f) for s, f in forms if isinstance(f, dict)]
    return feedback_privacy.summarise(counted, objective_texts, lambda _: reasons)


def _counted(session_uuid: str, form: dict[str, Any]) -> CountedForm:
    """A form as HQ holds it, with only the answers it may count (an impossible score is no answer)."""
    answer = form.get("would_recommend")
    ratings = tuple(
        (
            str(rating.get("objective_id", "")),
            rating["before"] if _score(rating.get("before")) else None,
            rating["after"] if _score(rating.get("after")) else None,
        )
        for rating in form.get("ratings") or []
        if isinstance(rating, dict)
    )
    return CountedForm(
        session_uuid, answer if isinstance(answer, bool) else None, str(form.get("reason_not", "")), ratings
    )


def _exemptions(engine: Engine, programme_id: str) -> Excusals:
    """Who is excused from the programme, and why, read where the console's chase list and dashboard read it
    (`exemptions.for_programme`), so the report and the console agree on who is excused."""
    excused = exemptions.for_programme(engine, programme_id)
    return Excusals(excused.kinds, excused.reasons)


def _score(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
