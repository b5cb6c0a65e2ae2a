"""The console's sign-in page and signing out. Wrong passwords are counted per account and network address, and
per address (`hq.sign_in_limits`); past their limits sign-in is held back for a while, saying how long, and
each lockout is recorded in the audit trail once. A
form sent after its session ended comes through the sign-in form (`resend_action`, `resend_fields`) and, once
the same person has signed in again, is offered to send again on a page naming where it came from."""

# No `from __future__ import annotations`: see app.py.
import json
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import Engine

from trainer_desk.hq import audit_trail, first_admin, posted_form, staff
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.sign_in_limits import SignInLimits
from trainer_desk.hq.staff import StaffMember

SIGN_IN_FORM_BYTES = 4 * posted_form.PLAIN_FORM_BYTES  # it may carry back a form sent as the session ended
PAGE_NAMES = {  # a form's page by its address, named as in the console's menu
    "enrollment": "Enrollment codes",
    "walk-ins": "Walk-ins",
    "roster": "Roster",
    "content": "Lesson content",
    "faq-questions": "FAQ questions",
    "programmes": "Programmes",
    "exemptions": "Exemptions",
    "plan": "Plan a session",
    "subject-access": "Subject access",
    "records": "Records",
}


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, wrong_passwords: SignInLimits
) -> None:
    """`wrong_passwords`: the counts of wrong passwords, which an administrator's reset forgives."""

    @app.get("/sign-in", response_class=HTMLResponse, name="sign_in_page")
    async def sign_in_page(request: Request, next: str = "/console/") -> HTMLResponse:
        return await sign_in_shown(page, engine, request, next=local_page(next))

    @app.post("/sign-in", response_model=None)
    async def sign_in(request: Request) -> Response:
        form = await checked_form(request, SIGN_IN_FORM_BYTES)
        username = str(form.get("username", "")).strip().lower()[:80]
        address = request.client.host if request.client else ""
        next_page = local_page(str(form.get("next", "/console/")))
        resend = {
            "resend_action": str(form.get("resend_action", "")),
            "resend_fields": str(form.get("resend_fields", "")),
        }
        held_back = await run_in_threadpool(wrong_passwords.refusal, username, address)
        if held_back:  # not recorded: the lockout was, once
            return await sign_in_shown(
                page, engine, request, 429, next=next_page, username=username, **resend, problem=held_back
            )
        who = await run_in_threadpool(staff.check_password, engine, username, str(form.get("password", "")))
        if who is None:
            locked = await run_in_threadpool(wrong_passwords.failed, username, address)
            if locked:
                named = await run_in_threadpool(staff.named_in_audit, engine, username)
                await run_in_threadpool(audit_trail.record, engine, named, "sign-in locked", locked)
            return await sign_in_shown(
                page, engine, request, 401, next=next_page, username=username, **resend,
                problem="That username and password do not match an account that may sign in.",
            )  # fmt: skip
        ended = request.session.get("ended")  # whose session it was that a form arrived after
        request.session.clear()  # a new session, and a new CSRF token, for the signed-in person
        now = utc_now().isoformat()
        request.session.update(
            {"user": who.username, "password_set_at": who.password_set_at, "since": now, "seen": now}
        )
        await run_in_threadpool(audit_trail.record, engine, who.username, "signed in", f"from {address}")
        landing = "/console/audit" if who.role == "auditor" else next_page
        fields = _resend_fields(resend["resend_fields"])
        action = local_page(resend["resend_action"])
        if resend["resend_action"] and fields is not None and who.username == ended and who.role != "auditor":
            request.state.who = who
            return page(
                request, "resend.html", action=action, fields=fields, back=landing,
                page_name=PAGE_NAMES.get(action.removeprefix("/console/").split("/")[0], ""),
            )  # fmt: skip
        return RedirectResponse(landing, 303)

    @app.post("/sign-out", response_model=None)
    async def sign_out(request: Request, who: Annotated[StaffMember, Depends(allowed(*staff.ROLES))]) -> Response:
        await checked_form(request)
        request.session.clear()
        await run_in_threadpool(staff.sign_out, engine, who.username, utc_now().isoformat())
        await run_in_threadpool(audit_trail.record, engine, who.username, "signed out", "")
        return RedirectResponse("/console/sign-in", 303)


async def sign_in_shown(
    page: Page, engine: Engine, request: Request, status: int = 200, **context: Any
) -> HTMLResponse:
    """The sign-in page, however it came to be shown (a visit, a wrong password, too many, a session that
    ended): on an HQ with no account yet it says where the setup address is, since no password can work there
    and the person at the form needs to know what does."""
    fresh = await run_in_threadpool(first_admin.no_accounts, engine)
    return page(request, "sign_in.html", status, who=None, fresh=fresh, **context)


def _resend_fields(text: str) -> list[tuple[str, str]] | None:
    """The fields carried through the sign-in form, read as the untrusted text they are."""
    try:
        fields = json.loads(text) if text else None
    except ValueError:
        return None
    if not isinstance(fields, list) or not fields or len(fields) > posted_form.MAX_FIELDS:
        return None
    pairs = [(f[0], f[1]) for f in fields if isinstance(f, list) and len(f) == 2 and all(isinstance(x, str) for x in f)]
    return pairs if len(pairs) == len(fields) else None


def local_page(target: str) -> str:
    """Only a page of this console: never a redirect to anywhere else, nor out of the console by `..`."""
    path = target.split("?", 1)[0].lower()
    odd = "//" in target or "\\" in target or ".." in path or "%" in path or not target.isprintable()
    return target if target.startswith("/console/") and not odd else "/console/"
