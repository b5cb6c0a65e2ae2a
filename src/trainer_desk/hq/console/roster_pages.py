"""The console's Roster page, for an administrator of the whole of HQ: the HR export uploaded, shown as what
importing it would do, then applied on a second press, with the command line's reading, checks and row
messages (`hq.roster`), and its guard against a roster that would mark many people as left at once.

A problem with the file is said beside the file field, naming the file, with each row's problem listed under
it: a file input cannot be given the file again, so the person mends the file and chooses it anew."""

# No `from __future__ import annotations`: see app.py.
import os
import re
import secrets
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import UploadFile as StarletteUpload

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.roster_import import RosterRead
from trainer_desk.core.roster_problems import RosterFileError
from trainer_desk.hq import audit_trail, roster
from trainer_desk.hq.console.admin import Allowed, FormReader, Page, keep_upload
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.staff import StaffMember

MAX_ROSTER_BYTES = 50 * 1024 * 1024
_TICKET = re.compile(r"^[A-Za-z0-9_-]{20,30}\.(csv|txt|xlsx)$")
SUFFIXES = (".csv", ".txt", ".xlsx")


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    force_admins = allowed("admin", whole_hq=True)  # the roster is the whole force's
    uploads = home / "uploads"

    @app.get("/roster", response_class=HTMLResponse)
    async def roster_form(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        return page(request, "roster.html", plan=None, message=said_once(request))

    @app.post("/roster", response_class=HTMLResponse)
    async def roster_preview(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        """The file is kept, under a random name, until it is applied or a later upload clears old ones; the
        preview shows what applying it would do, with the same checks and row messages as the command line."""
        form = await checked_form(request, upload=True)
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload) or not upload.filename:
            return page(
                request,
                "roster.html",
                400,
                plan=None,
                **problem_at(FieldError("file", "Choose the HR export to upload.")),
            )
        filename = upload.filename[:200]
        try:
            read, ticket = await _read(upload, filename)
        except RosterFileError as error:  # the rows' problems listed under the file's, and what to do, once
            shown = problem_at(FieldError("file", f"{filename}: nothing can be imported."))
            problems = [*error.lines, *([error.detail] if error.detail else [])]
            return page(request, "roster.html", 400, plan=None, **shown, problems=problems)
        except UserFacingError as error:
            return page(request, "roster.html", 400, plan=None, **problem_at(error))
        plan = await run_in_threadpool(roster.plan_import, engine, read.people)
        return page(
            request, "roster.html", plan=plan, read=read, ticket=ticket, filename=filename,
            shrink=plan.shrink.describe() if plan.shrink.needs_confirmation else "",
        )  # fmt: skip

    async def _read(upload: StarletteUpload, filename: str) -> tuple[RosterRead, str]:
        """The roster read, and the name it is kept under until applied. A file that is no roster at all is a
        `FieldError` about the file field; one whose rows have problems, a `RosterFileError` listing them."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise FieldError("file", f"{filename} is not a roster: a roster is a .csv or .xlsx file.")
        content = await upload.read(MAX_ROSTER_BYTES + 1)
        if len(content) > MAX_ROSTER_BYTES:
            raise FieldError("file", f"{filename} is larger than any roster: choose the HR export.")
        ticket = secrets.token_urlsafe(16) + suffix
        path = await run_in_threadpool(keep_upload, uploads, ticket, content)
        try:
            return await run_in_threadpool(roster.read_roster_file, engine, path, filename), ticket
        except RosterFileError:
            path.unlink(missing_ok=True)
            raise
        except UserFacingError as error:  # a file that is no roster at all (a damaged workbook): it names the file
            path.unlink(missing_ok=True)
            raise FieldError("file", error.message) from None
        except BaseException:
            path.unlink(missing_ok=True)  # no roster is kept that nobody can apply
            raise

    @app.post("/roster/apply", response_model=None)
    async def roster_apply(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        form = await checked_form(request)
        ticket = str(form.get("ticket", ""))
        path = uploads / ticket
        if not _TICKET.fullmatch(ticket) or not path.is_file():
            raise HTTPException(status_code=404, detail="That upload has gone: upload the file again.")
        keep = False
        try:
            read = await run_in_threadpool(roster.read_roster_file, engine, path, str(form.get("filename", ""))[:200])
            plan = await run_in_threadpool(roster.plan_import, engine, read.people)
            if plan.shrink.needs_confirmation and form.get("allow_shrink") != "yes":
                keep = True  # ticking the box is all it takes: the file stays, and its preview is shown again
                await run_in_threadpool(os.utime, path)
                unticked = FieldError(
                    "allow_shrink", "Not applied: tick the box to say this many people have left, then apply it again."
                )
                return page(
                    request, "roster.html", 400, plan=plan, read=read, ticket=ticket,
                    filename=str(form.get("filename", ""))[:200], shrink=plan.shrink.describe(), **problem_at(unticked),
                )  # fmt: skip
            check_roster_shrink(plan.shrink, allow_shrink=True)
            added, changed, left = await run_in_threadpool(roster.import_roster, engine, read.people)
        except UserFacingError as error:  # the file changed under it, or the roster did: said at the top
            return page(request, "roster.html", 400, plan=None, problem=error.message)
        finally:
            if not keep:
                path.unlink(missing_ok=True)
        detail = f"{added} added, {changed} updated, {left} left"
        await run_in_threadpool(audit_trail.record, engine, who.username, "roster imported", detail)
        return done_then_go(request, f"Roster imported: {detail}", "/console/roster")
