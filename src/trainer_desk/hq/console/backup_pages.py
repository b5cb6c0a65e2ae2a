"""The console's backups page: make a backup of HQ now, and download one, for an HQ administrator; the same
function as `trainer-desk-hq backup`. Restoring replaces a whole HQ, so it is done with `trainer-desk-hq
restore` into a new, empty HQ, never from a browser."""

# No `from __future__ import annotations`: see app.py.
import re
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import audit_trail, backup
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.staff import StaffMember

_NAME = re.compile(rf"^{backup.NAME_PREFIX}[0-9-]+\.zip$")


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin", whole_hq=True)  # acts on the whole of HQ (every force)
    folder, blobs = home / "backups", home / "blobs"

    @app.get("/backups", response_class=HTMLResponse)
    async def backup_list(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        found = await run_in_threadpool(backup.backups, folder)
        return page(request, "backups.html", backups=found, message=said_once(request))

    @app.post("/backups", response_model=None)
    async def backup_now(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        await checked_form(request)
        try:
            made = await run_in_threadpool(backup.make_backup, engine, blobs, folder)
        except (UserFacingError, OSError) as error:
            found = await run_in_threadpool(backup.backups, folder)
            return page(request, "backups.html", 500, backups=found, problem=f"No backup was made: {error}")
        await run_in_threadpool(audit_trail.record, engine, who.username, "backup made", made.name)
        return done_then_go(request, f"Backed up: {made.name}", "/console/backups")

    @app.get("/backups/{name}", response_model=None)
    async def backup_download(name: str, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        path = folder / name
        if not _NAME.fullmatch(name) or not path.is_file():
            raise HTTPException(status_code=404, detail="No such backup.")
        await run_in_threadpool(audit_trail.record, engine, who.username, "download", f"backup {name}")
        return FileResponse(path, media_type="application/zip", filename=name)
