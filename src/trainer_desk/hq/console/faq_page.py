"""The console's page of questions trainers could not answer from the FAQ: answered into the plan's FAQ in a
new content version (laptops have it after their next sync), or dismissed; for an HQ administrator."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import audit_trail, faq_questions
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.staff import StaffMember


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin", whole_hq=True)  # acts on the whole of HQ (every force)
    blobs = home / "blobs"

    @app.get("/faq-questions", response_class=HTMLResponse)
    async def question_list(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return await _questions_page(request, said_once(request), {})

    @app.post("/faq-questions", response_model=None)
    async def question_answer(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        form = await checked_form(request)
        plan_id, question = str(form.get("plan_id", "")), str(form.get("question", ""))
        try:
            if form.get("action") == "dismiss":
                await run_in_threadpool(faq_questions.dismiss, engine, plan_id, question, who.username)
                done, detail = "Dismissed", f"{plan_id}: dismissed"
            else:
                source = f"Answered by HQ on {utc_now():%d %B %Y}, after trainers were asked it in class"
                version = await run_in_threadpool(
                    faq_questions.answer, engine, blobs, plan_id, question, str(form.get("answer", "")), source,
                    str(form.get("note", "")),
                )  # fmt: skip
                done, detail = f"Answered in content version {version}", f"{plan_id}: answered in version {version}"
        except UserFacingError as error:  # the answer and note typed stay, with the problem beside its field
            return await _questions_page(request, "", problem_at(error), 400, typed=form)
        await run_in_threadpool(audit_trail.record, engine, who.username, "FAQ question", detail)
        return done_then_go(request, done, "/console/faq-questions")

    async def _questions_page(
        request: Request, message: str, problem: dict[str, str], status: int = 200, typed: dict[str, Any] | None = None
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty; `typed`: the question's form as sent, whose fields
        (numbered as the page numbers its questions) are shown again."""
        found = await run_in_threadpool(faq_questions.unanswered, engine, blobs)
        typed = typed or {}
        sent = (str(typed.get("plan_id", "")), str(typed.get("question", "")).strip()[:500])
        number = next((i for i, q in enumerate(found, 1) if (q.plan_id, q.question) == sent), 0)
        shown = dict(problem) or {"problem": "", "problem_field": ""}
        if number and shown["problem_field"]:
            shown["problem_field"] = f"{shown['problem_field']}-{number}"
        elif shown["problem_field"]:  # the question is no longer listed: said at the top
            shown["problem_field"] = ""
        kept = {k: str(typed.get(k, "")) for k in ("answer", "note")} if number else {}
        return page(
            request, "faq_questions.html", status, questions=found, message=message, **shown, typed=kept,
            typed_number=number,
        )  # fmt: skip
