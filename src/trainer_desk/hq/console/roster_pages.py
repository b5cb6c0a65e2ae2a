"""The console's Roster page, for an administrator of the whole of HQ or of a force: the HR export uploaded,
shown as what importing it would do, then applied on a second press, with the command line's reading, checks
and row messages (`hq.roster`), and its guard against a roster that would mark many people as left at once.

Where HQ serves several forces, an export is one force's and replaces that force's roster alone: the whole of
HQ's administrator chooses the force on the form, a force's administrator imports their own force's and no
other's (`roster_force`).

A problem with the file is said beside the file field, naming the file, with each row's problem listed under
it: a file input cannot be given the file again, so the person mends the file and chooses it anew."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated, Any

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
from trainer_desk.hq.console.force_admins import force_admins as of_force
from trainer_desk.hq.roster_clash import words_for
from trainer_desk.hq.staff import StaffMember

MAX_ROSTER_BYTES = 50 * 1024 * 1024
SUFFIXES = (".csv", ".txt", ".xlsx")
EXPIRED = "This preview has expired: upload the file again."
SHRINK_UNTICKED = "Not applied: tick the box to say this many people have left, then apply it again."
CHOOSE_FORCE = "Choose the force whose roster this file is."


def roster_force(who: StaffMember, forces: dict[str, roster.Force], code: str) -> roster.Force | None:
    """The force whose roster an upload replaces: None where HQ is one force (the whole roster, as before);
    the one chosen (`code`) for an administrator of the whole of HQ; a force's administrator's own, whatever
    was sent. A `FieldError` about the force field if none is chosen, or the one chosen is not HQ's now."""
    if not forces:
        return None
    found = forces.get(code if who.whole_hq else who.unit)
    if found is None:
        raise FieldError("force", CHOOSE_FORCE)
    return found


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    force_admins = of_force(allowed, "Importing a roster")
    uploads = home / "uploads"

    async def form_page(request: Request, who: StaffMember, status: int = 200, **context: Any) -> HTMLResponse:
        """The upload form, offering the forces to choose from to an administrator of the whole of HQ where HQ
        serves several, and naming a force's administrator's own."""
        forces = await run_in_threadpool(roster.forces, engine)
        choices = [(f.code, f.name) for f in forces.values()] if who.whole_hq else []
        own = forces.get(who.unit) if forces and not who.whole_hq else None
        context.setdefault("chosen_force", "")
        return page(request, "roster.html", status, plan=None, force_choices=choices, own_force=own, **context)

    @app.get("/roster", response_class=HTMLResponse)
    async def roster_form(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> HTMLResponse:
        return await form_page(request, who, message=said_once(request))

    @app.post("/roster", response_model=None)
    async def roster_preview(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        """The file is kept until it is applied or is older than `upload_store.KEPT_S`; the preview is then
        shown at an address of its own (`roster_preview_page`), so Back and reload show it again rather than
        ask to send the file once more. A file with problems is not kept: they are shown now."""
        form = await checked_form(request, upload=True)
        upload = form.get("file")
        chosen = str(form.get("force", ""))
        try:
            force = roster_force(who, await run_in_threadpool(roster.forces, engine), chosen)
        except FieldError as error:
            return await form_page(request, who, 400, chosen_force=chosen, **problem_at(error))
        if not isinstance(upload, StarletteUpload) or not upload.filename:
            shown = problem_at(FieldError("file", "Choose the HR export to upload."))
            return await form_page(request, who, 400, chosen_force=chosen, **shown)
        filename = upload.filename[:200]
        try:
            ticket = await _read(upload, filename, who.username, force, who.whole_hq)
        except RosterFileError as error:  # the rows' problems listed under the file's, and what to do, once
            shown = problem_at(FieldError("file", f"{filename}: nothing can be imported."))
            problems = [*error.lines, *([error.detail] if error.detail else [])]
            return await form_page(request, who, 400, chosen_force=chosen, **shown, problems=problems)
        except UserFacingError as error:
            return await form_page(request, who, 400, chosen_force=chosen, **problem_at(error))
        return RedirectResponse(f"/console/roster/preview/{ticket}", 303)

    async def _read(
        upload: StarletteUpload, filename: str, owner: str, force: roster.Force | None, who_sees_all: bool
    ) -> str:
        """The ticket the upload is kept under until applied, once it reads as a roster. A file that is no
        roster at all is a `FieldError` about the file field; one whose rows have problems, a `RosterFileError`
        listing them. Neither is kept."""
        suffix = Path(filename).suffix.lower()
        if suffix not in SUFFIXES:
            raise FieldError("file", f"{filename} is not a roster: a roster is a .csv or .xlsx file.")
        content = await upload.read(MAX_ROSTER_BYTES + 1)
        if len(content) > MAX_ROSTER_BYTES:
            raise FieldError("file", f"{filename} is larger than any roster: choose the HR export.")
        code = force.code if force else ""
        ticket, path = await run_in_threadpool(
            upload_store.keep_roster, uploads, suffix, content, owner, filename, code
        )
        try:
            # Told whose unit a row names only if the grant covers every force: to a force's administrator,
            # another force's unit stays "not a known unit", so nothing about that force is revealed.
            await run_in_threadpool(lambda: roster.read_roster_file(engine, path, filename, force, reveal=who_sees_all))
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
            return await form_page(request, who, 410, problem=EXPIRED)
        try:
            force = roster_force(who, await run_in_threadpool(roster.forces, engine), kept.force)
            read = await run_in_threadpool(roster.read_roster_file, engine, kept.path, kept.filename, force)
            plan = await run_in_threadpool(roster.plan_import, engine, read.people, force)
        except UserFacingError as error:  # the units changed since, say: it cannot be applied as it is
            await run_in_threadpool(upload_store.forget, uploads, ticket)
            return await form_page(request, who, 400, problem=words_for(error, who.whole_hq))
        shrink = plan.shrink.describe() if plan.shrink.needs_confirmation else ""
        unticked = problem_at(FieldError("allow_shrink", SHRINK_UNTICKED)) if refused and shrink else {}
        return page(
            request, "roster.html", 400 if unticked else 200, plan=plan, read=read, ticket=ticket,
            filename=kept.filename, shrink=shrink, force=force,
            unit_names=await run_in_threadpool(units.unit_names_known, engine), **unticked,
        )  # fmt: skip

    @app.post("/roster/apply", response_model=None)
    async def roster_apply(request: Request, who: Annotated[StaffMember, Depends(force_admins)]) -> Response:
        form = await checked_form(request)
        ticket = str(form.get("ticket", ""))
        kept = await run_in_threadpool(upload_store.kept_roster, uploads, ticket, who.username)
        if kept is None:
            return await form_page(request, who, 410, problem=EXPIRED)
        keep = False
        try:
            force = roster_force(who, await run_in_threadpool(roster.forces, engine), kept.force)
            read = await run_in_threadpool(roster.read_roster_file, engine, kept.path, kept.filename, force)
            plan = await run_in_threadpool(roster.plan_import, engine, read.people, force)
            if plan.shrink.needs_confirmation and form.get("allow_shrink") != "yes":
                keep = True  # ticking the box is all it takes: the file stays, and its preview is shown again
                await run_in_threadpool(upload_store.keep_longer, uploads, ticket)
                return RedirectResponse(f"/console/roster/preview/{ticket}?refused=shrink", 303)
            check_roster_shrink(plan.shrink, allow_shrink=True)
            added, changed, left = await run_in_threadpool(roster.import_roster, engine, read.people, force)
        except UserFacingError as error:  # the file changed under it, or the roster did: said at the top
            return await form_page(request, who, 400, problem=words_for(error, who.whole_hq))
        finally:
            if not keep:
                await run_in_threadpool(upload_store.forget, uploads, ticket)
        detail = f"{added} added, {changed} updated, {left} left"
        of = f" of {force.name}" if force else ""  # where HQ serves several forces: whose roster it was
        said = f"{force.name}: {detail}" if force else detail
        await run_in_threadpool(audit_trail.record, engine, who.username, "roster imported", said)
        return done_then_go(request, f"Roster{of} imported: {detail}", "/console/roster")
