"""The console's downloads: a session's attendance sheet and sign-in sheet, and the compliance report (PDF, or
the chase list as CSV), printed by the same writers the laptop uses from the same plain values
(`hq.documents`). Each checks the person's units like every page, and each is recorded in the audit trail."""

# No `from __future__ import annotations`: see app.py.
import tempfile
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response, StreamingResponse
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.errors import UserFacingError
from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet
from trainer_desk.export.compliance_report import write_compliance_csv, write_compliance_pdf
from trainer_desk.hq import audit_trail, compliance, documents, session_labels, staff
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.console.chosen import last_chosen, remember
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices

SHEETS = {"attendance": write_attendance_sheet, "sign-in": write_sign_in_sheet}


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed("admin", "viewer", "lead")
    blobs = home / "blobs"

    @app.get("/sessions/{session_uuid}/{kind}.pdf", response_model=None)
    async def session_pdf(
        request: Request, session_uuid: str, kind: str, who: Annotated[StaffMember, Depends(readers)]
    ) -> Response:
        if kind not in SHEETS:
            raise HTTPException(status_code=404, detail="There is no such sheet.")
        session = await run_in_threadpool(compliance.session_at_hq, engine, session_uuid[:36])
        if session is None or session.get("unit_code") not in who.units:
            raise HTTPException(status_code=404, detail="No such session in the units you can see.")
        try:
            sheet = await run_in_threadpool(
                lambda: documents.session_sheet(engine, blobs, session, sign_in=kind == "sign-in")
            )
        except UserFacingError as error:  # a cancelled session: no sheet, and the way back to its page
            back = f"/console/sessions/{session['uuid']}"
            return page(request, "problem.html", 409, problem=error.message, code=409, heading="No sheet", back=back)
        content = await run_in_threadpool(_written, SHEETS[kind], sheet, "pdf")
        about = await run_in_threadpool(audit_trail.about_session, engine, blobs, str(session["uuid"]))
        await run_in_threadpool(audit_trail.record, engine, who.username, "download", f"{kind} sheet for {about}")
        day = force_clock.local(sheet.starts_at).date().isoformat()
        return attachment(content, "application/pdf", f"{kind}-{day}-{session.get('unit_code', '')}.pdf")

    @app.get("/reports", response_class=HTMLResponse)
    async def report_form(request: Request, who: Annotated[StaffMember, Depends(readers)]) -> HTMLResponse:
        return await _report_page(request, who, "")

    @app.get("/reports/compliance", response_model=None)
    async def compliance_download(
        request: Request,
        who: Annotated[StaffMember, Depends(readers)],
        programme: str = "",
        unit: str = "",
        start: str = "",
        end: str = "",
        format: str = "pdf",
    ) -> Response:
        """`unit` blank: every unit the person may see ('the whole force', or all forces, for HQ's roles)."""
        if unit and unit not in who.units:
            raise HTTPException(status_code=404, detail="No such unit among those you can see.")
        programmes = await run_in_threadpool(programme_names, engine, blobs)
        if programme not in programmes:
            return await _report_page(request, who, "Choose one of the programmes.", 400)
        remember(request, "reports", programme)  # the form starts on it next time
        today = force_clock.today()
        try:
            date_from = date.fromisoformat(start) if start else today - timedelta(days=365)
            date_to = date.fromisoformat(end) if end else today
        except ValueError:
            return await _report_page(request, who, "Give the dates as YYYY-MM-DD.", 400)
        if date_from > date_to:
            return await _report_page(request, who, "The start comes after the end.", 400)
        # The unit with every unit under it, as its page counts it: its own people alone left out its teams.
        counted = await run_in_threadpool(staff.covered, engine, who, unit) if unit else who.units
        known = await run_in_threadpool(session_labels.labels, engine, blobs)  # the unit as its people name it
        if unit or who.unit:
            scope = known.unit(unit or who.unit)
        else:
            scope = await run_in_threadpool(documents.everyone_in_words, engine, who.units)
        report = await run_in_threadpool(
            lambda: documents.compliance_report(
                engine, blobs, programme, counted, scope, date_from, date_to,
                reasons=who.reads_reasons,
            )
        )  # fmt: skip
        kind = "csv" if format == "csv" else "pdf"
        content = await run_in_threadpool(
            _written, write_compliance_csv if kind == "csv" else write_compliance_pdf, report, kind
        )
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "download",
            f"compliance {kind} for {programme}, {unit or scope}, {date_from} to {date_to}",
        )  # fmt: skip
        name = f"compliance-{programme}-{unit or who.unit or 'all'}-{date_from}-{date_to}.{kind}"
        return attachment(content, "text/csv; charset=utf-8" if kind == "csv" else "application/pdf", name)

    async def _report_page(request: Request, who: StaffMember, problem: str, status: int = 200) -> HTMLResponse:
        programmes = await run_in_threadpool(programme_names, engine, blobs)
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        today = force_clock.today()
        return page(
            request, "reports.html", status, programmes=programmes, problem=problem,
            chosen=last_chosen(request, "reports"),
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units), unit_names=known.unit_names,
            start=(today - timedelta(days=365)).isoformat(), end=today.isoformat(),
        )  # fmt: skip


def _written(writer: Callable[[Any, Path], Path], values: Any, suffix: str) -> bytes:
    """What the writer puts on paper, read back from a private temporary folder that is then removed."""
    with tempfile.TemporaryDirectory(prefix="console-download-") as folder:
        return writer(values, Path(folder) / f"download.{suffix}").read_bytes()


def attachment(content: bytes | Iterator[bytes], media_type: str, filename: str) -> Response:
    """A file to save, under a name that is safe on every system. Pieces are sent as they are made (in the
    request thread pool, as the database is read), so a file of millions of rows is never held whole."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in filename)
    headers = {"Content-Disposition": f'attachment; filename="{safe}"'}
    if isinstance(content, bytes):
        return Response(content, media_type=media_type, headers=headers)
    return StreamingResponse(content, media_type=media_type, headers=headers)
