"""One way to make every export, for the command line and the Reports view alike: find what was asked for,
build the report, write the file, and say what to record in the audit trail (never a name)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.reports import Letterhead, SessionSheet
from trainer_desk.core.sessions import Session
from trainer_desk.lesson_content import load_plans, load_programme_rules
from trainer_desk.settings import Settings
from trainer_desk.store import audit, reports, sessions, units
from trainer_desk.store.connection import Database
from trainer_desk.workspace import Workspace

KINDS = ("attendance", "sign-in", "feedback-form", "compliance")
DEFAULT_FORM_COPIES = 20  # for a session with nobody booked or registered yet


@dataclass(frozen=True, slots=True)
class ExportRequest:
    kind: str
    format: str = "pdf"
    output: Path | None = None
    session: str | None = None  # a session id or its first characters
    unit: str | None = None
    programme: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    copies: int | None = None  # paper feedback forms: default, one per person on the register


def find_session(db: Database, given: str) -> Session:
    given = given.strip().lower()
    if len(given) < 6:
        raise UserFacingError("Give at least the first 6 characters of the session's id.")
    matches = [s for s in sessions.list_sessions(db) if s.uuid.startswith(given)]
    if not matches:
        raise UserFacingError(f"No session on this laptop has an id starting '{given}'.")
    if len(matches) > 1:
        raise UserFacingError(f"More than one session has an id starting '{given}': give more of it.")
    return matches[0]


def known_programmes(db: Database, library: PlanLibrary) -> dict[str, str]:
    """Every programme a report can be asked for, id to title: those of the plans on this laptop, and any
    that sessions here were delivered for (titled by their id when the plan has gone)."""
    found = {plan.programme.id: plan.programme.name for plan in library.plans}
    for (programme_id,) in db.execute("SELECT DISTINCT programme_id FROM sessions WHERE deleted = 0"):
        found.setdefault(programme_id, programme_id)
    return found


def find_programme(db: Database, library: PlanLibrary, given: str) -> tuple[str, str]:
    """The programme's id and title from either of them, in any case ('Signa' as the sheets spell it, or
    'signa'); anything else is refused, since a report on an unknown programme would say 0% complete."""
    wanted = given.strip().casefold()
    programmes = known_programmes(db, library)
    for programme_id, title in programmes.items():
        if wanted in (programme_id.casefold(), title.casefold()):
            return programme_id, title
    listing = "; ".join(f"{pid} ({title})" for pid, title in sorted(programmes.items()))
    raise UserFacingError(
        f"There is no programme '{given.strip()}'." if wanted else "Which programme?",
        hint=f"Give the id or the title of one of these: {listing}." if listing else "No programme is known here.",
    )


def session_sheet(
    db: Database, letterhead: Letterhead, library: PlanLibrary, session: Session, sign_in: bool
) -> SessionSheet:
    """A session's sheet, named from its lesson plan when this laptop has it (ids otherwise)."""
    plan = library.get(session.plan.plan_id)
    return reports.session_sheet(
        db,
        session,
        letterhead,
        plan.programme.name if plan else session.plan.programme_id,
        plan.title if plan else session.plan.plan_id,
        expected_only=sign_in,
    )


def make_letterhead(db: Database, settings: Settings) -> Letterhead:
    """What heads and foots every page printed here: the force as HQ's unit tree names it (IT's setting on a
    laptop with no tree), and the protective marking."""
    return Letterhead(units.force_name(db, settings.force_name), settings.protective_marking)


def default_name(request: ExportRequest, session: Session | None, marking: str = "") -> str:
    """A file name that says what the file is and how to handle it, without naming anyone in it."""
    prefix = "".join(c if c.isalnum() or c in "-_" else "-" for c in marking.upper()).strip("-")
    prefix = f"{prefix}-" if prefix else ""
    if session is not None:
        day = f"{force_clock.local(session.starts_at):%Y-%m-%d}"  # the day on the sheet, whatever this clock says
        return f"{prefix}{request.kind}-{day}-{session.unit_code}-{session.uuid[:8]}.{request.format}"
    scope = request.unit or "force"
    return f"{prefix}compliance-{request.programme}-{scope}-{request.date_from}-to-{request.date_to}.{request.format}"


def build_and_write(
    db: Database,
    settings: Settings,
    library: PlanLibrary,
    request: ExportRequest,
    folder: Path,
    rules: dict[str, ProgrammeRule] | None = None,
) -> tuple[Path, str]:
    """Write the export; returns where, and the audit line describing it. `rules` say who must complete each
    programme (without them, everyone on the roster)."""
    if request.kind not in KINDS:
        raise UserFacingError(f"Unknown export '{request.kind}'.")
    from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet
    from trainer_desk.export.compliance_report import write_compliance_csv, write_compliance_pdf

    letterhead = make_letterhead(db, settings)
    if request.kind == "compliance":
        date_from, date_to = request.date_from, request.date_to
        if not (date_from and date_to):
            raise UserFacingError("A compliance report needs a date range.")
        programme_id, name = find_programme(db, library, request.programme or "")
        request = replace(request, programme=programme_id)
        plans = [p for p in library.plans if p.programme.id == programme_id]
        objectives = {o.id: o.text for p in plans for o in p.objectives}
        if request.unit and not db.execute("SELECT 1 FROM units WHERE code = ?", [request.unit]).fetchone():
            raise UserFacingError(f"There is no unit '{request.unit}'.")
        rule = (rules or {}).get(programme_id)
        report = reports.compliance(
            db, letterhead, programme_id, name, request.unit, date_from, date_to, objectives, rule
        )
        target = request.output or folder / default_name(request, None, settings.protective_marking)
        (write_compliance_pdf if request.format == "pdf" else write_compliance_csv)(report, target)
        return target, (
            f"compliance {request.format} for {programme_id}, {request.unit or 'force'}, {date_from} to {date_to}"
        )

    session = find_session(db, request.session or "")
    if request.kind == "feedback-form":
        return _feedback_forms(db, letterhead, library, session, request, folder, settings.protective_marking)
    sheet = session_sheet(db, letterhead, library, session, sign_in=request.kind == "sign-in")
    target = request.output or folder / default_name(request, session, settings.protective_marking)
    if request.format == "pdf":
        (write_attendance_sheet if request.kind == "attendance" else write_sign_in_sheet)(sheet, target)
    else:
        write_register_csv(target, sheet, sign_in=request.kind == "sign-in")
    return target, f"{request.kind} {request.format} for session {session.uuid}"


def write_register_csv(target: Path, sheet: SessionSheet, sign_in: bool) -> Path:
    """A session's register as rows to sort and filter: each row names its session (date, start, venue,
    plan), so rows from several files can be pasted together. A sign-in sheet is for people to sign before
    anything is marked: it has a signature column and none of the attendance ones."""
    from trainer_desk.core.csv_file import write_csv

    starts = force_clock.local(sheet.starts_at)
    about_the_session = [
        starts.date().isoformat(),
        f"{starts:%H:%M}",
        sheet.venue,
        sheet.plan_title,
        sheet.plan_version,
    ]
    session_header = ["session_date", "session_start", "venue", "plan", "plan_version"]
    if sign_in:
        return write_csv(
            target,
            [*session_header, "staff_number", "name", "unit", "signature"],
            [[*about_the_session, line.staff_number, line.name, line.unit, ""] for line in sheet.lines],
        )
    return write_csv(
        target,
        [*session_header, "staff_number", "name", "unit", "status", "time", "walk_in"],
        [
            [
                *about_the_session,
                line.staff_number,
                line.name,
                line.unit,
                line.status.value if line.status else "",
                force_clock.local(line.marked_at).isoformat(timespec="minutes") if line.marked_at else "",
                "yes" if line.walk_in else "",
            ]
            for line in sheet.lines
        ],
    )


def run_export(workspace: Workspace, request: ExportRequest, actor: str, folder: Path | None = None) -> Path:
    library = load_plans(workspace.paths)
    target, detail = build_and_write(
        workspace.db,
        workspace.settings,
        library,
        request,
        folder or Path.cwd(),
        load_programme_rules(workspace.paths),
    )
    audit.record(workspace.db, "export", actor, detail, workspace.clock())
    return target


def _feedback_forms(
    db: Database,
    letterhead: Letterhead,
    library: PlanLibrary,
    session: Session,
    request: ExportRequest,
    folder: Path,
    marking: str,
) -> tuple[Path, str]:
    """Paper feedback forms for a session, one per person expected (or the number asked for)."""
    from trainer_desk.export.feedback_form import FeedbackForm, write_feedback_form

    if request.format != "pdf":
        raise UserFacingError("The feedback form is for printing: choose PDF.")
    plan = library.get(session.plan.plan_id)
    if plan is None:
        raise UserFacingError(
            f"Lesson plan {session.plan.plan_id} is not on this laptop, so its objectives cannot be printed."
        )
    people = len(reports.session_sheet(db, session, letterhead, "", "", expected_only=False).lines)
    copies = request.copies if request.copies is not None else people or DEFAULT_FORM_COPIES
    if not 1 <= copies <= 500:
        raise UserFacingError("Print between 1 and 500 feedback forms.")
    form = FeedbackForm(
        letterhead, plan.title, session.starts_at, session.venue, tuple(o.text for o in plan.objectives)
    )
    target = request.output or folder / default_name(request, session, marking)
    write_feedback_form(form, copies, target)
    return target, f"{counted(copies, 'feedback form')} for session {session.uuid}"
