"""The console's administration pages: devices (last contact, revoke, lost), and planning and cancelling sessions
(the roster is in `roster_pages`, enrollment codes in `enrollment_pages`, walk-ins in `walk_in_pages`).
Each is the same function the command line calls, behind the console's role checks, CSRF token and audit trail:
one way to do each thing, whichever door it comes through."""

# No `from __future__ import annotations`: see app.py.
import re
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.booking_clash import ASK, BookingClashError
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.core.sessions import start_from_text
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.hq import (
    audit_trail,
    compliance,
    content_uptake,
    device_clock,
    devices,
    planning,
    published,
    roster,
    schema,
    session_labels,
)
from trainer_desk.hq.console import scope
from trainer_desk.hq.console.chosen import last_chosen, remember
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.ownership import DEVICE_ROLE_WORDS
from trainer_desk.hq.staff import PLANNERS, StaffMember
from trainer_desk.hq.staff import covered as staff_covered
from trainer_desk.hq.unit_choices import tree_choices
from trainer_desk.hq.units import unit_names

DEVICE_FLAGS = ("revoked", "lost")

Page = Callable[..., HTMLResponse]
Allowed = Callable[..., Callable[[Request], Awaitable[StaffMember]]]
FormReader = Callable[..., Awaitable[dict[str, Any]]]  # (request, upload=False)


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = allowed("admin")  # on a unit's things: each checks the thing's unit with `scope.reach`
    planners = allowed(*PLANNERS)
    blobs = home / "blobs"
    readers = allowed("admin", "viewer", "lead")

    @app.get("/devices", response_class=HTMLResponse)
    async def device_list(request: Request, who: Annotated[StaffMember, Depends(readers)]) -> HTMLResponse:
        found = [d for d in await run_in_threadpool(devices.list_devices, engine) if who.covers(d["unit"])]
        quiet = set(devices.not_seen_since(found, utc_now() - devices.UNSEEN_AFTER))
        await run_in_threadpool(name_owners, engine, found)
        lost = await run_in_threadpool(audit_trail.lost_devices, engine, [d["id"] for d in found if d["lost"]])
        newest = await run_in_threadpool(content_uptake.newest_version, engine)
        for d in found:
            d["content"] = content_uptake.held_words(d["content_version"], newest[0] if newest else None)
            d["content_behind"] = content_uptake.is_behind(d["content_version"], newest[0] if newest else None)
            d["last_contact"] = devices.last_contact(d)
            d["unseen"] = not d["revoked"] and d["id"] in quiet
            d["wipe"] = lost.get(d["id"])  # whether it has been told to wipe itself: what is asked of a lost one
        names = await run_in_threadpool(unit_names, engine)  # each unit as people know it, not by its code
        clock_off = await run_in_threadpool(device_clock.far_off, engine, [d["id"] for d in found if not d["revoked"]])
        return page(
            request, "devices.html", devices=found, unit_names=names, message=said_once(request),
            clock_off=clock_off, off_by=device_clock.off_by_words,
        )  # fmt: skip

    @app.get("/devices/{device_id}", response_class=HTMLResponse)
    async def device_flag_check(
        request: Request, device_id: str, who: Annotated[StaffMember, Depends(admins)], flag: str = ""
    ) -> HTMLResponse:
        """The step before revoking a laptop or marking it lost: neither can be undone from the console, and a
        lost laptop wipes what it holds, so the person sees which laptop it is and what will happen first."""
        if flag not in DEVICE_FLAGS:
            raise HTTPException(status_code=400, detail="Say whether the device is revoked or lost.")
        found = await run_in_threadpool(devices.find_device, engine, device_id)
        scope.reach(who, found["unit"] if found else None)
        if found is None:
            raise HTTPException(status_code=404, detail="No such device.")
        found["last_contact"] = devices.last_contact(found)
        await run_in_threadpool(name_owners, engine, [found])
        names = await run_in_threadpool(unit_names, engine)
        return page(request, "devices.html", confirm=found, flag=flag, unit_names=names)

    @app.post("/devices/{device_id}", response_model=None)
    async def device_flag(request: Request, device_id: str, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """Posted from the confirmation step (`device_flag_check`), never straight from the list."""
        form = await checked_form(request)
        flag = str(form.get("flag", ""))
        if flag not in DEVICE_FLAGS:
            raise HTTPException(status_code=400, detail="Say whether the device is revoked or lost.")
        scope.reach(who, await run_in_threadpool(_device_unit, engine, device_id))
        if not await run_in_threadpool(devices.set_device_flag, engine, device_id, flag):
            raise HTTPException(status_code=404, detail="No such device.")
        laptop = await run_in_threadpool(audit_trail.about_laptop, engine, device_id)
        await run_in_threadpool(audit_trail.record, engine, who.username, f"device {flag}", laptop)
        named = await run_in_threadpool(session_labels.laptop_named, engine, device_id)
        return done_then_go(request, f"{named[:1].upper()}{named[1:]} is marked {flag}.", "/console/devices")

    @app.get("/plan", response_class=HTMLResponse)
    async def plan_form(
        request: Request,
        who: Annotated[StaffMember, Depends(planners)],
        unit: str = "",
        programme: str = "",
        team: str = "",
    ) -> HTMLResponse:
        """Blank, or from a unit's chase list: that unit, a plan of the programme, and the people outstanding
        (of one team, if chosen) filled in as the people expected, for the lead to keep those they invite."""
        if not (unit and programme):  # on the plan chosen last, as a lead planning a run of them means
            return await _plan_page(request, who, "", {"plan": last_chosen(request, "plan")})
        if unit not in who.units:
            raise HTTPException(status_code=404, detail="No such unit among those you can see.")
        rule = await run_in_threadpool(lambda: published.newest(engine, blobs).rules.get(programme))
        covered = await run_in_threadpool(staff_covered, engine, who, unit)
        today = force_clock.today()
        _, people = await run_in_threadpool(
            compliance.outstanding, engine, covered, programme, rule or ProgrammeRule(programme), today, team[:60]
        )
        # Not those booked on a session of it already planned: filled in again, they were booked twice.
        booked = await run_in_threadpool(compliance.booked, engine, programme, today)
        waiting = [p for p in people if p.staff_number not in booked]
        plans = await run_in_threadpool(planning.published_plans, engine, blobs)
        plan = next((p.plan_id for p in plans.values() if p.programme_id == programme), "")
        # Each with their name, for the lead to see whom they keep: a list of bare numbers said nothing.
        given = {"unit": unit, "plan": plan, "expected": "\n".join(f"{p.staff_number}  {p.name}" for p in waiting)}
        unit_name = (await run_in_threadpool(session_labels.labels, engine, blobs)).unit(unit)
        where = f"{unit_name}, {team[:60]}" if team else unit_name
        left_out = len(people) - len(waiting)
        note = (
            f"Filled in with the {counted(len(waiting), 'person', 'people')} in {where} who have not "
            "completed it"
            + (f" and are not booked on a session of it yet ({left_out} are)" if left_out else "")
            + ": keep those you are inviting, and add the date, venue and trainers."
        )
        return await _plan_page(request, who, "", given, note=note)

    @app.post("/plan", response_model=None)
    async def plan_session(request: Request, who: Annotated[StaffMember, Depends(planners)]) -> Response:
        """The command line's planning (`planning.plan_session`), for a unit the person may see. The time typed
        is UK time, as the lead means it, and is kept with its offset, so the session shows the time typed."""
        form = await checked_form(request)
        given = {k: str(form.get(k, "")).strip() for k in ("plan", "at", "venue", "unit", "trainers", "expected")}
        remember(request, "plan", given["plan"])
        # Ticked below a clash the page showed (`booking_clash`): for the people it named, and no one added since.
        accepted = _numbers(str(form.get("accepted", ""))) if form.get("anyway") == "yes" else []
        try:
            trainers = _numbers(given["trainers"])
            given["unit"] = given["unit"] or await unit_on_roster(
                engine, who, trainers[0] if trainers else "", "it is for"
            )
            if given["unit"] not in who.units:
                raise FieldError("unit", "Choose one of your units.")
            try:
                starts = start_from_text(given["at"])
            except ValueError as error:
                raise FieldError("at", str(error)) from None
            planned = await run_in_threadpool(
                partial(
                    planning.plan_session,
                    engine,
                    blobs,
                    plan_id=given["plan"],
                    starts_at=starts,
                    venue=given["venue"],
                    unit=given["unit"],
                    trainers=trainers,
                    expected=_expected(given["expected"]),
                    accepted=accepted,
                    seen_by=who.units,
                    booking_from=None if who.whole_hq else who.units,  # a lead books their own units' people
                )
            )
        except BookingClashError as error:  # nothing planned: the same form, with the choice to plan it anyway
            return await _plan_page(
                request, who, error.heading, given, 409, clash=error.people, clash_lines=error.lines
            )
        except UserFacingError as error:
            return await _plan_page(request, who, error.message, given, 400, field=problem_at(error)["problem_field"])
        session = await run_in_threadpool(audit_trail.about_session, engine, blobs, planned.session.uuid)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "session planned",
            f"{session}, {counted(planned.expected, 'person', 'people')} expected",
        )  # fmt: skip
        said = f"Planned, with {counted(planned.expected, 'person', 'people')} booked."
        if planned.trainers_not_booked:
            said += f" Not booked on it as well, since they train it: {', '.join(planned.trainers_not_booked)}."
        return done_then_go(request, said, f"/console/sessions/{planned.session.uuid}")

    @app.get("/sessions/{session_uuid}/cancel", response_class=HTMLResponse)
    async def cancel_form(
        request: Request, session_uuid: str, who: Annotated[StaffMember, Depends(planners)]
    ) -> HTMLResponse:
        return await _cancel_page(request, who, session_uuid, "")

    @app.post("/sessions/{session_uuid}/cancel", response_model=None)
    async def cancel_session(
        request: Request, session_uuid: str, who: Annotated[StaffMember, Depends(planners)]
    ) -> Response:
        """A session planned by mistake, or no longer needed, for a unit the person may see: its trainers'
        laptops learn it at their next sync (`planning.cancel_session`); the reason goes in the audit trail."""
        form = await checked_form(request)
        await _session_within(who, session_uuid)
        reason = " ".join(str(form.get("reason", "")).split())[:300]
        try:
            if not reason:
                raise FieldError("reason", "Say why the session is cancelled: the reason is kept in the audit trail.")
            seen = int(str(form.get("version", "")))
            await run_in_threadpool(planning.cancel_session, engine, session_uuid, seen)
        except (UserFacingError, ValueError) as error:
            if isinstance(error, UserFacingError):
                shown = problem_at(error)
                return await _cancel_page(
                    request, who, session_uuid, shown["problem"], 400, shown["problem_field"], reason
                )
            return await _cancel_page(request, who, session_uuid, "Open the session again to cancel it.", 400)
        session = await run_in_threadpool(audit_trail.about_session, engine, blobs, session_uuid)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, audit_trail.SESSION_CANCELLED, f"{session}: {reason}"
        )
        said = "Cancelled: its trainers' laptops show it as cancelled at their next sync."
        return done_then_go(request, said, f"/console/sessions/{session_uuid}")

    async def _session_within(who: StaffMember, session_uuid: str) -> dict[str, Any]:
        found = await run_in_threadpool(compliance.session_at_hq, engine, session_uuid[:36])
        if found is None or found.get("unit_code") not in who.units:
            raise HTTPException(status_code=404, detail="No such session in the units you can see.")
        return found

    async def _cancel_page(
        request: Request,
        who: StaffMember,
        session_uuid: str,
        problem: str,
        status: int = 200,
        field: str = "",
        reason: str = "",
    ) -> HTMLResponse:
        """`field`: the id of the field `problem` is about (`problem_at`), or ''; `reason`: as typed."""
        found = await _session_within(who, session_uuid)
        (named,) = await run_in_threadpool(
            lambda: session_labels.labelled(engine, session_labels.labels(engine, blobs), [found])
        )
        try:  # said before a reason is typed, not after
            planning.refuse_uncancellable(str(found.get("status", "")))
        except UserFacingError as error:
            problem, field = error.message, ""
        return page(
            request, "session_cancel.html", status, session=named, problem=problem, problem_field=field, reason=reason
        )

    async def _plan_page(
        request: Request,
        who: StaffMember,
        problem: str,
        given: dict[str, str],
        status: int = 200,
        note: str = "",
        clash: tuple[str, ...] = (),
        clash_lines: list[str] | None = None,
        field: str = "",
    ) -> HTMLResponse:
        """`field`: the id of the field `problem` is about, to say it there (`problem_at`), or ''."""
        titles = await run_in_threadpool(lambda: published.library(published.current(engine), blobs).plans)
        plans = sorted(((p.id, p.title) for p in titles), key=lambda p: p[1].casefold())
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        return page(
            request, "plan.html", status, plans=plans, unit_names=known.unit_names, problem=problem,
            given=given, note=note, clash=clash, clash_lines=clash_lines or [], ask=ASK, problem_field=field,
            unit_choices=await run_in_threadpool(tree_choices, engine, who.units),
            unit_default=_unit_default(who, known.unit_names),
        )  # fmt: skip


def _unit_default(who: StaffMember, names: Mapping[str, str]) -> str:
    """What the Unit field left blank means, as `unit_on_roster` decides it: a lead whose first trainer is of
    another BCU plans in their own unit, and the words said the trainer's."""
    if who.whole_hq:
        return "the first trainer's, from the roster"
    named = {who.unit: who.unit_name, **names} if who.unit_name else names  # before a tree: the built-in list's
    return f"the first trainer's if it is one of yours, else {unit_for_people(who.unit, named)}"


async def unit_on_roster(engine: Engine, who: StaffMember, number: str, what: str) -> str:
    """The unit a form left as 'the trainer's unit' means: where the trainer is on the roster, if that is one
    of the person's units; else the unit they are granted on (a lead plans for their unit, whoever trains),
    so nothing here tells them where someone outside their units is."""
    unit = await run_in_threadpool(roster.unit_of, engine, normalise_staff_number(number)) if number else None
    if unit is not None and unit in who.units:
        return unit
    if who.unit:
        return who.unit
    raise FieldError("unit", f"Choose the unit {what}: the trainer's staff number is not on HQ's roster.")


def _device_unit(engine: Engine, device_id: str) -> str | None:
    """The unit a device records for, or None if there is no such device."""
    with engine.connect() as conn:
        found = conn.execute(select(schema.devices.c.unit).where(schema.devices.c.id == device_id)).scalar()
    return str(found) if found is not None else None


def hq_url(request: Request) -> str:
    """HQ's address as the person's browser reached it: the address laptops enroll with."""
    return str(request.base_url).removesuffix("/console/").rstrip("/")


def _numbers(text: str) -> list[str]:
    return [n for n in re.split(r"[\s,;]+", text) if n]


def _expected(text: str) -> list[str]:
    """The staff numbers of a list of people expected, a line each: a line of numbers alone (each with a digit)
    separated by commas is each of them; any other line is its first word, and what follows it (the name filled
    in beside it, "O'Neill, Jr" and all, or a row pasted from the chase list's CSV) is for the lead to read."""
    numbers: list[str] = []
    for line in text.splitlines():
        parts = [words for part in re.split(r"[,;]", line) if (words := part.split())]
        if parts and all(len(words) == 1 and any(c.isdigit() for c in words[0]) for words in parts):
            numbers += [words[0] for words in parts]
        elif parts:
            numbers.append(parts[0][0])
    return numbers


def name_owners(engine: Engine, laptops: list[dict[str, Any]]) -> None:
    """Each laptop's trainer as "Name (staff number)" (`owner`) from the roster of its unit's force, the number
    alone where HQ's roster does not have them, and its role in words (`role_words`): a laptop named by a
    number and a hostname ('vm') is not one a person recognises as Siân's."""
    by_unit: dict[str, set[str]] = {}
    for d in laptops:
        by_unit.setdefault(str(d["unit"]), set()).add(str(d["trainer"]))
    with engine.connect() as conn:
        names = session_labels.trainer_names(conn, by_unit)
    for d in laptops:
        number = str(d["trainer"])
        d["owner"] = f"{names[number]} ({number})" if number in names else number
        d["role_words"] = DEVICE_ROLE_WORDS.get(str(d["role"]), str(d["role"]))
