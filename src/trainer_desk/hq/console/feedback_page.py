"""The console's Feedback page: each programme's feedback figures for the sessions of the units the person may
see, and for HQ's roles, the free-text reasons and the anonymous follow-up answered weeks later."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from trainer_desk.hq import feedback_figures, follow_up_answers, published, staff
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.console.scope import asked_unit
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed(*staff.READERS)
    blobs = home / "blobs"

    @app.get("/feedback", response_class=HTMLResponse)
    async def feedback(request: Request, who: Annotated[StaffMember, Depends(readers)], unit: str = "") -> HTMLResponse:
        """Free-text reasons are for HQ's roles only: a lead sees the figures of their unit's sessions. `unit`
        narrows the figures to one unit and those under it, by the rule every page with a unit filter keeps."""
        unit, problem = asked_unit(who, unit, "figures")
        units = await run_in_threadpool(staff.covered, engine, who, unit) if unit else who.units
        found = await run_in_threadpool(feedback_figures.by_programme, engine, units)
        plans = (await run_in_threadpool(published.newest, engine, blobs)).library.plans
        feedback_figures.named(found, plans)
        later = []  # the follow-up is anonymous and force-wide: reported to HQ's roles, not to a unit's lead
        forces = None if who.whole_hq else await run_in_threadpool(follow_up_answers.forces_within, engine, who.units)
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
            problem=problem,
            unit=unit,
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units),
        )
