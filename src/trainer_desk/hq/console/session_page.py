"""The console's page of one session: what it is, its register worded as the laptop and the printed sheet word
it, its feedback figures, and if it was cancelled, who cancelled it and why. A session outside the units the
person may see answers 404, so an account cannot even learn what other units hold."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.register_rows import status_in_words
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.hq import audit_trail, compliance, device_clock, feedback_figures, published, session_labels, staff
from trainer_desk.hq.console import session_bookings
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.console.flash import said_once
from trainer_desk.hq.staff import StaffMember


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed(*staff.READERS)
    blobs = home / "blobs"

    @app.get("/sessions/{session_uuid}", response_class=HTMLResponse)
    async def session_register(
        request: Request, session_uuid: str, who: Annotated[StaffMember, Depends(readers)]
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
        clock_off = await run_in_threadpool(device_clock.in_session, engine, str(found["uuid"]))
        return page(
            request, "session.html", session=found, register=register, feedback=said, cancellation=cancellation,
            clock_off=clock_off, off_by=device_clock.off_by_words,
            show_reasons=who.reads_reasons, minimum=feedback_figures.MIN_ANSWERS,
            may_plan=who.plans_sessions, said=said_once(request),
        )  # fmt: skip
