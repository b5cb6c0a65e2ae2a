"""HQ's console: pages for the learning team, BCU training leads and auditors, served by the HQ service itself.

Every page and download is behind `allowed(...)`, which signs the person in from their session cookie and
checks their role, and for what acts on the whole of HQ (the unit tree, lesson content, backups) that the role
is granted on the whole of HQ (`whole_hq=True`); what a force does for itself (its roster, walk-ins, records,
accounts and audit trail) needs a grant on a force or the whole of HQ (`force_admins`); every page that names a
unit or a session, and every action on a unit's thing (a device, a person, an enrollment), also checks it lies
within the unit the role is granted on (as `unit_compliance_page` and `session_page` do, and `scope.reach`),
and answers 404 otherwise, so neither a lead nor an administrator granted on one unit can even learn what other
units hold. The routes that need no sign-in are listed in PUBLIC (the sign-in page, `sign_in_pages`), and a
test walks the routing table to hold every other route to that.

Sessions are Starlette's signed cookies (itsdangerous): HttpOnly, SameSite=Strict, Secure whenever the console
is not on loopback, and ended by the server after MAX_AGE or IDLE, or at once when the password is reset or the
account disabled. Every form carries a CSRF token from the session, checked before anything is done.
"""

# No `from __future__ import annotations`: FastAPI reads each route's Depends(allowed(...)) from its annotation,
# which names this module's closures and must be evaluated where the route is defined.
import hmac
import json
import secrets
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from trainer_desk.core import force_clock
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.hq import audit_trail, compliance, posted_form, staff, upload_store
from trainer_desk.hq.completions import catch_up_for_reading
from trainer_desk.hq.console import (
    account_pages,
    admin,
    backup_pages,
    content_pages,
    content_rollback,
    dashboard_page,
    downloads,
    enrollment_pages,
    exemption_pages,
    faq_page,
    feedback_page,
    first_admin_pages,
    programme_pages,
    records_page,
    roster_pages,
    session_bookings,
    session_page,
    sessions_page,
    sign_in_pages,
    subject_access_page,
    unit_compliance_page,
    unit_pages,
    walk_in_pages,
)
from trainer_desk.hq.console.force_admins import force_admins
from trainer_desk.hq.console.sign_in_pages import local_page, sign_in_shown
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.sign_in_limits import SignInLimits
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unexpected_errors import UnexpectedErrors, unexpected_page

HERE = Path(__file__).parent
MAX_AGE = timedelta(hours=8)  # a working day, then sign in again
IDLE = timedelta(minutes=30)
PUBLIC = {"/sign-in", "/static", "/setup"}  # the only paths served without signing in (setup: first_admin_pages)
AUDITORS = ("admin", "auditor")
ROUTING_PROBLEMS = {  # what Starlette's router says, in the console's words
    404: "There is no page at this address in the console.",
    405: "This address is for sending a form, not for opening: go back to the page the form is on.",
}
NO_FORM_HERE = "This page takes no form: go back and try again from the page."  # a 405 for a post
NEVER_RESENT = (  # forms that confirm what their page showed: after signing in, back to that page instead
    "/console/accounts",  # and those that make or carry a password, which never goes into another page
    "/console/password",
    "/console/sessions/",  # cancelling a session, withdrawing an exemption or a code, after the page saying what
    "/console/exemptions/",
    "/console/enrollment/",
    "/console/devices/",
    "/console/roster/apply",
    "/console/content/",
    "/console/backups",
    "/console/records/retention",
)


OWN_WAY = frozenset({"password", "sign-out"})  # the pages an account with an issued password may reach


class SignInNeededError(Exception):
    """Raised by `allowed` for a visitor with no live session: answered with the sign-in page."""


class OwnPasswordNeededError(Exception):
    """Raised by `allowed` for an account signed in with a password an administrator issued (`staff.add`):
    answered with the page to choose one's own, whatever page was asked for."""


def console_app(
    engine: Engine,
    secret: str,
    secure_cookies: bool,
    home: Path,
    pushing: Callable[[], bool] = lambda: False,
    setup_token: str = "",
) -> FastAPI:
    """`home` is HQ's folder: its content store (`blobs`) and where uploads wait to be applied (`uploads`).
    `pushing` says whether laptops' pushes are being written: a page then counts the completions table as it
    stands, a moment behind, rather than catch up itself at the laptops' expense. `setup_token`: the one `serve`
    printed for making a new HQ's first administrator (`first_admin_pages`), or ''."""
    app = FastAPI(title="Trainer Desk HQ console", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(UnexpectedErrors, answer=lambda r, e: unexpected_page(page, r, e), where="/console")
    app.add_middleware(  # outside the line above, so that its page can still read the session
        SessionMiddleware,
        secret_key=secret,
        session_cookie="trainer_desk_console",
        max_age=int(MAX_AGE.total_seconds()),
        same_site="strict",
        https_only=secure_cookies,
    )
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    pages = Jinja2Templates(directory=HERE / "templates")
    pages.env.filters["uk_time"] = force_clock.shown
    pages.env.filters["uk_day"] = force_clock.shown_day
    pages.env.filters["unit_for_people"] = unit_for_people  # a unit in a list to choose from: "North BCU (NORTH)"
    wrong_passwords = SignInLimits(engine)  # in the database: every worker counts the same wrong passwords
    upload_store.clear_old(home / "uploads")  # what was left when HQ last stopped, once too old to apply

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("who", getattr(request.state, "who", None))
        context["csrf"] = _csrf_token(request)
        context["roles"] = staff.ROLES
        return pages.TemplateResponse(request, name, context, status_code=status)

    def allowed(*roles: str, whole_hq: bool = False) -> Callable[[Request], Awaitable[StaffMember]]:
        """The signed-in account, if its role is one of `roles` and, for a page that acts on the whole of HQ
        (`whole_hq`), its grant is on the whole of HQ: an administrator granted on one force or unit must not
        change HQ's unit tree, publish its lesson content or take its backups."""

        async def signed_in(request: Request) -> StaffMember:
            session = request.session
            started = _time(session.get("since"))
            seen = _time(session.get("seen"))
            now = utc_now()
            if started is None or seen is None or now - started > MAX_AGE or now - seen > IDLE:
                _end(session)
                raise SignInNeededError
            who = await run_in_threadpool(
                staff.current, engine, str(session.get("user", "")), str(session.get("password_set_at", "")),
                started.isoformat(),
            )  # fmt: skip
            if who is None:
                _end(session)
                raise SignInNeededError
            if who.password_issued and request.url.path.removesuffix("/").rsplit("/", 1)[-1] not in OWN_WAY:
                raise OwnPasswordNeededError
            if who.role not in roles:
                raise HTTPException(status_code=403, detail="Your role does not include this page.")
            if whole_hq and not who.whole_hq:
                raise HTTPException(status_code=403, detail=staff.whole_hq_refusal(who))
            session["seen"] = now.isoformat()
            request.state.who = who
            if who.reads_records and not pushing():  # figures count the completions table: keep it up first
                await run_in_threadpool(catch_up_for_reading, engine)
            return who

        signed_in.checks_role = True  # type: ignore[attr-defined]  # the route walk looks for this mark
        return signed_in

    @app.exception_handler(OwnPasswordNeededError)
    async def to_own_password(request: Request, _error: OwnPasswordNeededError) -> Response:
        return RedirectResponse("/console/password", 303)

    @app.exception_handler(SignInNeededError)
    async def to_sign_in(request: Request, _error: SignInNeededError) -> Response:
        """Back to where the person was once signed in again: the page with its filters, or for a form sent
        after the session ended, the form's page and what they had typed, offered to send again."""
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method != "POST" or request.url.path.endswith("/sign-out"):  # signing out: done already
            return RedirectResponse(request.url_for("sign_in_page").include_query_params(next=here), 303)
        unsent, had_file = await _unsent_form(request)
        came_from = urlsplit(request.headers.get("referer", ""))
        back = local_page(came_from.path + (f"?{came_from.query}" if came_from.query else ""))
        ended = "Your session ended before that reached HQ, so nothing was changed"
        if had_file:
            problem = f"{ended}: sign in and choose the file again."
        elif unsent:
            problem = f"{ended}. Sign in to send it again."
        elif request.url.path.startswith(NEVER_RESENT):
            problem = (
                f"{ended}. This form is not kept to send again, as it acts on what its page showed: sign in, "
                "check the page and do it again."
            )
        else:
            problem = f"{ended}: sign in and do it again."
        return await sign_in_shown(
            page, engine, request, 401, next=back, problem=problem,
            username=str(request.session.get("ended", "")),
            resend_action=request.url.path if unsent else "", resend_fields=json.dumps(unsent or []),
        )  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def plainly(request: Request, error: StarletteHTTPException) -> Response:
        """Every refusal as a page: ours (FastAPI's HTTPException) and the router's own 404 and 405 alike."""
        problem = error.detail
        if type(error) is StarletteHTTPException:  # the router's, not ours
            posted = error.status_code == 405 and request.method != "GET"
            problem = NO_FORM_HERE if posted else ROUTING_PROBLEMS.get(error.status_code, error.detail)
        return page(request, "problem.html", error.status_code, problem=problem, code=error.status_code)

    @app.get("/trainers", response_class=HTMLResponse)
    async def trainer_list(
        request: Request, who: Annotated[StaffMember, Depends(allowed(*staff.READERS))]
    ) -> HTMLResponse:
        units = who.units
        found = await run_in_threadpool(compliance.trainers, engine, units, force_clock.today())
        return page(request, "trainers.html", trainers=found)

    auditors = force_admins(allowed, "Reading the audit trail", AUDITORS)  # a force's reads its own entries

    @app.get("/audit", response_class=HTMLResponse)
    async def audit(request: Request, who: Annotated[StaffMember, Depends(auditors)], q: str = "") -> HTMLResponse:
        """A reader granted on a force reads the entries of its own accounts only (`audit_trail.search`)."""
        entries = await run_in_threadpool(lambda: audit_trail.search(engine, q[:100], reader=who))
        # A session's or laptop's page is linked for those whose role opens it (an auditor's does not).
        may_open = frozenset(("session", "device") if who.role in staff.READERS else ())
        entries = await run_in_threadpool(audit_trail.with_links, engine, entries, may_open)
        return page(request, "audit.html", entries=entries, q=q[:100])

    sign_in_pages.add_routes(app, engine, page, allowed, _checked_form, wrong_passwords)
    dashboard_page.add_routes(app, engine, page, allowed, home)
    unit_compliance_page.add_routes(app, engine, page, allowed, home)
    session_page.add_routes(app, engine, page, allowed, home)
    feedback_page.add_routes(app, engine, page, allowed, home)
    admin.add_routes(app, engine, page, allowed, _checked_form, home)
    enrollment_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    walk_in_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    downloads.add_routes(app, engine, page, allowed, home)
    content_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    content_rollback.add_routes(app, engine, page, allowed, _checked_form, home)
    backup_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    records_page.add_routes(app, engine, page, allowed, _checked_form, home)
    roster_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    unit_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    sessions_page.add_routes(app, engine, page, allowed, home)
    session_bookings.add_routes(app, engine, page, allowed, _checked_form, home)
    subject_access_page.add_routes(app, engine, page, allowed, _checked_form, home)
    programme_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    exemption_pages.add_routes(app, engine, page, allowed, _checked_form, home)
    faq_page.add_routes(app, engine, page, allowed, _checked_form, home)
    account_pages.add_routes(app, engine, page, allowed, _checked_form, home, wrong_passwords)
    first_admin_pages.add_routes(app, engine, page, _checked_form, setup_token)
    return app


def _csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def _checked_form(
    request: Request, limit: int = posted_form.PLAIN_FORM_BYTES, upload: bool = False
) -> dict[str, Any]:
    """The posted form, once its CSRF token matches the session's; 403 otherwise, before anything is done. Only
    a page that takes an `upload` reads a multipart form."""
    form = await posted_form.read(request, limit, upload)
    if not _from_this_session(request, form.get("csrf")):
        raise HTTPException(status_code=403, detail="This form has expired or did not come from this console.")
    return dict(form)


def _from_this_session(request: Request, sent: object) -> bool:
    expected = request.session.get("csrf")
    return isinstance(expected, str) and hmac.compare_digest(str(sent or "").encode(), expected.encode())


async def _unsent_form(request: Request) -> tuple[list[tuple[str, str]] | None, bool]:
    """The text fields of a form posted after its session ended, to offer again once signed in, and whether it
    was an upload, which a browser will not let a page choose again on the person's behalf (and which is never
    read here: nobody signed in asked HQ to take it). None unless the form carries the session's own CSRF
    token, so a form from elsewhere is never offered, and never for a form that confirms what its page showed
    (NEVER_RESENT): sent again on its own, it would act without the page that said what it does."""
    if posted_form.is_upload(request):
        return None, True
    if not isinstance(request.session.get("csrf"), str) or request.url.path.startswith(NEVER_RESENT):
        return None, False
    try:
        form = await posted_form.read(request)
    except StarletteHTTPException:
        return None, False
    if not _from_this_session(request, form.get("csrf")):
        return None, False
    return [(k, v) for k, v in form.multi_items() if k != "csrf" and isinstance(v, str)] or None, False


def _end(session: dict[str, Any]) -> None:
    """Sign the person out, remembering who it was: only they are offered a form of theirs again."""
    if "user" in session:
        session["ended"] = session.pop("user")


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
