"""One way to make every export, for the command line and the Reports view alike: find what was asked for,
build the report, write the file, and say what to record in the audit trail (never a name)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.reports import Letterhead, SessionSheet
from trainer_desk.core.sessions import Session
from trainer_desk.lesson_content import load_plans
from trainer_desk.settings import Settings
from trainer_desk.store import audit, reports, sessions
from trainer_desk.workspace import Workspace

KINDS = ("attendance", "sign-in", "compliance")


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


def default_name(request: ExportRequest, session: Session | None, marking: str = "") -> str:
    """A file name that says what the file is and how to handle it, without naming anyone in it."""
    prefix = "".join(c if c.isalnum() or c in "-_" else "-" for c in marking.upper()).strip("-")
    prefix = f"{prefix}-" if prefix else ""
    if session is not None:
        day = f"{session.starts_at.astimezone():%Y-%m-%d}"
        return f"{prefix}{request.kind}-{day}-{session.unit_code}-{session.uuid[:8]}.{request.format}"
    scope = request.unit or "force"
    return f"{prefix}compliance-{request.programme}-{scope}-{request.date_from}-to-{request.date_to}.{request.format}"


def build_and_write(
    db: Database, settings: Settings, library: PlanLibrary, request: ExportRequest, folder: Path
) -> tuple[Path, str]:
    """Write the export; returns where, and the audit line describing it."""
    if request.kind not in KINDS:
        raise UserFacingError(f"Unknown export '{request.kind}'.")
    from trainer_desk.core.csv_file import write_csv
    from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet
    from trainer_desk.export.compliance_report import write_compliance_csv, write_compliance_pdf

    letterhead = Letterhead(settings.force_name, settings.protective_marking)
    if request.kind == "compliance":
        if not (request.programme and request.date_from and request.date_to):
            raise UserFacingError("A compliance report needs a programme and a date range.")
        plans = [p for p in library.plans if p.programme.id == request.programme]
        name = plans[0].programme.name if plans else request.programme
        objectives = {o.id: o.text for p in plans for o in p.objectives}
        if request.unit and not db.execute("SELECT 1 FROM units WHERE code = ?", [request.unit]).fetchone():
            raise UserFacingError(f"There is no unit '{request.unit}'.")
        report = reports.compliance(
            db, letterhead, request.programme, name, request.unit, request.date_from, request.date_to, objectives
        )
        target = request.output or folder / default_name(request, None, settings.protective_marking)
        (write_compliance_pdf if request.format == "pdf" else write_compliance_csv)(report, target)
        return target, (
            f"compliance {request.format} for {request.programme}, {request.unit or 'force'}, "
            f"{request.date_from} to {request.date_to}"
        )

    session = find_session(db, request.session or "")
    sheet = session_sheet(db, letterhead, library, session, sign_in=request.kind == "sign-in")
    target = request.output or folder / default_name(request, session, settings.protective_marking)
    if request.format == "pdf":
        (write_attendance_sheet if request.kind == "attendance" else write_sign_in_sheet)(sheet, target)
    else:
        write_csv(
            target,
            ["staff_number", "name", "unit", "status", "time", "walk_in"],
            [
                [
                    line.staff_number,
                    line.name,
                    line.unit,
                    line.status.value if line.status else "",
                    line.marked_at.astimezone().isoformat(timespec="minutes") if line.marked_at else "",
                    "yes" if line.walk_in else "",
                ]
                for line in sheet.lines
            ],
        )
    return target, f"{request.kind} {request.format} for session {session.uuid}"


def run_export(workspace: Workspace, request: ExportRequest, actor: str, folder: Path | None = None) -> Path:
    library = load_plans(workspace.paths)
    target, detail = build_and_write(workspace.db, workspace.settings, library, request, folder or Path.cwd())
    audit.record(workspace.db, "export", actor, detail, workspace.clock())
    return target
