"""The console's dashboard, its first page: one programme's completion for every unit the person may see, or
one of them and the units under it, with its trend, what is happening in a chosen span of days, and for an
administrator of the whole of HQ on a fresh HQ, the first steps to take. The figures are `hq.dashboard`'s."""

# No `from __future__ import annotations`: see app.py.
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.compliance_count import audience_in_words
from trainer_desk.hq import audience_match, compliance, demonstration, force_labels, session_labels, staff
from trainer_desk.hq import dashboard as dashboard_figures
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.console.asked_days import Amended, asked_days
from trainer_desk.hq.console.first_steps import first_steps
from trainer_desk.hq.console.scope import asked_unit
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed(*staff.READERS)
    blobs = home / "blobs"

    @app.get("/", response_class=HTMLResponse)
    async def dashboard(
        request: Request,
        who: Annotated[StaffMember, Depends(readers)],
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
        unit, unknown = asked_unit(who, unit, "figures")
        problem = unknown or problem
        # A unit with units under it (a force) counts theirs too: a force chosen here showed "0 of 0".
        scope = await run_in_threadpool(staff.covered, engine, who, unit) if unit else who.units
        shown = await run_in_threadpool(demonstration.in_current, engine, blobs)  # said while it lasts
        may_publish = who.role == "admin" and who.whole_hq
        figures = await run_in_threadpool(_dashboard, engine, blobs, scope, programme, date_from, date_to, today)
        return page(
            request, "dashboard.html", problem=problem, unit=unit,
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units),
            start=date_from.isoformat(), end=date_to.isoformat(),
            **figures,
            sessions_unit=unit,
            steps=await run_in_threadpool(first_steps, engine, bool(shown)) if may_publish else [],
            demonstration=shown, may_publish=may_publish,
        )  # fmt: skip


def _dashboard(
    engine: Engine, blobs: Path, units: frozenset[str], programme: str, start: date, end: date, today: date
) -> dict[str, Any]:
    names = dashboard_figures.programme_names(engine, blobs)
    chosen, rule = dashboard_figures.programme_and_rule(engine, blobs, names, programme)
    by_unit = dashboard_figures.breakdown(engine, units, chosen, rule, today, teams=False)
    trend = dashboard_figures.over_time(engine, units, chosen, rule, today)
    known = session_labels.labels(engine, blobs)
    # Up to today: sessions planned up to a year ahead would fill the list before any delivered one (the
    # Sessions page lists those too, and the figures above count them).
    newest = compliance.sessions_in(engine, units, last_day=today)
    # Where the units span several forces, the forces side by side first, each unit named with its force.
    forces = force_labels.unit_forces(engine, units)
    by_force = force_labels.by_force(by_unit, forces, force_labels.force_codes(engine)) if forces else []
    charted = by_force or by_unit
    every = dashboard_figures.every_programme(engine, blobs, units, today, {chosen: by_unit})
    return {
        "names": names,
        "programme": chosen,
        "audience": audience_in_words(rule),
        "unmatched": audience_match.every_unmatched(engine, {chosen: rule}).get(chosen),
        "trend": trend,
        "by_unit": by_unit,
        "by_force": by_force,
        "unit_forces": forces,
        "chart": {"trend": trend, "units": [{"unit": known.unit(b.unit), "percent": b.percent} for b in charted]},
        "act": dashboard_figures.activity(engine, units, chosen, start, end, today),
        # Every force's every unit, for each programme, is a list no one reads: their top rows, the forces.
        "figures": [(p, [b for b in rows if b.depth == 0]) for p, rows in every] if forces else every,
        "sessions": force_labels.sessions_with_forces(session_labels.labelled(engine, known, newest.sessions), forces),
        "earlier": newest.earlier,
        "unit_names": known.unit_names,  # units are shown by name, as their people know them
    }
