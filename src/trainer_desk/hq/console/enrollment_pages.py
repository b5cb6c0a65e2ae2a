"""The console's Enrollment codes page: issue a one-time code for a trainer's or a lead's laptop (shown once, with
a QR code), see the codes issued and still waiting to be used, and withdraw one, after a page naming whom and
which unit it is for. A code printed for a trainer who then left, or a printout lost, stayed usable until it
expired: nothing of it could be seen again. The same functions as `trainer-desk-hq enroll-code`
(`enrollment_codes`), for the units the administrator's grant covers (`scope`)."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated, Any

import segno
from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import Engine

from trainer_desk.core.enrollment_link import make_link
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.hq import enrollment_codes
from trainer_desk.hq.console import scope
from trainer_desk.hq.console.admin import Allowed, FormReader, Page, hq_url, name_owners, unit_on_roster
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.enrollment_codes import Code
from trainer_desk.hq.ownership import DEVICE_ROLE_WORDS, DEVICE_ROLES
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices
from trainer_desk.hq.units import unit_codes, unit_in_words, unit_names_known


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin")  # each code's unit is checked with `scope.reach`

    @app.get("/enrollment", response_class=HTMLResponse)
    async def enrollment_form(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return await _enrollment_page(request, who, None, {}, message=said_once(request))

    @app.post("/enrollment", response_class=HTMLResponse)
    async def enrollment_code(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        form = await checked_form(request)
        trainer, unit, role = (str(form.get(k, "")).strip() for k in ("trainer", "unit", "role"))
        try:
            unit = (unit or await unit_on_roster(engine, who, trainer, "the laptop records for")).upper()
            scope.reach(who, unit)  # a lead's laptop receives every session and register of its unit
            hours = int(str(form.get("hours", "72")))
            code = await run_in_threadpool(enrollment_codes.issue, engine, who.username, trainer, unit, role, hours)
        except UserFacingError as error:  # what was typed and chosen stays, to be put right
            return await _enrollment_page(request, who, None, problem_at(error), status=400, typed=form)
        except ValueError:
            shown = problem_at(FieldError("hours", "Give the hours as a whole number."))
            return await _enrollment_page(request, who, None, shown, status=400, typed=form)
        link = make_link(hq_url(request), code)
        issued = {"code": code, "trainer": trainer, "unit": unit, "role": role, "link": link, "qr": qr_svg(link)}
        await run_in_threadpool(name_owners, engine, [issued])
        return await _enrollment_page(request, who, issued, {})

    @app.get("/enrollment/{reference}/withdraw", response_class=HTMLResponse)
    async def withdraw_check(
        request: Request, reference: str, who: Annotated[StaffMember, Depends(admins)]
    ) -> HTMLResponse:
        """The step before withdrawing a code: the list's row names it, but the page that acts says for whom and
        which unit, as Devices' revoke and lost do, and it cannot be undone (a new code can be issued)."""
        return await _withdraw_page(request, await _code_within(who, reference))

    @app.post("/enrollment/{reference}/withdraw", response_model=None)
    async def withdraw(request: Request, reference: str, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """Posted from the confirmation step. A code used or withdrawn meanwhile (a laptop enrolled with it, or
        another administrator was quicker) is left as it is, and that page says what became of it."""
        await checked_form(request)
        code = await _code_within(who, reference)
        if not await run_in_threadpool(enrollment_codes.withdraw, engine, who.username, code):
            return await _withdraw_page(request, await _code_within(who, reference), 409)
        (shown,) = await run_in_threadpool(_shown, engine, [code])
        unit = await run_in_threadpool(unit_in_words, engine, code.unit)
        said = f"Withdrawn: the code for {shown['owner']}, {unit}, enrolls no laptop now."
        return done_then_go(request, said, "/console/enrollment")

    async def _code_within(who: StaffMember, reference: str) -> Code:
        """The code of this reference, if it is for a unit within the person's grant; 404 otherwise."""
        code = await run_in_threadpool(enrollment_codes.find, engine, reference)
        scope.reach(who, code.unit if code else None)
        if code is None:
            raise HTTPException(status_code=404, detail="HQ has no enrollment code by that reference.")
        return code

    async def _withdraw_page(request: Request, code: Code, status: int = 200) -> HTMLResponse:
        (shown,) = await run_in_threadpool(_shown, engine, [code])
        gone = enrollment_codes.no_longer_waiting(code)
        names = await run_in_threadpool(unit_names_known, engine)
        return page(request, "enrollment_withdraw.html", status, code=shown, gone=gone, unit_names=names)

    async def _enrollment_page(
        request: Request,
        who: StaffMember,
        issued: dict[str, str] | None,
        problem: dict[str, str],
        message: str = "",
        status: int = 200,
        typed: dict[str, Any] | None = None,
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty; `typed`: a refused form's fields, shown again."""
        units = [u for u in await run_in_threadpool(unit_codes, engine) if who.covers(u)]  # those it may name
        names = await run_in_threadpool(unit_names_known, engine)
        found = [c for c in await run_in_threadpool(enrollment_codes.waiting, engine) if who.covers(c.unit)]
        return page(
            request, "enrollment.html", status, issued=issued, **problem, message=message, units=sorted(units),
            unit_names=names, unit_choices=await run_in_threadpool(tree_choices, engine, units),
            role_choices=[(r, f"a {DEVICE_ROLE_WORDS[r]}") for r in DEVICE_ROLES],
            hq_url=hq_url(request), typed={k: str(v) for k, v in (typed or {}).items() if k != "csrf"},
            waiting=await run_in_threadpool(_shown, engine, found),
        )  # fmt: skip


_SHOWN = ("trainer", "unit", "role", "expires_at", "issued_at", "issued_by")


def _shown(engine: Engine, codes: list[Code]) -> list[dict[str, Any]]:
    """Codes as a page shows them: the trainer by name (`name_owners`, as Devices names laptops), the role in
    words, and a reference to act on; never the code, which HQ does not have, nor its hash."""
    rows = [
        {**{k: getattr(c, k) for k in _SHOWN}, "reference": c.reference, "waiting": c.state == "waiting"} for c in codes
    ]
    name_owners(engine, rows)
    return rows


def qr_svg(text: str) -> Markup:
    """A QR code of `text` as inline SVG, black on white with its quiet zone, large enough for a camera across
    a desk; drawn here, never fetched from anywhere."""
    svg = segno.make(text, error="m").svg_inline(scale=6, dark="#000", light="#fff", omitsize=False)
    return Markup(svg)  # segno's own markup, of a text it has encoded
