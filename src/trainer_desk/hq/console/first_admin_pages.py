"""The setup page of a new HQ: the address `serve` printed (see `hq.first_admin`) makes the first administrator
of the whole of HQ, who is then signed in, so that the learning team sets HQ up from the console alone.

`GET /setup/{token}` checks the token (in constant time), notes in the browser's signed session that it was
given, and sends the browser on to `/setup`, an address without the token; the form there is refused as soon
as HQ has any account, whatever the session says."""

# No `from __future__ import annotations`: see app.py.
from fastapi import FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.hq import audit_trail, first_admin, staff
from trainer_desk.hq.console.admin import FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.database import utc_now

GIVEN = "setup_token_given"  # the session's mark that this browser opened the printed address
SET_UP_ALREADY = "This HQ has an account already, so this setup address no longer works: sign in instead."
NOT_GIVEN = (
    "Open the setup address that trainer-desk-hq serve printed when it started (it ends in a long code), or sign in."
)


def add_routes(app: FastAPI, engine: Engine, page: Page, checked_form: FormReader, token: str) -> None:
    """`token`: the one this `serve` printed, or '' where it printed none (HQ had an account when it started)."""

    async def still_new() -> None:
        if not await run_in_threadpool(first_admin.no_accounts, engine):
            raise HTTPException(status_code=410, detail=SET_UP_ALREADY)

    @app.get("/setup/{sent}", response_model=None)
    async def setup_address(request: Request, sent: str) -> Response:
        await still_new()
        if not first_admin.matches(token, sent):
            raise HTTPException(status_code=404, detail=NOT_GIVEN)
        request.session[GIVEN] = True
        return RedirectResponse("/console/setup", 303)

    @app.get("/setup", response_class=HTMLResponse)
    async def setup_form(request: Request) -> HTMLResponse:
        await still_new()
        if not request.session.get(GIVEN):
            raise HTTPException(status_code=404, detail=NOT_GIVEN)
        return _no_store(page(request, "setup.html", who=None, typed=""))

    @app.post("/setup", response_model=None)
    async def setup_made(request: Request) -> Response:
        form = await checked_form(request)
        await still_new()
        if not request.session.get(GIVEN):
            raise HTTPException(status_code=404, detail=NOT_GIVEN)
        username = str(form.get("username", "")).strip().lower()[:80]
        password = str(form.get("password", ""))
        try:
            if password != str(form.get("again", "")):
                raise FieldError("again", "The two passwords differ: type the same one twice.")
            who = await run_in_threadpool(lambda: staff.add(engine, username, password, "admin", "", first=True))
        except UserFacingError as error:
            if not await run_in_threadpool(first_admin.no_accounts, engine):
                raise HTTPException(status_code=410, detail=SET_UP_ALREADY) from None
            field = error.field if isinstance(error, FieldError) else "password"
            shown = problem_at(FieldError(field, error.message), message=_sentence(error.message))
            return _no_store(page(request, "setup.html", 400, who=None, typed=username, **shown))
        address = request.client.host if request.client else ""
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "first administrator made",
            f"{who.username}, from the setup address serve printed, from {address}",
        )  # fmt: skip
        request.session.clear()  # signed in as the new administrator, with a new CSRF token
        now = utc_now().isoformat()
        request.session.update(
            {"user": who.username, "password_set_at": who.password_set_at, "since": now, "seen": now}
        )
        await run_in_threadpool(audit_trail.record, engine, who.username, "signed in", f"from {address}")
        return RedirectResponse("/console/", 303)


def _no_store(response: HTMLResponse) -> HTMLResponse:
    """The page takes a password: never kept by the browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
