"""The console's Sessions page: every session a person may see, by start, newest first, a page at a time, with
a From / To filter and a unit, so that a lead can find a session of months ago to print its sheet. The
dashboard and a unit's page show the newest page of the same list, and lead here for the rest."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.hq import compliance, force_labels, session_labels, staff
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.console.asked_days import Amended, asked_days
from trainer_desk.hq.console.scope import asked_unit
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed(*staff.READERS)
    blobs = home / "blobs"

    @app.get("/sessions", response_class=HTMLResponse)
    async def session_list(
        request: Request,
        who: Annotated[StaffMember, Depends(readers)],
        unit: str = "",
        start: str = "",
        end: str = "",
        earlier: str = "",
    ) -> HTMLResponse:
        """The filters and the page reached are the address's, so a page of sessions can be bookmarked."""
        first, last, amended = asked_days(start, end)
        problem = ""
        if amended is Amended.UNREADABLE:
            problem = "Give the dates as YYYY-MM-DD: these are all the sessions you can see."
        elif first and last and amended is Amended.SWAPPED:
            between = f"{force_clock.day_text(first)} to {force_clock.day_text(last)}"
            problem = f"The first date was after the second, so these are the sessions from {between}."
        unit, unknown = asked_unit(who, unit, "sessions")
        problem = unknown or problem
        scope = await run_in_threadpool(staff.covered, engine, who, unit) if unit else who.units
        found = await run_in_threadpool(
            compliance.sessions_in, engine, scope, first_day=first, last_day=last, before=earlier[:36]
        )
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        shown = await run_in_threadpool(session_labels.labelled, engine, known, found.sessions)
        forces = await run_in_threadpool(force_labels.unit_forces, engine, scope)  # several forces: say whose
        shown = force_labels.sessions_with_forces(shown, forces)
        return page(
            request, "sessions.html", problem=problem, unit=unit,
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units),
            unit_names=known.unit_names,
            start=first.isoformat() if first else "", end=last.isoformat() if last else "", sessions=shown,
            earlier=found.earlier, paged=bool(earlier),
        )  # fmt: skip
