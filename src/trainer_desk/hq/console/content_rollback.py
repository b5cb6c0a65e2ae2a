"""Going back to an earlier version of the lesson content, in two steps as publishing an upload is: first what
it would change (the same comparison the upload shows), then the confirmation. Every laptop takes the version
at its next sync, so one mis-click must not revert the force's lesson plans.

The confirmation carries the version that was current when the comparison was shown. If another administrator
published since, going back is refused and the comparison shown again against what is current now: what the
person agreed to is no longer what would happen."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import audit_trail, content, published
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.content_pages import versions_page
from trainer_desk.hq.console.flash import done_then_go
from trainer_desk.hq.demonstration import DemonstrationContentError, in_version
from trainer_desk.hq.staff import StaffMember


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin", whole_hq=True)  # acts on the whole of HQ (every force)
    blobs = home / "blobs"

    @app.get("/content/rollback", response_class=HTMLResponse)
    async def rollback_preview(
        request: Request, who: Annotated[StaffMember, Depends(admins)], version: str = ""
    ) -> HTMLResponse:
        """What going back to `version` would change; nothing is published yet."""
        return await _preview(request, version)

    @app.post("/content/rollback", response_model=None)
    async def rollback(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """Going back publishes the earlier version's files as the newest version: laptops take it next sync."""
        form = await checked_form(request)
        try:
            earlier = int(str(form.get("version", "")))
            seen = int(str(form.get("current", "")))
        except ValueError:
            return await versions_page(request, page, engine, blobs, "", "Choose a version to go back to.", 400)
        typed = str(form.get("note", ""))[:2000]
        try:
            note = published.checked_note(typed)
        except UserFacingError as error:
            return await _preview(request, str(earlier), note=typed, note_problem=error.message)
        try:
            version = await run_in_threadpool(
                lambda: content.republish_content(
                    engine,
                    blobs,
                    earlier,
                    based_on=seen,
                    note=note,
                    allow_sample_media=form.get("allow_sample_media") == "yes",
                )
            )
        except DemonstrationContentError:
            return await _preview(request, str(earlier), note=note, samples_refused=True)
        except published.StaleVersionError as error:
            return await _preview(request, str(earlier), stale=error.newest, note=note)
        except UserFacingError as error:
            return await versions_page(request, page, engine, blobs, "", error.message, 400)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "content rolled back", f"version {earlier} as {version}"
        )
        return done_then_go(request, f"Version {earlier} is published again, as version {version}", "/console/content")

    async def _preview(
        request: Request,
        asked: str,
        stale: int = 0,
        note: str | None = None,
        note_problem: str = "",
        samples_refused: bool = False,
    ) -> HTMLResponse:
        """The comparison and the confirmation; `stale` is the version published since the person last looked,
        `note` what they typed (unless it is their first look), `note_problem` why it was refused,
        `samples_refused` whether it was refused for demonstration content nobody said to publish anyway."""
        earlier = await run_in_threadpool(_found, engine, asked)
        current = await run_in_threadpool(published.current, engine)
        if earlier is None or current is None:
            problem = f"There is no content version {asked[:12]}." if asked else "Choose a version to go back to."
            return await versions_page(request, page, engine, blobs, "", problem, 404)
        if earlier.version == current.version:
            problem = f"Version {earlier.version} is the current version: there is nothing to go back to."
            return await versions_page(request, page, engine, blobs, "", problem, 400)
        changes = await run_in_threadpool(
            lambda: published.changes(current, published.library(earlier, blobs), earlier.files, blobs)
        )
        demonstration = await run_in_threadpool(in_version, earlier.files, blobs)
        return page(
            request, "content_rollback.html", 409 if stale else 400 if note_problem or samples_refused else 200,
            earlier=earlier, current=current, changes=changes, stale=stale, note_problem=note_problem, going_back=True,
            demonstration=demonstration, samples_refused=samples_refused,
            note=f"Back to version {earlier.version}" if note is None else note,
        )  # fmt: skip


def _found(engine: Engine, asked: str) -> published.Version | None:
    return published.find(engine, int(asked)) if asked.isdigit() and len(asked) < 10 else None
