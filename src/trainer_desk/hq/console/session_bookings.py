"""Someone booked on a planned session who has since completed its programme at another session: the
completion reached HQ by sync after they were booked, so neither planning nor an exemption could have named
them, and they would keep a seat, and a line on the sign-in sheet, for nothing. The session's page says so
beside them (`booked_for_nothing`) and offers the session's planner to take them off; nothing is taken off
unless the planner asks, since only they know whether the person should come all the same."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.core.programme_rules import ProgrammeRule
from trainer_desk.hq import audit_trail, bookings, compliance, published, roster, session_labels
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.flash import done_then_go
from trainer_desk.hq.staff import PLANNERS, StaffMember


def booked_for_nothing(programme_name: str, day: str) -> str:
    """A booking's status on the session's page once the person has completed the programme elsewhere."""
    return f"Booked; completed {programme_name} on {day} at another session"


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    planners = allowed(*PLANNERS)
    blobs = home / "blobs"

    @app.post("/sessions/{session_uuid}/take-off", response_model=None)
    async def take_off(request: Request, session_uuid: str, who: Annotated[StaffMember, Depends(planners)]) -> Response:
        """Taken off as an exemption takes people off (`bookings.take_off`, which the trainers' laptops learn at
        their next sync), with an entry in the audit trail; and only while the register still says they
        completed it elsewhere, so a form left open cannot take off someone booked since for a good reason."""
        form = await checked_form(request)
        number = normalise_staff_number(str(form.get("staff_number", "")))
        found = await run_in_threadpool(compliance.session_at_hq, engine, session_uuid[:36])
        if found is None or found.get("unit_code") not in who.units:
            raise HTTPException(status_code=404, detail="No such session in the units you can see.")
        uuid, programme = str(found["uuid"]), str(found.get("programme_id", ""))
        back = f"/console/sessions/{uuid}"
        rules = (await run_in_threadpool(published.newest, engine, blobs)).rules
        register = await run_in_threadpool(
            compliance.register_of, engine, uuid, rules.get(programme) or ProgrammeRule(programme)
        )
        done = {str(r["staff_number"]): str(r["completed_elsewhere"]) for r in register if "completed_elsewhere" in r}
        day = done.get(number, "")
        person = await run_in_threadpool(roster.named, engine, number)
        if not day:
            said = f"Not taken off: {person} is not booked on this session, or has not completed it elsewhere."
            return done_then_go(request, said, back)
        found_bookings = await run_in_threadpool(bookings.booked_on, engine, number, programme, force_clock.today())
        booked = [b for b in found_bookings if b.session.uuid == uuid]
        left = await run_in_threadpool(bookings.take_off, engine, booked) if booked else []
        if not booked or left:  # a laptop changed the line meanwhile (marked them, say): left as it is
            said = f"Not taken off: {person}'s line on the register changed meanwhile. Look at it below and try again."
            return done_then_go(request, said, back)
        about = await run_in_threadpool(audit_trail.about_programme, engine, blobs, programme)
        named = await run_in_threadpool(audit_trail.about_sessions, engine, blobs, [uuid])
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "taken off sessions",
            f"{number} for {about}: {named} (completed it on {day} at another session)",
        )  # fmt: skip
        programme_name = (await run_in_threadpool(session_labels.labels, engine, blobs)).programme(found)
        said = (
            f"Taken off: {person}, who completed {programme_name} on {day} at another session. "
            "The trainers' laptops learn it at their next sync."
        )
        return done_then_go(request, said, back)
