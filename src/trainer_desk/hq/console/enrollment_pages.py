"""The console's Enrollment codes page: issue a one-time code for a trainer's or a lead's laptop, shown once with
a QR code, for a unit the administrator's grant covers (`scope`). The same function as `trainer-desk-hq
enroll-code` (`enrollment_codes.issue`), which records it in the audit trail."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

import segno
from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from markupsafe import Markup
from sqlalchemy import Engine

from trainer_desk.core.enrollment_link import make_link
from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import enrollment_codes
from trainer_desk.hq.console import scope
from trainer_desk.hq.console.admin import Allowed, FormReader, Page, hq_url, name_owners, unit_on_roster
from trainer_desk.hq.ownership import DEVICE_ROLE_WORDS, DEVICE_ROLES
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.units import unit_codes


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin")  # each code's unit is checked with `scope.reach`

    @app.get("/enrollment", response_class=HTMLResponse)
    async def enrollment_form(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return await _enrollment_page(request, who, None, "")

    @app.post("/enrollment", response_class=HTMLResponse)
    async def enrollment_code(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        form = await checked_form(request)
        trainer, unit, role = (str(form.get(k, "")).strip() for k in ("trainer", "unit", "role"))
        try:
            unit = (unit or await unit_on_roster(engine, who, trainer, "the laptop records for")).upper()
            scope.reach(who, unit)  # a lead's laptop receives every session and register of its unit
            hours = int(str(form.get("hours", "72")))
            code = await run_in_threadpool(enrollment_codes.issue, engine, who.username, trainer, unit, role, hours)
        except UserFacingError as error:
            return await _enrollment_page(request, who, None, error.message, status=400)
        except ValueError:
            return await _enrollment_page(request, who, None, "Give the hours as a whole number.", status=400)
        link = make_link(hq_url(request), code)
        issued = {"code": code, "trainer": trainer, "unit": unit, "role": role, "link": link, "qr": qr_svg(link)}
        await run_in_threadpool(name_owners, engine, [issued])
        return await _enrollment_page(request, who, issued, "")

    async def _enrollment_page(
        request: Request,
        who: StaffMember,
        issued: dict[str, str] | None,
        problem: str,
        status: int = 200,
    ) -> HTMLResponse:
        units = [u for u in await run_in_threadpool(unit_codes, engine) if who.covers(u)]  # those it may name
        return page(
            request, "enrollment.html", status, issued=issued, problem=problem, units=sorted(units),
            device_roles=DEVICE_ROLES, role_words=DEVICE_ROLE_WORDS, hq_url=hq_url(request),
        )  # fmt: skip


def qr_svg(text: str) -> Markup:
    """A QR code of `text` as inline SVG, black on white with its quiet zone, large enough for a camera across
    a desk; drawn here, never fetched from anywhere."""
    svg = segno.make(text, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)  # segno's own markup, of a text it has encoded
