"""The six-month follow-up's form, opened from the personal link in an invitation: served beside the session
feedback form, under the same public prefix (`/feedback/follow-up/<token>`), so IT exposes one path for both.

The link admits one set of answers; once sent, the link says so and asks nothing more. The answers are stored
without the person (`follow_up_answers.record`)."""

# No `from __future__ import annotations`: FastAPI reads the routes' annotations where they are defined.
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from trainer_desk.core.lesson_plan import FollowUpQuestion
from trainer_desk.hq import follow_up_answers, posted_form, published
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.rate_limit import FailureLimit

Page = Callable[..., Awaitable[HTMLResponse]]
MAX_FORM_BYTES = 32 * 1024


def add_routes(app: FastAPI, engine: Engine, blobs: Path, page: Page, bad_links: FailureLimit) -> None:
    async def asked(request: Request, token: str) -> dict[str, Any] | HTMLResponse:
        """The form's questions for a link HQ sent and is still open; otherwise the page saying why."""
        address = request.client.host if request.client else ""
        invitation = await run_in_threadpool(follow_up_answers.invitation, engine, token)
        if invitation is None:
            status = 429 if bad_links.wait_for(address) else 404
            bad_links.failed(address)
            return await page(request, "phone_problem.html", status, problem="This is not a follow-up link we sent.")
        request.state.feedback_unit = await run_in_threadpool(follow_up_answers.unit_invited, engine, token)
        if invitation.answered:
            return await page(request, "follow_up_thanks.html", 409 if request.method == "POST" else 200, already=True)
        if invitation.closed(utc_now().date()):
            return await page(request, "phone_problem.html", 410, problem="This follow-up has closed. Thank you.")
        library = await run_in_threadpool(lambda: published.newest(engine, blobs).library)
        plan, questions = follow_up_answers.questions(library, invitation.programme_id)
        if plan is None:
            return await page(request, "phone_problem.html", 410, problem="This follow-up is no longer asked.")
        return {"programme": plan.programme.name, "asked": questions, "token": token}

    @app.get("/follow-up/{token}", response_class=HTMLResponse)
    async def follow_up_form(request: Request, token: str) -> HTMLResponse:
        found = await asked(request, token)
        return found if isinstance(found, HTMLResponse) else await page(request, "follow_up_form.html", **found)

    @app.post("/follow-up/{token}", response_class=HTMLResponse)
    async def follow_up_answer(request: Request, token: str) -> HTMLResponse:
        found = await asked(request, token)
        if isinstance(found, HTMLResponse):
            return found
        form = await posted_form.read(request, MAX_FORM_BYTES)
        given = {key: str(value) for key, value in form.items()}
        problem = _too_long(given, found["asked"])
        answers = {} if problem else follow_up_answers.answers_from_form(given, found["asked"])
        if not answers:  # refused: the form again, with every answer and word as they were given
            problem = problem or "Answer at least one question."
            return await page(request, "follow_up_form.html", 400, problem=problem, given=given, **found)
        if not await run_in_threadpool(follow_up_answers.record, engine, token, answers, utc_now().date()):
            return await page(request, "follow_up_thanks.html", 409, already=True)
        return await page(request, "follow_up_thanks.html", already=False)


def _too_long(given: dict[str, str], asked: tuple[FollowUpQuestion, ...]) -> str:
    """Why an answer is refused rather than cut to the limit (cutting would lose words without a word said);
    "" when every written answer fits."""
    for question in asked:
        written = len(" ".join(given.get(question.id, "").split()))
        if written > follow_up_answers.MAX_TEXT:
            return (
                f"Your answer to “{question.question}” is {written} characters long: shorten it to "
                f"{follow_up_answers.MAX_TEXT} or fewer, then press Send."
            )
    return ""
