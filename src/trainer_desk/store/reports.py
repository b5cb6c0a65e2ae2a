"""The queries behind the reports: a session's sheet, and compliance for a unit or the force.

Compliance runs over the whole attendance history, so it leans on the unit and programme carried on each
attendance row and on indexes that let SQLite answer from them alone.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from trainer_desk.core import compliance_count, feedback_privacy, force_clock
from trainer_desk.core.attendance import SELF_SIGN_IN
from trainer_desk.core.compliance_count import RosterEntry, audience_in_words
from trainer_desk.core.feedback_privacy import CountedForm
from trainer_desk.core.people import written_name
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.reports import (
    ComplianceReport,
    Letterhead,
    SessionSheet,
    SheetLine,
    TrainerHours,
)
from trainer_desk.core.sessions import DELIVERED_SQL, Session, refuse_if_cancelled, was_delivered
from trainer_desk.core.unit_tree import within
from trainer_desk.store import attendance, completions, exemptions, units
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import enrolled_hq

_IN_UNITS = "(SELECT value FROM json_each(:units))"  # the codes a report on a unit covers


def session_sheet(
    db: Database, session: Session, letterhead: Letterhead, programme: str, plan_title: str, expected_only: bool = False
) -> SessionSheet:
    refuse_if_cancelled(session.status)
    unit_names = {u.code: u.name for u in units.list_units(db)}
    corrected = {c[0] for c in attendance.corrections(db, session.uuid)}
    lines = tuple(
        SheetLine(
            staff_number=line.attendance.staff_number,
            name=line.name,
            unit=unit_names.get(line.attendance.unit_code, line.attendance.unit_code),
            status=None if expected_only else line.attendance.status,
            marked_at=None if expected_only else line.attendance.marked_at,
            walk_in=line.attendance.walk_in,
            signed_in_themselves=line.attendance.recorded_by == SELF_SIGN_IN,
            corrected=line.attendance.staff_number in corrected,
        )
        for line in attendance.register(db, session.uuid)
        if not (expected_only and line.attendance.walk_in)
    )
    trainer_names = []
    for number in session.trainers:
        row = db.execute(
            "SELECT written_name(forename, surname) FROM people WHERE staff_number = ?", [number]
        ).fetchone()
        trainer_names.append(f"{row[0]} ({number})" if row else number)
    return SessionSheet(
        letterhead=letterhead,
        programme=programme,
        plan_title=plan_title,
        plan_version=session.plan.version,
        unit=unit_names.get(session.unit_code, session.unit_code),
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        venue=session.venue,
        mode=session.mode.value,
        trainers=tuple(trainer_names),
        lines=lines,
        delivered=was_delivered(session.status),
    )


def _booked(db: Database, programme_id: str, today: date) -> dict[str, date]:
    """Who is booked on a session of the programme planned from today, and the first such day: a planned
    session whose day has passed was not held, and books nobody."""
    rows = db.execute(
        "SELECT a.staff_number, s.starts_at FROM attendance a JOIN sessions s ON s.uuid = a.session_uuid"
        " WHERE s.programme_id = ? AND s.status = 'planned' AND s.deleted = 0 AND a.deleted = 0"
        " AND a.status = 'absent'",
        [programme_id],
    )
    booked: dict[str, date] = {}
    for number, starts in rows:
        if (day := force_clock.local(datetime.fromisoformat(starts)).date()) >= today:
            booked[number] = min(day, booked.get(number, day))
    return booked


def compliance(
    db: Database,
    letterhead: Letterhead,
    programme_id: str,
    programme_name: str,
    unit_code: str | None,
    date_from: date,
    date_to: date,
    objective_texts: dict[str, str] | None = None,
    rule: ProgrammeRule | None = None,
) -> ComplianceReport:
    """Completion against the roster, who is outstanding, trainers' hours and what the feedback said.

    Only the programme's audience is counted (`rule`; without one, everyone on the roster); a completion counts
    whenever it happened while it is still valid at the end of the period; people exempt or who completed it
    another way are listed apart and never chased."""
    rule = rule or ProgrammeRule(programme_id)
    # The period is in the force's days, as HQ counts it, whatever this laptop's clock is set to: a session at
    # 00:30 in summer time belongs to that day (and month), not to the UTC day before.
    start = force_clock.day_start(date_from)
    end = force_clock.day_start(date_to + timedelta(days=1))
    # A unit covers itself and every unit under it in HQ's tree: a BCU's report counts its teams' people and
    # sessions, as HQ's console does. Without a tree, a unit is only itself.
    tree = units.tree(db)
    scope = within(tree, unit_code) if unit_code else None
    params = {
        "programme": programme_id,
        "units": json.dumps(sorted(scope or ())),
        "start": start,
        "end": end,
    }
    # Everyone who has completed it by the end of the period, whenever they did, on any laptop HQ has heard
    # from: last year's completion still counts in this year's report.
    valid_from = rule.valid_from(date_to)
    done = completions.completed_before(db, programme_id, end, force_clock.day_start(valid_from) if valid_from else "")
    today = force_clock.today()
    unit_names = {u.code: u.name for u in units.list_units(db)}
    counted = compliance_count.count(
        (
            RosterEntry(
                number, written_name(fore, sur), code, team, role, rank, date.fromisoformat(joined) if joined else None
            )
            for number, fore, sur, code, team, role, rank, joined in db.execute(
                "SELECT staff_number, forename, surname, unit_code, team, role, rank, joined FROM people"
                " WHERE removed = 0"
                + (f" AND unit_code IN {_IN_UNITS}" if unit_code else "")
                + " ORDER BY unit_code, lower(surname), lower(forename)",  # "ap Gwilym" among the As, as at HQ
                params,
            )
        ),
        rule,
        done,
        exemptions.for_programme(db, programme_id),
        unit_names,
        today,
        _booked(db, programme_id, today),
        tree,
        scope,
    )
    # Sessions and trainers' hours count only those delivered: one still planned has not been, by the rule HQ's
    # dashboard and trainer list count by, so the laptop's report, HQ's and the dashboard give one figure.
    # Feedback is read from every session not cancelled: a form filled in says the room met.
    session_filter = (
        "s.programme_id = :programme AND s.deleted = 0 AND s.status != 'cancelled'"
        " AND s.starts_at >= :start AND s.starts_at < :end" + (f" AND s.unit_code IN {_IN_UNITS}" if unit_code else "")
    )
    delivered_filter = f"{session_filter} AND s.{DELIVERED_SQL}"
    trainers = tuple(
        TrainerHours(number, count, round(seconds / 3600, 2), name or "")
        for number, count, seconds, name in db.execute(
            "SELECT t.staff_number, count(*),"
            " sum(max(coalesce(strftime('%s', s.ends_at) - strftime('%s', s.starts_at), 0), 0)),"
            " max(written_name(p.forename, p.surname))"
            f" FROM session_trainers t JOIN sessions s ON s.uuid = t.session_uuid"
            f" LEFT JOIN people p ON p.staff_number = t.staff_number WHERE {delivered_filter}"
            " GROUP BY t.staff_number ORDER BY count(*) DESC, t.staff_number",
            params,
        )
    )
    delivered = db.execute(f"SELECT count(*) FROM sessions s WHERE {delivered_filter}", params).fetchone()[0]
    feedback = feedback_privacy.summarise(
        _forms(db, session_filter, params),
        objective_texts or {},
        lambda form: form.taken_here,  # a laptop reads the reasons only of the forms filled in on it
        only_this_laptop=enrolled_hq(db) is not None,
    )
    return ComplianceReport(
        letterhead=letterhead,
        programme=programme_name,
        scope=unit_names.get(unit_code, unit_code) if unit_code else "the whole force",
        date_from=date_from,
        date_to=date_to,
        units=counted.units,
        teams=counted.teams,
        outstanding=counted.outstanding,
        trainers=trainers,
        feedback=feedback,
        sessions_delivered=int(delivered),
        generated_at=force_clock.local(datetime.now(UTC)),
        basis=completions.basis(db, datetime.now(UTC)),
        excused=counted.excused,
        audience=audience_in_words(rule),
    )


def _forms(db: Database, session_filter: str, params: Mapping[str, object]) -> list[CountedForm]:
    """The forms of the sessions in the report, each with its answers and where it came from (NULL is "no
    answer" and stays None)."""
    ratings: dict[str, list[tuple[str, int | None, int | None]]] = {}
    for uuid, objective_id, before, after in db.execute(
        "SELECT r.feedback_uuid, r.objective_id, r.before, r.after FROM feedback_ratings r"
        " JOIN feedback f ON f.uuid = r.feedback_uuid JOIN sessions s ON s.uuid = f.session_uuid"
        f" WHERE {session_filter}",
        params,
    ):
        ratings.setdefault(uuid, []).append((objective_id, before, after))
    return [
        CountedForm(
            session_uuid,
            None if recommend is None else bool(recommend),
            reason or "",
            tuple(ratings.get(uuid, ())),
            taken_here=not through_hq,
            comment=comment or "",
        )
        for uuid, session_uuid, recommend, reason, through_hq, comment in db.execute(
            "SELECT f.uuid, f.session_uuid, f.would_recommend, f.reason_not, f.through_hq, f.comment"
            f" FROM feedback f JOIN sessions s ON s.uuid = f.session_uuid WHERE {session_filter} ORDER BY f.rowid",
            params,
        )
    ]
