"""The console's page of one unit: its completion of a programme per team and per unit under it, its chase list
(of one team, if chosen) and the same list as a CSV download, its sessions, and a warning when a laptop of its
has not synced for a day, since the people trained on it are then still listed as outstanding.

Every unit the page counts lies within the person's grant: another unit's page answers 404, so an account
cannot even learn what other units hold."""

# No `from __future__ import annotations`: see app.py.
from collections.abc import Set as AbstractSet
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.compliance_count import audience_in_words
from trainer_desk.core.csv_file import csv_text
from trainer_desk.export.compliance_report import chase_list_of_teams
from trainer_desk.hq import audit_trail, compliance, devices, documents, roster, session_labels, staff
from trainer_desk.hq import dashboard as dashboard_figures
from trainer_desk.hq.console.admin import Allowed, Page
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.staff import StaffMember

QUIET_AFTER = timedelta(days=1)  # a unit's laptop not synced for this long: its registers may be missing


def add_routes(app: FastAPI, engine: Engine, page: Page, allowed: Allowed, home: Path) -> None:
    readers = allowed(*staff.READERS)
    blobs = home / "blobs"

    @app.get("/units/{code}", response_class=HTMLResponse)
    async def unit(
        request: Request,
        code: str,
        who: Annotated[StaffMember, Depends(readers)],
        programme: str = "",
        team: str = "",
    ) -> HTMLResponse:
        """A unit's completion per team and its chase list (of one team, if chosen) for one programme. A unit with
        units under it (a force, a command) counts their people too: a force's page said nobody was in it."""
        covered = await run_in_threadpool(_covered, engine, who, code)
        team, unknown_team = team[:60], ""
        if team and team not in await run_in_threadpool(roster.teams_within, engine, covered):
            # A mistyped or stale link: said, and every team shown, where it read as "nobody outstanding".
            team, unknown_team = "", team
        today = force_clock.today()
        names = await run_in_threadpool(dashboard_figures.programme_names, engine, blobs)
        chosen, rule = await run_in_threadpool(dashboard_figures.programme_and_rule, engine, blobs, names, programme)
        teams = await run_in_threadpool(dashboard_figures.breakdown, engine, covered, chosen, rule, today, teams=True)
        # The units straight under this one (a force's BCUs, a BCU's teams), each with those under it, and the
        # people placed on this one itself.
        under = (
            dashboard_figures.under_and_own(
                await run_in_threadpool(dashboard_figures.breakdown, engine, covered, chosen, rule, today, teams=False),
                code,
            )
            if len(covered) > 1
            else []
        )
        in_audience, outstanding = await run_in_threadpool(
            compliance.outstanding, engine, covered, chosen, rule, today, team
        )
        booked = await run_in_threadpool(compliance.booked, engine, chosen, today)
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        newest = await run_in_threadpool(compliance.sessions_in, engine, covered)
        sessions = await run_in_threadpool(session_labels.labelled, engine, known, newest.sessions)
        counted = utc_now()
        quiet = await run_in_threadpool(_quiet_laptops, engine, covered, counted)
        return page(
            request, "unit.html", code=code, unit_name=known.unit(code), programme=chosen, names=names, team=team,
            teams=teams, under=under, several_units=len(covered) > 1, unit_names=known.unit_names,
            outstanding=outstanding, booked=booked, in_audience=in_audience, sessions=sessions,
            earlier=newest.earlier, sessions_unit=code,
            audience=audience_in_words(rule),
            counted=force_clock.in_words(counted), quiet=quiet, may_plan=who.plans_sessions, unknown_team=unknown_team,
        )  # fmt: skip

    @app.get("/units/{code}/outstanding.csv", response_model=None)
    async def outstanding_csv(
        code: str, who: Annotated[StaffMember, Depends(readers)], programme: str = "", team: str = ""
    ) -> Response:
        covered = await run_in_threadpool(_covered, engine, who, code)
        names = await run_in_threadpool(dashboard_figures.programme_names, engine, blobs)
        chosen, _rule = await run_in_threadpool(dashboard_figures.programme_and_rule, engine, blobs, names, programme)
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
