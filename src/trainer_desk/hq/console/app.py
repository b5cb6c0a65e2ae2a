"""HQ's console: pages for the learning team, BCU training leads and auditors, served by the HQ service itself.

Every page and download is behind `allowed(...)`, which signs the person in from their session cookie and
checks their role, and for what acts on the whole force (the roster, lesson content, backups, every unit's
walk-ins, every person's records, the audit trail) that the role is granted on the whole of HQ
(`whole_hq=True`); every page that names a unit or a session, and every action on a unit's thing (a device, a
person, an enrollment), also checks it lies within the unit the role is granted on (`_within`, `scope.reach`),
and answers 404 otherwise, so neither a lead nor an administrator granted on one unit can even learn what other
units hold. The routes that need no sign-in are listed in PUBLIC, and a test walks the routing table to hold
every other route to that.

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
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import date, datetime, timedelta
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

from trainer_desk.core.compliance_count import audience_in_words
from trainer_desk.core.csv_file import csv_text
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.register_rows import status_in_words
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.export.compliance_report import chase_list_of_teams
from trainer_desk.hq import (
    audit_trail,
    compliance,
    devices,
    documents,
    feedback_figures,
    follow_up_answers,
    force_clock,
    posted_form,
    published,
    session_labels,
    staff,
    upload_store,
)
from trainer_desk.hq import dashboard as dashboard_figures
from trainer_desk.hq.completions import catch_up_for_reading
from trainer_desk.hq.console import (
    account_pages,
    admin,
    backup_pages,
    content_pages,
    content_rollback,
    downloads,
    enrollment_pages,
    exemption_pages,
    faq_page,
    programme_pages,
    records_page,
    roster_pages,
    session_bookings,
    sessions_page,
    subject_access_page,
    unit_pages,
    walk_in_pages,
)
from trainer_desk.hq.console.asked_days import Amended, asked_days
from trainer_desk.hq.console.first_steps import first_steps
from trainer_desk.hq.console.flash import said_once
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.rate_limit import (
    ADDRESS_FAILURES_ALLOWED,
    SIGN_IN_FAILURES_ALLOWED,
    SIGN_IN_WINDOW_S,
    FailureLimit,
)
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices

HERE = Path(__file__).parent
MAX_AGE = timedelta(hours=8)  # a working day, then sign in again
IDLE = timedelta(minutes=30)
QUIET_AFTER = timedelta(days=1)  # a unit's laptop not synced for this long: its registers may be missing
SIGN_IN_FORM_BYTES = 4 * posted_form.PLAIN_FORM_BYTES  # it may carry back a form sent as the session ended
PUBLIC = {"/sign-in", "/static"}  # the only paths served without signing in
READERS = ("admin", "viewer", "lead")  # who sees training figures and registers
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


OWN_WAY = frozenset({"password", "sign-out"})  # the pages an account with an issued password may reach


class SignInNeededError(Exception):
    """Raised by `allowed` for a visitor with no live session: answered with the sign-in page."""


class OwnPasswordNeededError(Exception):
    """Raised by `allowed` for an account signed in with a password an administrator issued (`staff.add`):
    answered with the page to choose one's own, whatever page was asked for."""


def console_app(
    engine: Engine, secret: str, secure_cookies: bool, home: Path, pushing: Callable[[], bool] = lambda: False
) -> FastAPI:
    """`home` is HQ's folder: its content store (`blobs`) and where uploads wait to be applied (`uploads`).
    `pushing` says whether laptops' pushes are being written: a page then counts the completions table as it
    stands, a moment behind, rather than catch up itself at the laptops' expense."""
    app = FastAPI(title="Trainer Desk HQ console", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(
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
    wrong_passwords = FailureLimit(SIGN_IN_FAILURES_ALLOWED, SIGN_IN_WINDOW_S)  # per account
    wrong_from = FailureLimit(ADDRESS_FAILURES_ALLOWED, SIGN_IN_WINDOW_S)  # per address
    blobs = home / "blobs"
    upload_store.clear_old(home / "uploads")  # what was left when HQ last stopped, once too old to apply

    def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("who", getattr(request.state, "who", None))
        context["csrf"] = _csrf_token(request)
        context["roles"] = staff.ROLES
        return pages.TemplateResponse(request, name, context, status_code=status)

    def allowed(*roles: str, whole_hq: bool = False) -> Callable[[Request], Awaitable[StaffMember]]:
        """The signed-in account, if its role is one of `roles` and, for a page that acts on the whole force
        (`whole_hq`), its grant is on the whole of HQ: an administrator granted on one unit must not import the
        force's roster, publish its lesson content or take its backups."""

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
                raise HTTPException(
                    status_code=403,
                    detail=f"This acts on the whole force: it needs a grant on the whole of HQ, and yours is on "
                    f"{who.unit}.",
                )
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
        back = _local(came_from.path + (f"?{came_from.query}" if came_from.query else ""))
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
        return page(
            request, "sign_in.html", 401, next=back, who=None, problem=problem,
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

    @app.get("/sign-in", response_class=HTMLResponse, name="sign_in_page")
    async def sign_in_page(request: Request, next: str = "/console/") -> HTMLResponse:
        return page(request, "sign_in.html", next=_local(next), who=None)

    @app.post("/sign-in", response_model=None)
    async def sign_in(request: Request) -> Response:
        form = await _checked_form(request, SIGN_IN_FORM_BYTES)
        username = str(form.get("username", "")).strip().lower()[:80]
        address = request.client.host if request.client else ""
        next_page = _local(str(form.get("next", "/console/")))
        resend = {
            "resend_action": str(form.get("resend_action", "")),
            "resend_fields": str(form.get("resend_fields", "")),
        }
        held_back = (
            "Too many wrong passwords for this account: wait a quarter of an hour, or ask an HQ administrator "
            "to reset its password."
            if wrong_passwords.wait_for(username)
            else "Too many wrong passwords from this network address: wait a quarter of an hour."
            if wrong_from.wait_for(address)
            else ""
        )
        if held_back:
            named = await run_in_threadpool(staff.named_in_audit, engine, username)
            await run_in_threadpool(audit_trail.record, engine, named, "sign-in refused", f"too many, from {address}")
            return page(
                request, "sign_in.html", 429, next=next_page, who=None, username=username, **resend,
                problem=held_back,
            )  # fmt: skip
        who = await run_in_threadpool(staff.check_password, engine, username, str(form.get("password", "")))
        if who is None:
            wrong_from.failed(address)
            wrong_passwords.failed(username)
            named = await run_in_threadpool(staff.named_in_audit, engine, username)
            await run_in_threadpool(audit_trail.record, engine, named, "sign-in failed", f"from {address}")
            return page(
                request, "sign_in.html", 401, next=next_page, who=None, username=username, **resend,
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
        action = _local(resend["resend_action"])
        if resend["resend_action"] and fields is not None and who.username == ended and who.role != "auditor":
            request.state.who = who
            return page(
                request, "resend.html", action=action, fields=fields, back=landing,
                page_name=PAGE_NAMES.get(action.removeprefix("/console/").split("/")[0], ""),
            )  # fmt: skip
        return RedirectResponse(landing, 303)

    @app.post("/sign-out", response_model=None)
    async def sign_out(request: Request, who: Annotated[StaffMember, Depends(allowed(*staff.ROLES))]) -> Response:
        await _checked_form(request)
        request.session.clear()
        await run_in_threadpool(staff.sign_out, engine, who.username, utc_now().isoformat())
        await run_in_threadpool(audit_trail.record, engine, who.username, "signed out", "")
        return RedirectResponse("/console/sign-in", 303)

    @app.get("/", response_class=HTMLResponse)
    async def dashboard(
        request: Request,
        who: Annotated[StaffMember, Depends(allowed(*READERS))],
        programme: str = "",
        unit: str = "",
        start: str = "",
        end: str = "",
    ) -> HTMLResponse:
        """One programme at a time, for every unit the person may see or one of them; the filters are the URL's,
        so a view can be bookmarked and sent on."""
        today = force_clock.today()
        first, last, amended = asked_days(start, end, today - timedelta(days=365), today)
        date_from, date_to = first or today, last or today  # never blank: both have defaults
        problem = {
            Amended.UNREADABLE: "Give the dates as YYYY-MM-DD.",
            Amended.SWAPPED: (
                "The first date was after the second, so the sessions shown are those from "
                f"{force_clock.day_text(date_from)} to {force_clock.day_text(date_to)}."
            ),
        }.get(amended, "")
        # A unit with units under it (a force) counts theirs too: a force chosen here showed "0 of 0".
        scope = await run_in_threadpool(_covered, engine, who, unit) if unit in who.units else who.units
        if unit and unit not in who.units:  # a link from someone else, or one typed: said, not passed over
            problem = "That unit is not among those you can see: these are the figures of all you can see."
        figures = await run_in_threadpool(_dashboard, engine, blobs, scope, programme, date_from, date_to, today)
        return page(
            request, "dashboard.html", problem=problem, unit=unit if unit in who.units else "",
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units),
            start=date_from.isoformat(), end=date_to.isoformat(),
            **figures,
            sessions_unit=unit if unit in who.units else "",
            steps=await run_in_threadpool(first_steps, engine) if who.role == "admin" and who.whole_hq else [],
        )  # fmt: skip

    @app.get("/units/{code}", response_class=HTMLResponse)
    async def unit(
        request: Request,
        code: str,
        who: Annotated[StaffMember, Depends(allowed(*READERS))],
        programme: str = "",
        team: str = "",
    ) -> HTMLResponse:
        """A unit's completion per team and its chase list (of one team, if chosen) for one programme. A unit with
        units under it (a force, a command) counts their people too: a force's page said nobody was in it."""
        covered = await run_in_threadpool(_covered, engine, who, code)
        today = force_clock.today()
        names = await run_in_threadpool(dashboard_figures.programme_names, engine, blobs)
        chosen, rule = await run_in_threadpool(_programme_and_rule, engine, blobs, names, programme)
        teams = await run_in_threadpool(dashboard_figures.breakdown, engine, covered, chosen, rule, today, teams=True)
        # The units straight under this one (a force's BCUs, a BCU's teams), each with those under it.
        under = (
            dashboard_figures.under_and_own(
                await run_in_threadpool(dashboard_figures.breakdown, engine, covered, chosen, rule, today, teams=False),
                code,
            )
            if len(covered) > 1
            else []
        )
        in_audience, outstanding = await run_in_threadpool(
            compliance.outstanding, engine, covered, chosen, rule, today, team[:60]
        )
        booked = await run_in_threadpool(compliance.booked, engine, chosen, today)
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        newest = await run_in_threadpool(compliance.sessions_in, engine, covered)
        sessions = await run_in_threadpool(session_labels.labelled, engine, known, newest.sessions)
        counted = utc_now()
        quiet = await run_in_threadpool(_quiet_laptops, engine, covered, counted)
        return page(
            request, "unit.html", code=code, unit_name=known.unit(code), programme=chosen, names=names, team=team[:60],
            teams=teams, under=under, several_units=len(covered) > 1, unit_names=known.unit_names,
            outstanding=outstanding, booked=booked, in_audience=in_audience, sessions=sessions,
            earlier=newest.earlier, sessions_unit=code,
            audience=audience_in_words(rule),
            counted=force_clock.in_words(counted), quiet=quiet, may_plan=who.plans_sessions,
        )  # fmt: skip

    @app.get("/units/{code}/outstanding.csv", response_model=None)
    async def outstanding_csv(
        code: str, who: Annotated[StaffMember, Depends(allowed(*READERS))], programme: str = "", team: str = ""
    ) -> Response:
        covered = await run_in_threadpool(_covered, engine, who, code)
        names = await run_in_threadpool(dashboard_figures.programme_names, engine, blobs)
        chosen, _rule = await run_in_threadpool(_programme_and_rule, engine, blobs, names, programme)
        today = force_clock.today()
        report = await run_in_threadpool(
            lambda: documents.compliance_report(
                engine, blobs, chosen, covered, code, today - timedelta(days=365), today, reasons=False
            )
        )
        if team:  # the team the page shows
            report = replace(report, outstanding=tuple(o for o in report.outstanding if o.team == team[:60]))
        header, rows = chase_list_of_teams(report)
        body = csv_text(header, rows)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "download", f"outstanding {chosen} {code}: {len(rows)}"
        )
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="outstanding-{code}-{chosen}-{today}.csv"'},
        )

    @app.get("/sessions/{session_uuid}", response_class=HTMLResponse)
    async def session_register(
        request: Request, session_uuid: str, who: Annotated[StaffMember, Depends(allowed(*READERS))]
    ) -> HTMLResponse:
        units = who.units
        found = await run_in_threadpool(compliance.session_at_hq, engine, session_uuid[:36])
        if found is None or found.get("unit_code") not in units:
            raise HTTPException(status_code=404, detail="No such session in the units you can see.")
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        (found,) = await run_in_threadpool(session_labels.labelled, engine, known, [found])
        newest = await run_in_threadpool(published.newest, engine, blobs)
        programme = str(found.get("programme_id", ""))
        rule = newest.rules.get(programme) or ProgrammeRule(programme)
        register = await run_in_threadpool(compliance.register_of, engine, session_uuid, rule)
        for line in register:  # as the laptop and the printed sheet word it: booked, before it has happened
            line["shown_status"] = status_in_words(line.get("status"), found.get("status"))
            if line.get("completed_elsewhere"):  # a completion synced since they were booked: said, to act on
                line["shown_status"] = session_bookings.booked_for_nothing(
                    known.programme(found), line["completed_elsewhere"]
                )
            line["unit_name"] = known.unit(line.get("unit_code"))
        said = await run_in_threadpool(feedback_figures.for_session, engine, str(found["uuid"]), programme)
        plans = newest.library.plans
        feedback_figures.named([said], plans, str(found.get("plan_id", "")))
        cancellation = None
        if found.get("status") == SessionStatus.CANCELLED:
            cancellation = await run_in_threadpool(audit_trail.session_cancellation, engine, str(found["uuid"]))
        return page(
            request, "session.html", session=found, register=register, feedback=said, cancellation=cancellation,
            show_reasons=who.reads_reasons, minimum=feedback_figures.MIN_ANSWERS,
            may_plan=who.plans_sessions, said=said_once(request),
        )  # fmt: skip

    @app.get("/trainers", response_class=HTMLResponse)
    async def trainer_list(request: Request, who: Annotated[StaffMember, Depends(allowed(*READERS))]) -> HTMLResponse:
        units = who.units
        found = await run_in_threadpool(compliance.trainers, engine, units, force_clock.today())
        return page(request, "trainers.html", trainers=found)

    @app.get("/feedback", response_class=HTMLResponse)
    async def feedback(request: Request, who: Annotated[StaffMember, Depends(allowed(*READERS))]) -> HTMLResponse:
        """Free-text reasons are for HQ's roles only: a lead sees the figures of their unit's sessions."""
        units = who.units
        found = await run_in_threadpool(feedback_figures.by_programme, engine, units)
        plans = (await run_in_threadpool(published.newest, engine, blobs)).library.plans
        feedback_figures.named(found, plans)
        later = []  # the follow-up is anonymous and force-wide: reported to HQ's roles, not to a unit's lead
        forces = None if who.whole_hq else await run_in_threadpool(follow_up_answers.forces_within, engine, units)
        if who.reads_reasons and forces != []:
            later = await run_in_threadpool(
                lambda: follow_up_answers.figures(engine, published.newest(engine, blobs).library, forces)
            )
        return page(
            request,
            "feedback.html",
            programmes=found,
            follow_up=later,
            follow_up_unread=forces == [],
            show_reasons=who.reads_reasons,
            minimum=feedback_figures.MIN_ANSWERS,
        )

    @app.get("/audit", response_class=HTMLResponse)
    async def audit(
        request: Request, who: Annotated[StaffMember, Depends(allowed(*AUDITORS, whole_hq=True))], q: str = ""
    ) -> HTMLResponse:
        entries = await run_in_threadpool(audit_trail.search, engine, q[:100])
        # A session's or laptop's page is linked for those whose role opens it (an auditor's does not).
        may_open = frozenset(("session", "device") if who.role in READERS else ())
        entries = await run_in_threadpool(audit_trail.with_links, engine, entries, may_open)
        return page(request, "audit.html", entries=entries, q=q[:100])

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
    return app


def _programme_and_rule(
    engine: Engine, blobs: Path, names: dict[str, str], programme: str
) -> tuple[str, ProgrammeRule]:
    """The programme asked for, or else the first one delivered (or published), with its published rule."""
    completed = set(compliance.programmes(engine))
    delivered = [p for p in names if p in completed]
    chosen = programme if programme in names else next(iter(delivered or names), "")
    return chosen, published.newest(engine, blobs).rules.get(chosen) or ProgrammeRule(chosen)


def _dashboard(
    engine: Engine, blobs: Path, units: frozenset[str], programme: str, start: date, end: date, today: date
) -> dict[str, Any]:
    names = dashboard_figures.programme_names(engine, blobs)
    chosen, rule = _programme_and_rule(engine, blobs, names, programme)
    by_unit = dashboard_figures.breakdown(engine, units, chosen, rule, today, teams=False)
    trend = dashboard_figures.over_time(engine, units, chosen, rule, today)
    known = session_labels.labels(engine, blobs)
    # Up to today: sessions planned up to a year ahead would fill the list before any delivered one (the
    # Sessions page lists those too, and the figures above count them).
    newest = compliance.sessions_in(engine, units, last_day=today)
    return {
        "names": names,
        "programme": chosen,
        "audience": audience_in_words(rule),
        "trend": trend,
        "by_unit": by_unit,
        "chart": {"trend": trend, "units": [{"unit": known.unit(b.unit), "percent": b.percent} for b in by_unit]},
        "act": dashboard_figures.activity(engine, units, chosen, start, end, today),
        "figures": dashboard_figures.every_programme(engine, blobs, units, today, {chosen: by_unit}),
        "sessions": session_labels.labelled(engine, known, newest.sessions),
        "earlier": newest.earlier,
        "unit_names": known.unit_names,  # units are shown by name, as their people know them
    }


def _quiet_laptops(engine: Engine, units: AbstractSet[str], now: datetime) -> dict[str, Any] | None:
    """The unit's laptops in use that HQ has not heard from for a day: registers on them have not reached HQ,
    so the people trained on them are still listed as outstanding. None when every one has synced."""
    quiet = sorted(
        (last, not d["last_seen"])
        for d in devices.list_devices(engine)
        if d["unit"] in units and not d["revoked"] and not d["lost"]
        if (last := devices.last_contact(d)) < (now - QUIET_AFTER).isoformat()
    )
    if not quiet:
        return None
    since, never = quiet[0]
    return {"count": len(quiet), "since": force_clock.in_words(datetime.fromisoformat(since)), "never": never}


def _within(who: StaffMember, code: str) -> None:
    if code not in who.units:
        raise HTTPException(status_code=404, detail="No such unit among those you can see.")


def _covered(engine: Engine, who: StaffMember, code: str) -> frozenset[str]:
    """A unit the person may see and every unit under it that they may see: what its page counts."""
    _within(who, code)
    return staff.covered(engine, who, code)


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


def _local(target: str) -> str:
    """Only a page of this console: never a redirect to anywhere else, nor out of the console by `..`."""
    path = target.split("?", 1)[0].lower()
    odd = "//" in target or "\\" in target or ".." in path or "%" in path or not target.isprintable()
    return target if target.startswith("/console/") and not odd else "/console/"


def _time(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None
