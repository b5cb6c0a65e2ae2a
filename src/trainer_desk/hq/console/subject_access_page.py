"""The console's subject access page: everything HQ holds about one person, as the JSON file
`trainer-desk-hq subject-access` writes, for an HQ administrator, recorded in the audit trail with whose it was
(an auditor can see every export that was made). An administrator granted on a unit exports only for people on
the roster in it: anyone else (another unit's, or someone HQ has no unit for) is "not found", alike, so the page
never tells them whether HQ holds anyone outside their units."""

# No `from __future__ import annotations`: see app.py.
import json
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.hq import audit_trail, subject_access
from trainer_desk.hq.console import scope
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.staff import StaffMember


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin")

    @app.get("/subject-access", response_class=HTMLResponse)
    async def subject_access_form(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return page(request, "subject_access.html", staff_number="")

    @app.post("/subject-access", response_model=None)
    async def subject_access_export(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        form = await checked_form(request)
        asked = str(form.get("staff_number", ""))
        try:
            if not who.covers(await run_in_threadpool(subject_access.unit_of, engine, asked)):
                raise FieldError("staff_number", scope.NOT_FOUND)
            found = await run_in_threadpool(subject_access.export, engine, home / "blobs", asked)
        except UserFacingError as error:  # said at the staff number, which stays as typed, to be put right
            shown = problem_at(FieldError("staff_number", error.message))
            return page(request, "subject_access.html", 404, **shown, staff_number=asked[:40])
        number = found["staff number"]
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "subject access export", f"staff number {number}"
        )
        return Response(
            json.dumps(found, indent=2, ensure_ascii=False),
            media_type="application/json; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="subject-access-{number}.json"'},
        )
