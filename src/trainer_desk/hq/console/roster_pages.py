"""The console's Roster page, for an administrator of the whole of HQ: the HR export uploaded, shown as what
importing it would do, then applied on a second press, with the command line's reading, checks and row
messages (`hq.roster`), and its guard against a roster that would mark many people as left at once.

A problem with the file is said beside the file field, naming the file, with each row's problem listed under
it: a file input cannot be given the file again, so the person mends the file and chooses it anew."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import UploadFile as StarletteUpload

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.roster_problems import RosterFileError
from trainer_desk.hq import audit_trail, roster, units, upload_store
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.staff import StaffMember

MAX_ROSTER_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".txt", ".xlsx")
EXPIRED = "This preview has expired: upload the file again."
SHRINK_UNTICKED = "Not applied: tick the box to say this many people have left, then apply it again."


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    force_admins = allowed("admin", whole_hq=True)  # the roster is the whole force's
    uploads = home / "uploads"

    @app.get("/roster", response_class=HTMLResponse)
    async def roster_form(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        return page(request, "roster.html", plan=None, message=said_once(request))

    @app.post("/roster", response_model=None)
    async def roster_preview(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        """The file is kept until it is applied or is older than `upload_store.KEPT_S`; the preview is then
        shown at an address of its own (`roster_preview_page`), so Back and reload show it again rather than
        ask to send the file once more. A file with problems is not kept: they are shown now."""
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
            ticket = await _read(upload, filename, who.username)
        except RosterFileError as error:  # the rows' problems listed under the file's, and what to do, once
            shown = problem_at(FieldError("file", f"{filename}: nothing can be imported."))
            problems = [*error.lines, *([error.detail] if error.detail else [])]
            return page(request, "roster.html", 400, plan=None, **shown, problems=problems)
        except UserFacingError as error:
            return page(request, "roster.html", 400, plan=None, **problem_at(error))
        return RedirectResponse(f"/console/roster/preview/{ticket}", 303)

    async def _read(upload: StarletteUpload, filename: str, owner: str) -> str:
        """The ticket the upload is kept under until applied, once it reads as a roster. A file that is no
        roster at all is a `FieldError` about the file field; one whose rows have problems, a `RosterFileError`
        listing them. Neither is kept."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise FieldError("file", f"{filename} is not a roster: a roster is a .csv or .xlsx file.")
        content = await upload.read(MAX_ROSTER_BYTES + 1)
        if len(content) > MAX_ROSTER_BYTES:
            raise FieldError("file", f"{filename} is larger than any roster: choose the HR export.")
        ticket, path = await run_in_threadpool(upload_store.keep_roster, uploads, suffix, content, owner, filename)
        try:
            await run_in_threadpool(roster.read_roster_file, engine, path, filename)
            return ticket
        except RosterFileError:
            await run_in_threadpool(upload_store.forget, uploads, ticket)
            raise
        except UserFacingError as error:  # a file that is no roster at all (a damaged workbook): it names the file
            await run_in_threadpool(upload_store.forget, uploads, ticket)
            raise FieldError("file", error.message) from None
        except BaseException:
            await run_in_threadpool(upload_store.forget, uploads, ticket)  # no roster is kept that nobody can apply
            raise

    @app.get("/roster/preview/{ticket}", response_class=HTMLResponse)
    async def roster_preview_page(
        request: Request, ticket: str, who: Annotated[StaffMember, Depends(force_admins)], refused: str = ""
    ) -> HTMLResponse:
        """What applying an upload would do, for the account that uploaded it, while its file is kept.
        `refused`: applying it was refused until the box about the people leaving is ticked."""
        kept = await run_in_threadpool(upload_store.kept_roster, uploads, ticket, who.username)
        if kept is None:
            return page(request, "roster.html", 410, plan=None, problem=EXPIRED)
        try:
            read = await run_in_threadpool(roster.read_roster_file, engine, kept.path, kept.filename)
        except UserFacingError as error:  # the units changed since, say: it cannot be applied as it is
            await run_in_threadpool(upload_store.forget, uploads, ticket)
            return page(request, "roster.html", 400, plan=None, problem=error.message)
        plan = await run_in_threadpool(roster.plan_import, engine, read.people)
        shrink = plan.shrink.describe() if plan.shrink.needs_confirmation else ""
        unticked = problem_at(FieldError("allow_shrink", SHRINK_UNTICKED)) if refused and shrink else {}
        return page(
            request, "roster.html", 400 if unticked else 200, plan=plan, read=read, ticket=ticket,
            filename=kept.filename, shrink=shrink, unit_names=await run_in_threadpool(units.unit_names_known, engine),
            **unticked,
        )  # fmt: skip

    @app.post("/roster/apply", response_model=None)
    async def roster_apply(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        form = await checked_form(request)
        ticket = str(form.get("ticket", ""))
        kept = await run_in_threadpool(upload_store.kept_roster, uploads, ticket, who.username)
        if kept is None:
            return page(request, "roster.html", 410, plan=None, problem=EXPIRED)
        keep = False
        try:
            read = await run_in_threadpool(roster.read_roster_file, engine, kept.path, kept.filename)
            plan = await run_in_threadpool(roster.plan_import, engine, read.people)
            if plan.shrink.needs_confirmation and form.get("allow_shrink") != "yes":
                keep = True  # ticking the box is all it takes: the file stays, and its preview is shown again
                await run_in_threadpool(upload_store.keep_longer, uploads, ticket)
                return RedirectResponse(f"/console/roster/preview/{ticket}?refused=shrink", 303)
            check_roster_shrink(plan.shrink, allow_shrink=True)
            added, changed, left = await run_in_threadpool(roster.import_roster, engine, read.people)
        except UserFacingError as error:  # the file changed under it, or the roster did: said at the top
            return page(request, "roster.html", 400, plan=None, problem=error.message)
        finally:
            if not keep:
                await run_in_threadpool(upload_store.forget, uploads, ticket)
        detail = f"{added} added, {changed} updated, {left} left"
        await run_in_threadpool(audit_trail.record, engine, who.username, "roster imported", detail)
        return done_then_go(request, f"Roster imported: {detail}", "/console/roster")
