"""The console's Walk-ins page: the walk-ins HQ could not match to anyone on the roster, each matched to the
person it was or dismissed with a reason, and those resolved, to put right.

Matching credits the person with that staff number on every laptop, so a typo credited another officer at one
click. Match now leads to a page showing the name given on the day beside the roster's name, unit and rank for
the number typed; the match is made from there, and refused if either changed in between (`walk_in_match`). A
number nobody on the roster has is said on the walk-ins page, with the number kept in its box to correct.

An administrator of the whole of HQ sees every force's walk-ins; one granted on a force sees, matches and
dismisses those typed at its own units' sessions only (`StaffMember.covers`), and another's answers "Not found"
(`scope.reach`). A match credits only someone on the roster of the session's force (`walk_in_match.person_for`),
so a force's administrator credits their own force's people alone, and is told of another force's number only
that it is not their session's force's, never whose it is."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import fold_name
from trainer_desk.hq import audit_trail, units, walk_ins
from trainer_desk.hq.console import scope
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.console.force_admins import force_admins as of_force
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.walk_in_candidates import Offered, candidates
from trainer_desk.hq.walk_in_match import ChangedMeanwhileError, MatchCheck, check_match, held_at

TYPED_LIMIT = 40  # characters of a typed staff number kept to show again; no staff number is longer


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    force_admins = of_force(allowed, "Reconciling walk-ins")  # a force's, against its roster

    @app.get("/walk-ins", response_class=HTMLResponse)
    async def walk_in_list(
        request: Request, who: Annotated[StaffMember, Depends(force_admins)], walk_in: str = "", staff_number: str = ""
    ) -> HTMLResponse:
        """`walk_in` and `staff_number`: Back from the confirmation page, with the number typed kept in its box."""
        return await _walk_ins_page(request, said_once(request), typed=(walk_in, staff_number[:TYPED_LIMIT]))

    @app.get("/walk-ins/{registration}/match", response_class=HTMLResponse)
    async def walk_in_match_check(
        request: Request, registration: str, who: Annotated[StaffMember, Depends(force_admins)], staff_number: str = ""
    ) -> HTMLResponse:
        """The step before a match: who the walk-in said they were, beside whom the number names on the roster."""
        await _reach(who, registration)
        return await _check_page(request, registration, staff_number.strip()[:TYPED_LIMIT])

    @app.post("/walk-ins/{registration}", response_model=None)
    async def walk_in_resolve(
        request: Request, registration: str, who: Annotated[StaffMember, Depends(force_admins)]
    ) -> Response:
        form = await checked_form(request)
        await _reach(who, registration)
        number = str(form.get("staff_number", "")).strip()[:TYPED_LIMIT]
        reason = str(form.get("reason", ""))
        try:
            if form.get("action") == "match":
                seen = str(form.get("seen", ""))
                if not seen:  # a form of the list from before the confirmation step: it leads there too
                    return await _check_page(request, registration, number)
                uuid = await run_in_threadpool(walk_ins.match, engine, registration, number, seen)
                typed, on_roster = await run_in_threadpool(walk_ins.names_matched, engine, uuid, number)
                done = f"matched to {on_roster} ({number})" if on_roster else f"matched to {number}"
                said = f"Walk-in {typed or uuid[:8]} matched to {number}, {on_roster or 'on the roster'}"
                if typed and on_roster and fold_name(typed) != fold_name(on_roster):
                    said += ": the names differ, so check it is the same person (match it again to put it right)"
            else:
                uuid = await run_in_threadpool(walk_ins.dismiss, engine, registration, reason)
                done, said = "dismissed", "Walk-in dismissed"
        except ChangedMeanwhileError as error:
            return await _check_page(request, registration, number, error.message, 409)
        except UserFacingError as error:
            return await _walk_ins_page(request, "", error, 400, (registration, number), reason)
        walk_in = await run_in_threadpool(audit_trail.about_walk_in, engine, home / "blobs", uuid)
        await run_in_threadpool(audit_trail.record, engine, who.username, "walk-in", f"{walk_in} {done}")
        return done_then_go(request, f"{said}.", "/console/walk-ins")

    async def _reach(who: StaffMember, registration: str) -> None:
        """Answers "Not found" unless the walk-in was typed at a session of a unit within `who`'s grant, so that
        another force's walk-in and one that does not exist answer alike."""
        scope.reach(who, await run_in_threadpool(_held_at, engine, registration))

    async def _check_page(
        request: Request, registration: str, number: str, problem: str = "", status: int = 200
    ) -> HTMLResponse:
        try:
            check = await run_in_threadpool(_checked, engine, registration, number)
        except UserFacingError as error:
            return await _walk_ins_page(request, "", error, 400, (registration, number))
        return page(request, "walk_in_match.html", status, check=check, problem=problem)

    async def _walk_ins_page(
        request: Request,
        message: str,
        problem: UserFacingError | None = None,
        status: int = 200,
        typed: tuple[str, str] = ("", ""),
        reason: str = "",
    ) -> HTMLResponse:
        """The list; after a number that cannot be matched (or a dismissal without a reason), with what was
        typed kept in the boxes of the walk-in it was for, and the problem said beside the box it is about."""
        who: StaffMember = request.state.who
        found = await run_in_threadpool(walk_ins.walk_ins, engine, who.covers)
        offered = await run_in_threadpool(_offered, engine, found.unmatched, who)
        names = await run_in_threadpool(units.unit_names, engine)
        typed_for = typed[0].strip().lower()
        boxes = {"staff_number": f"match-{typed_for}", "reason": f"dismiss-{typed_for}"}
        shown = {"problem": "", "problem_field": ""}
        if problem is not None:
            shown = problem_at(problem)
            shown["problem_field"] = boxes.get(shown["problem_field"], "")
        return page(
            request, "walk_ins.html", status, found=found, message=message, **shown,
            typed_for=typed_for, typed=typed[1], typed_reason=reason[:500], offered=offered, unit_names=names,
        )  # fmt: skip


def _offered(engine: Engine, unmatched: list[dict[str, Any]], who: StaffMember) -> dict[str, Offered]:
    with engine.connect() as conn:
        return candidates(conn, unmatched, who.covers)


def _checked(engine: Engine, registration: str, number: str) -> MatchCheck:
    with engine.connect() as conn:
        return check_match(conn, registration, number)


def _held_at(engine: Engine, registration: str) -> str | None:
    with engine.connect() as conn:
        return held_at(conn, registration)
