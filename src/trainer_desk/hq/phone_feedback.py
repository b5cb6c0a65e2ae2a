"""The feedback form participants open on their own phones from the link (or QR code) a trainer's laptop
shows at the close: a plain public page with the same questions as the laptop's form, no sign-in.

It is served under its own prefix (`/feedback/`), and can be served on its own (`trainer-desk-hq serve
--only feedback`), so IT can expose it to phones on the internet or guest Wi-Fi without exposing the sync API
or the console. Every link is checked (`core.feedback_link`): signed by a laptop HQ trusts, not past its last
day. A phone answers once (a cookie that names nothing but the link), and an address sending more answers
than a room could, or guessing links, is told to wait. An answer is stored as the session's feedback, with no
link to a person and no time finer than the day: nothing about the phone or its address is kept.
"""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations where they are defined.
import hashlib
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, func, select

from trainer_desk.core.feedback import MAX_WRITTEN, WRITTEN_HINT, WRITTEN_QUESTION
from trainer_desk.core.feedback_link import VALID_DAYS, BadLinkError, FeedbackLink, read_token
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.hq import documents, feedback_keys, follow_up_form, ownership, posted_form, published, schema, units
from trainer_desk.hq.completions import payload_object
from trainer_desk.hq.database import one_of, utc_now
from trainer_desk.hq.devices import Device, as_device
from trainer_desk.hq.rate_limit import FailureLimit
from trainer_desk.hq.receipt import HQ_ITSELF, record_at_hq
from trainer_desk.hq.records import when
from trainer_desk.sync.protocol import PushItem

HERE = Path(__file__).parent
ANSWERS_PER_ADDRESS = 60  # to one session from one address in ten minutes: a room on one guest Wi-Fi, twice over
MAX_ANSWERS = 200  # to one session, ever: more than any room holds
MAX_FORM_BYTES = 16 * 1024
BAD_LINKS_PER_ADDRESS = 20
WINDOW_S = 600
MAX_REASON = MAX_WRITTEN
COOKIE_DAYS = 8  # longer than any link lives


def phone_feedback_app(engine: Engine, home: Path, secure_cookies: bool) -> FastAPI:
    app = FastAPI(title="Trainer Desk feedback", docs_url=None, redoc_url=None, openapi_url=None)
    pages = Jinja2Templates(directory=HERE / "phone_templates")
    # The box for words asks what the laptop's form asks, in the same words.
    pages.env.globals.update(written_question=WRITTEN_QUESTION, written_hint=WRITTEN_HINT, max_written=MAX_WRITTEN)
    answers = FailureLimit(ANSWERS_PER_ADDRESS, WINDOW_S)
    bad_links = FailureLimit(BAD_LINKS_PER_ADDRESS, WINDOW_S)
    blobs = home / "blobs"

    async def page(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        if "force" not in context:
            # Named as the force of the laptop that made the link (`checked`), on an HQ of several forces too.
            unit = getattr(request.state, "feedback_unit", "")
            codes = frozenset({unit} if unit else ())
            context["force"] = await run_in_threadpool(documents.force_name, engine, blobs, codes)
        response = pages.TemplateResponse(request, name, context, status_code=status)
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"  # the link never travels on to another site
        return response

    async def checked(request: Request, token: str) -> FeedbackLink | HTMLResponse:
        """The link, once it is one HQ made possible for a session still open; otherwise the page saying why.
        A good link is never held back by others' mistakes (a classroom's phones share one guest Wi-Fi
        address); wrong links are counted per address, and past a room's worth of typos refused unread."""
        address = request.client.host if request.client else ""
        link = await run_in_threadpool(_link, engine, token)
        if link is None:
            if bad_links.wait_for(address):
                return await page(
                    request, "phone_problem.html", 429, problem="Too many wrong links from here: try later."
                )
            bad_links.failed(address)
            return await page(request, "phone_problem.html", 404, problem="This is not a feedback link we know.")
        if link.expired(utc_now().date()):
            return await page(request, "phone_problem.html", 410, problem="This session's feedback has closed.")
        request.state.feedback_unit = await run_in_threadpool(_device_unit, engine, link.device_id)
        return link

    follow_up_form.add_routes(app, engine, blobs, page, bad_links)

    @app.get("/{token}", response_class=HTMLResponse)
    async def form(request: Request, token: str) -> HTMLResponse:
        link = await checked(request, token)
        if isinstance(link, HTMLResponse):
            return link
        if request.cookies.get(_cookie(link)):
            return await page(request, "phone_thanks.html", already=True)
        plan = await run_in_threadpool(_plan, engine, blobs, link.plan_id)
        return await page(request, "phone_form.html", plan=plan, token=token)

    @app.post("/{token}", response_class=HTMLResponse)
    async def answer(request: Request, token: str) -> HTMLResponse:
        link = await checked(request, token)
        if isinstance(link, HTMLResponse):
            return link
        if request.cookies.get(_cookie(link)):
            return await page(request, "phone_thanks.html", 409, already=True)
        form = await posted_form.read(request, MAX_FORM_BYTES)
        given = {key: str(value) for key, value in form.items()}
        plan = await run_in_threadpool(_plan, engine, blobs, link.plan_id)
        sender = f"{request.client.host if request.client else ''} {link.session_uuid}"
        if answers.wait_for(sender) or await run_in_threadpool(phone_answers, engine, link.session_uuid) >= MAX_ANSWERS:
            problem = "Too many answers for this session: press Send again later. Your answers are kept below."
            return await page(request, "phone_form.html", 429, plan=plan, token=token, problem=problem, given=given)
        problem = _problem(given)
        payload = None if problem else _answers(given, plan, link, utc_now().date())
        if payload is None:  # refused: the form again, with every answer and word as they were given
            problem = problem or "Answer at least one question, or write a comment."
            return await page(request, "phone_form.html", 400, plan=plan, token=token, problem=problem, given=given)
        answers.failed(sender)  # counted, not failed: the answers from one address to one session
        item = PushItem("feedback", str(payload["uuid"]), 1, None, "upsert", payload)
        await run_in_threadpool(record_at_hq, engine, [item])
        response = await page(request, "phone_thanks.html", already=False)
        response.set_cookie(
            _cookie(link), "1", max_age=COOKIE_DAYS * 86400, path="/feedback/", httponly=True, samesite="lax",
            secure=secure_cookies,
        )  # fmt: skip
        return response

    return app


def _link(engine: Engine, token: str) -> FeedbackLink | None:
    """The link in `token` if a laptop HQ trusts signed it and, where HQ already has the session, it fits the
    session: made by the laptop that holds it, for its plan, closing no later than a week after it."""
    try:
        link = read_token(token, lambda d: feedback_keys.for_device(engine, d))
    except BadLinkError:
        return None
    records, devices = schema.records, schema.devices
    with engine.connect() as conn:
        session = conn.execute(
            select(records.c.payload, records.c.created_by).where(
                records.c.entity == "session", records.c.uuid == link.session_uuid, records.c.deleted.is_(False)
            )
        ).first()
        if session is None:
            return link  # an offline classroom: the session reaches HQ with the laptop's next sync
        device = conn.execute(select(devices).where(devices.c.id == link.device_id)).mappings().one()
        within = units.reach(conn, str(device["unit"]))
    held = payload_object(session.payload)
    starts = when(held.get("starts_at"))
    fits = (
        (session.created_by == link.device_id or ownership.given_to(as_device(device), held, within))
        and held.get("plan_id") == link.plan_id
        and starts is not None
        and link.last_day <= starts.date() + timedelta(days=VALID_DAYS + 1)  # +1: the laptop's day, not UTC's
    )
    return link if fits else None


def _device_unit(engine: Engine, device_id: str) -> str:
    """The unit of the laptop that made a link: the session it is for is of that laptop's force."""
    with engine.connect() as conn:
        unit = conn.execute(select(schema.devices.c.unit).where(schema.devices.c.id == device_id)).scalar()
    return str(unit or "")


def phone_answers(engine: Engine, session_uuid: str) -> int:
    """The answers phones have sent for a session (HQ records them as its own; laptops' forms are theirs)."""
    records = schema.records
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).where(
                    records.c.session_uuid == session_uuid,
                    records.c.entity == "feedback",
                    records.c.created_by == HQ_ITSELF,
                    records.c.deleted.is_(False),
                )
            ).scalar_one()
        )


def forms_for(engine: Engine, device: Device, session_uuids: list[str]) -> list[dict[str, Any]]:
    """The phone answers to these sessions, for the laptop that ran them (or one HQ gives their registers to):
    its reports count every answer, wherever it was given. Sessions it may not see are left out."""
    records = schema.records
    with engine.connect() as conn:
        sessions = conn.execute(
            select(records.c.uuid, records.c.payload, records.c.created_by).where(
                records.c.entity == "session", one_of(conn, records.c.uuid, session_uuids)
            )
        ).all()
        within = units.reach(conn, device.unit)
        allowed = [
            s.uuid
            for s in sessions
            if s.created_by == device.id or ownership.given_to(device, payload_object(s.payload), within)
        ]
        rows = conn.execute(
            select(records.c.payload).where(
                records.c.entity == "feedback",
                records.c.created_by == HQ_ITSELF,
                records.c.deleted.is_(False),
                one_of(conn, records.c.session_uuid, allowed),
            )
        ).all()
    keys = ("uuid", "session_uuid", "would_recommend", "reason_not", "ratings")
    return [{k: form.get(k) for k in keys} for form in (payload_object(r.payload) for r in rows)]


def _plan(engine: Engine, blobs: Path, plan_id: str) -> LessonPlan | None:
    return published.newest(engine, blobs).library.get(plan_id)


def _cookie(link: FeedbackLink) -> str:
    """The cookie that says this phone answered this session: named by the session alone, holding nothing."""
    return "answered_" + hashlib.sha256(link.session_uuid.encode()).hexdigest()[:16]


def _problem(form: dict[str, str]) -> str:
    """Why the form cannot be kept as sent, in words for the person holding the phone; "" when it can. A
    comment over the limit is refused rather than cut: cutting it would lose words without a word said."""
    written = len(_words(form))
    if written > MAX_REASON:
        return f"Your comment is {written} characters long: shorten it to {MAX_REASON} or fewer, then press Send."
    return ""


def _words(form: dict[str, str]) -> str:
    return " ".join(form.get("reason", "").split())


def _answers(form: dict[str, str], plan: LessonPlan | None, link: FeedbackLink, today: date) -> dict[str, Any] | None:
    """The answers as the session's feedback record (the laptop's form's shape), or None if nothing was
    answered. Only the plan's own objectives and scores 1 to 5 are taken; anything else is ignored. What is
    written is the reason for a "no" (as on the laptop); with "yes" or no answer it is kept as a comment,
    which HQ's learning team reads beside the reasons: nothing a participant writes is dropped."""
    recommend = {"yes": True, "no": False}.get(form.get("recommend", ""))
    written = _words(form)
    reason, comment = (written, "") if recommend is False else ("", written)
    ratings = []
    for objective in plan.objectives if plan else ():
        scores = {when: _score(form.get(f"{when}-{objective.id}")) for when in ("before", "after")}
        if any(scores.values()):
            ratings.append({"objective_id": objective.id, **scores})
    if recommend is None and not written and not ratings:
        return None
    return {
        "uuid": new_uuid(),
        "session_uuid": link.session_uuid,
        "would_recommend": recommend,
        "reason_not": reason,
        "comment": comment,
        "ratings": ratings,
        "source": "phone",
        "answered_on": today.isoformat(),  # the day only: nothing finer could tell who answered when
    }


def _score(value: object) -> int | None:
    return int(str(value)) if str(value) in {"1", "2", "3", "4", "5"} else None
