"""The console's lesson content: every published version with its plans, a folder of plans uploaded as a zip
and checked by the laptop's own validator (its `file:line` messages), compared with what is published before
anything is, then published; and going back to an earlier version. The same functions as `trainer-desk-hq
publish`, behind the console's role checks, CSRF token and audit trail, and saying what is needed in the
console's own words: its users never see the command line. Going back is in `content_rollback`."""

# No `from __future__ import annotations`: see app.py.
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import Engine
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile as StarletteUpload

from trainer_desk.core import force_files
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.hq import (
    audit_trail,
    content,
    content_upload,
    content_uptake,
    devices,
    published,
    units,
    upload_store,
)
from trainer_desk.hq.audience_match import Unmatched, every_unmatched
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.content import UnpublishableError
from trainer_desk.hq.demonstration import DemonstrationContentError, in_current
from trainer_desk.hq.published import PROGRAMME_RULES
from trainer_desk.hq.staff import StaffMember
from trainer_desk.paths import bundled

MAX_UPLOAD_BYTES = 2 * 1024**3
_TICKET = re.compile(r"^[A-Za-z0-9_-]{20,30}$")


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin", whole_hq=True)  # acts on the whole of HQ (every force)
    uploads, blobs = home / "uploads", home / "blobs"

    @app.get("/content", response_class=HTMLResponse)
    async def content_versions(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return await _versions_page(request, said_once(request), "")

    @app.post("/content", response_class=HTMLResponse)
    async def content_preview(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        """Unpack and check the upload, and show what publishing it would change; nothing is published yet."""
        form = await checked_form(request, upload=True)
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload) or not upload.filename:
            return await _versions_page(request, "", "Choose the zip of the lesson plans folder.", 400)
        if not upload.filename.lower().endswith(".zip"):
            return await _versions_page(request, "", "Upload the folder of plans as one .zip file.", 400)
        ticket = secrets.token_urlsafe(16)
        archive = uploads / f"{ticket}.zip"
        try:
            await run_in_threadpool(upload_store.clear_old, uploads)
            await _save(upload, archive)
            folder = await run_in_threadpool(content_upload.unpack, archive, uploads / ticket)
        except UserFacingError as error:
            return await _versions_page(request, "", f"{upload.filename}: {error.message}", 400)
        finally:
            archive.unlink(missing_ok=True)
        problems = await run_in_threadpool(lambda: content.check_folder(folder, content.force_codes(engine)))
        if problems:
            await run_in_threadpool(shutil.rmtree, uploads / ticket, True)
            return page(
                request, "content_preview.html", 400, filename=upload.filename, problems=problems, changes=None,
            )  # fmt: skip
        return await _preview(request, upload.filename, folder, ticket)

    @app.post("/content/publish", response_model=None)
    async def content_publish(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """Publish an upload whose comparison the person has seen. Refused only for its demonstration content,
        the upload is kept and its comparison shown again: ticking the box is all it takes, with no second
        upload. Any other refusal needs a new zip, so the upload goes."""
        form = await checked_form(request)
        ticket = str(form.get("ticket", ""))
        filename = str(form.get("filename", ""))[:200]
        kept = uploads / ticket
        if not _TICKET.fullmatch(ticket) or not kept.is_dir():
            raise HTTPException(status_code=404, detail="That upload has gone: upload the zip again.")
        folder = content_upload.plans_folder(kept)
        typed = str(form.get("note", ""))[:2000]
        try:
            note = published.checked_note(typed)
        except UserFacingError as error:  # the upload is kept: mending the note is all it takes
            await run_in_threadpool(os.utime, kept)
            return await _preview(request, filename, folder, ticket, 400, note=typed, note_problem=error.message)
        keep = False
        try:
            version = await run_in_threadpool(
                lambda: content.publish_content(
                    engine, folder, blobs, allow_sample_media=form.get("allow_sample_media") == "yes", note=note
                )
            )
        except DemonstrationContentError:
            keep = True
            await run_in_threadpool(os.utime, kept)  # kept for `upload_store.KEPT_S` from now, not from the upload
            return await _preview(request, filename, folder, ticket, 400, samples_refused=True, note=note)
        except UnpublishableError as error:
            return page(request, "content_preview.html", 400, filename=filename, problems=error.problems, changes=None)
        except UserFacingError as error:
            return await _versions_page(request, "", error.message, 400)
        finally:
            if not keep:
                await run_in_threadpool(shutil.rmtree, kept, True)
        await run_in_threadpool(audit_trail.record, engine, who.username, "content published", f"version {version}")
        return done_then_go(request, f"Published version {version}", "/console/content")

    @app.get("/content/installed/lesson-plans.zip", response_model=None)
    async def installed_zip(who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """The plans laptops were installed with, as a zip to change and upload: before anything is published,
        a new HQ had no version to download and start from."""
        await run_in_threadpool(lambda: uploads.mkdir(mode=0o700, parents=True, exist_ok=True))  # none yet
        folder = Path(await run_in_threadpool(tempfile.mkdtemp, "", "content-zip-", str(uploads)))
        made = await run_in_threadpool(content.zip_folder, bundled("lesson_plans"), folder / "plans.zip")
        await run_in_threadpool(audit_trail.record, engine, who.username, "download", "installed lesson plans")
        return FileResponse(
            made, media_type="application/zip", filename="lesson-plans-installed.zip",
            background=BackgroundTask(shutil.rmtree, folder, True),
        )  # fmt: skip

    @app.get("/content/{version}.zip", response_model=None)
    async def content_zip(version: int, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """A published version as the zip of its plans folder: what to change and upload again, so that what
        was changed at HQ since (FAQ answers, programme rules) is kept."""
        folder = Path(await run_in_threadpool(tempfile.mkdtemp, "", "content-zip-", str(uploads)))
        try:
            made = await run_in_threadpool(published.zip_version, version, engine, blobs, folder / "plans.zip")
        except UserFacingError as error:
            await run_in_threadpool(shutil.rmtree, folder, True)
            raise HTTPException(status_code=404, detail=error.message) from None
        return FileResponse(
            made, media_type="application/zip", filename=f"lesson-plans-version-{version}.zip",
            background=BackgroundTask(shutil.rmtree, folder, True),
        )  # fmt: skip

    async def _preview(
        request: Request,
        filename: str,
        folder: Path,
        ticket: str,
        status: int = 200,
        samples_refused: bool = False,
        note: str = "",
        note_problem: str = "",
    ) -> HTMLResponse:
        """What publishing the unpacked upload would change, with the form that publishes it: shown after the
        upload, and again (with the note as typed) when publishing was refused for its demonstration content or
        its note."""
        changes = await run_in_threadpool(_changes, engine, folder, blobs)
        undone = await run_in_threadpool(lambda: published.put_back(engine, content.fingerprints(folder)))
        demonstration = await run_in_threadpool(content.demonstration_in, folder)
        unmatched, names = await run_in_threadpool(_unmatched, engine, folder)
        forces = await run_in_threadpool(_forces, engine, folder)
        return page(
            request, "content_preview.html", status, filename=filename, problems=[], changes=changes, ticket=ticket,
            demonstration=demonstration, samples_refused=samples_refused, undone=undone, note=note,
            note_problem=note_problem, unmatched=unmatched, names=names, forces=forces,
        )  # fmt: skip

    async def _versions_page(request: Request, message: str, problem: str, status: int = 200) -> HTMLResponse:
        return await versions_page(request, page, engine, blobs, message, problem, status)


async def versions_page(
    request: Request, page: Page, engine: Engine, blobs: Path, message: str, problem: str, status: int = 200
) -> HTMLResponse:
    """The Lesson content page: every published version, with what an action said or the problem it met."""
    found = await run_in_threadpool(_versions, engine, blobs)
    taken = await run_in_threadpool(_uptake, engine)
    shown = await run_in_threadpool(in_current, engine, blobs)  # the current version's, marked while it lasts
    return page(
        request, "content.html", status, versions=found, uptake=taken, message=message, problem=problem,
        demonstration=shown,
    )  # fmt: skip


async def _save(upload: StarletteUpload, archive: Path) -> None:
    """Copy the upload to HQ's private uploads folder in pieces, refusing one larger than any set of plans."""
    archive.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    size = 0
    with archive.open("xb") as sink:
        while chunk := await upload.read(content_upload.CHUNK):
            size += len(chunk)
            if size > MAX_UPLOAD_BYTES:
                raise UserFacingError("The zip is larger than 2 GB: too large to publish from a browser.")
            await run_in_threadpool(sink.write, chunk)


def _unmatched(engine: Engine, folder: Path) -> tuple[dict[str, Unmatched], dict[str, str]]:
    """The upload's programmes whose audience matches no one on the roster, and each programme's name."""
    names = {p.programme.id: p.programme.name for p in load_library(folder).plans}
    try:
        rules = read_rules(folder / PROGRAMME_RULES)
    except UserFacingError:  # named among the upload's problems, and never published
        return {}, names
    return every_unmatched(engine, rules), names


def _forces(engine: Engine, folder: Path) -> dict[str, list[str]] | None:
    """Which of HQ's forces the upload gives details of their own (`forces/CODE.toml`) and which show the
    shared force.toml's, each as "Name (CODE)"; None on an HQ of one force whose upload has no such file,
    which publishes as it always has."""
    codes = content.force_codes(engine)
    if len(codes) <= 1 and not force_files.codes_in(folder):
        return None
    named = units.unit_names(engine)
    found = force_files.coverage(folder, codes)
    return {
        "own": [f"{named.get(code, code)} ({code})" for code in found.own],
        "shared": [f"{named.get(code, code)} ({code})" for code in found.shared],
    }


def _changes(engine: Engine, folder: Path, blobs: Path) -> published.Changes:
    return published.changes(published.current(engine), load_library(folder), content.fingerprints(folder), blobs)


def _versions(engine: Engine, blobs: Path) -> list[dict[str, object]]:
    return [
        {
            "version": v.version,
            "published_at": v.published_at[:16].replace("T", " "),
            "files": len(v.files),
            "note": v.note,
            "plans": [(p.id, p.version) for p in published.library(v, blobs).plans],
        }
        for v in published.versions(engine)
    ]


def _uptake(engine: Engine) -> content_uptake.Uptake | None:
    """How many active laptops hold the newest version, None before any is published."""
    newest = content_uptake.newest_version(engine)
    return content_uptake.uptake(devices.list_devices(engine), newest) if newest else None
