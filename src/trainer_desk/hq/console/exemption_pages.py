"""The console's exemptions: recorded at HQ with their reasons as a laptop records one (and counted apart in
HQ's reports), listed with what became of each, withdrawn with a reason, and, where an exemption had taken
someone off sessions still ahead, an offer to book them on those again."""

# No `from __future__ import annotations`: see app.py.
import json
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from trainer_desk.core import force_clock
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import normalise_staff_number, written_name
from trainer_desk.hq import audit_trail, bookings, planning, roster, schema, session_labels
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.chosen import last_chosen, remember
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.exemptions import completed_already
from trainer_desk.hq.receipt import record_at_hq
from trainer_desk.hq.records import Delivery
from trainer_desk.hq.roster import unit_of as roster_unit_of
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.units import names_known, unit_names_known
from trainer_desk.sync.protocol import PushItem
from trainer_desk.sync.pulled_changes import EXEMPTION_KINDS, WITHDRAWN


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    recorders = allowed("admin", "lead")
    blobs = home / "blobs"

    @app.get("/exemptions", response_class=HTMLResponse)
    async def exemption_list(request: Request, who: Annotated[StaffMember, Depends(recorders)]) -> HTMLResponse:
        return await _exemptions_page(request, who, said_once(request), {})

    @app.post("/exemptions", response_model=None)
    async def exemption_add(request: Request, who: Annotated[StaffMember, Depends(recorders)]) -> Response:
        """Recorded as HQ's own record: the reason is required, and the person must be on the roster in a unit
        the recorder may see."""
        form = await checked_form(request)
        number = normalise_staff_number(str(form.get("staff_number", "")))
        programme, reason = str(form.get("programme", "")), str(form.get("reason", "")).strip()[:500]
        remember(request, "exemptions", programme)  # the next one starts on it
        try:
            kind = ExemptionKind(str(form.get("kind", "")))
            unit = await run_in_threadpool(roster_unit_of, engine, number)
            if unit is None or unit not in who.units:
                raise FieldError("staff_number", f"No one with staff number {number} is on the roster in your units.")
            if programme not in await run_in_threadpool(programme_names, engine, blobs):
                raise FieldError("programme", "Choose one of the programmes.")
            if not reason:
                raise FieldError("reason", "Give the reason: it is kept with the record and in the audit trail.")
        except ValueError:
            problem = {"problem": "Say whether they are exempt or completed it another way.", "problem_field": ""}
            return await _exemptions_page(request, who, "", problem, 400, typed=form)
        except UserFacingError as error:  # what was typed stays, to be put right
            return await _exemptions_page(request, who, "", problem_at(error), 400, typed=form)
        entry = new_uuid()
        payload = {
            "uuid": entry, "staff_number": number, "programme_id": programme, "kind": kind.value,
            "reason": reason, "recorded_by": who.username, "recorded_at": utc_now().isoformat(),
        }  # fmt: skip
        await run_in_threadpool(record_at_hq, engine, [PushItem("exemption", entry, 1, None, "upsert", payload)])
        about = await run_in_threadpool(audit_trail.about_programme, engine, blobs, programme)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "exemption", f"{number} {kind.label} for {about}: {reason[:300]}"
        )
        person = await run_in_threadpool(roster.named, engine, number)
        programme_name = (await run_in_threadpool(programme_names, engine, blobs)).get(programme, programme)
        said = (
            f"Recorded: {person} exempt from {programme_name}"
            if kind is ExemptionKind.EXEMPT
            else f"Recorded: {person} completed {programme_name} another way"
        )
        if kind is ExemptionKind.EXEMPT and (
            day := await run_in_threadpool(completed_already, engine, number, programme)
        ):
            said += (
                f". They completed it at a session on {day}: they now count as exempt, not as completed (withdraw "
                "the exemption to count them as completed again)"
            )
        said += await _bookings_said(who, number, programme, take=form.get("take_off") == "yes")
        return done_then_go(request, said, "/console/exemptions")

    async def _bookings_said(who: StaffMember, number: str, programme: str, *, take: bool) -> str:
        """What became of the person's bookings on sessions of the programme still to come: taken off them
        (`take`), or still booked, said so that nobody keeps a seat, or is chased, for nothing."""
        found = await run_in_threadpool(bookings.booked_on, engine, number, programme, force_clock.today())
        if not found:
            return ""
        left = await run_in_threadpool(bookings.take_off, engine, found) if take else found

        async def listed(these: list[bookings.Booking]) -> str:
            return await _sessions_listed(who, programme, [b.session for b in these])

        gone = [b for b in found if b not in left]
        if gone:
            about = await run_in_threadpool(audit_trail.about_programme, engine, blobs, programme)
            named = await run_in_threadpool(audit_trail.about_sessions, engine, blobs, [b.session.uuid for b in gone])
            await run_in_threadpool(
                audit_trail.record, engine, who.username, "taken off sessions", f"{number} for {about}: {named}"
            )
        said = f". Taken off {await listed(gone)}" if gone else ""
        if left and take:
            said += f". Still booked on {await listed(left)}, which changed as this was recorded: record it again"
        elif left:
            said += f". Still booked on {await listed(left)}"
        return f"{said}." if said else said  # each sentence ends, the last as well

    async def _sessions_listed(who: StaffMember, programme: str, sessions: list[Delivery]) -> str:
        """Sessions of a programme as a person reads them in a sentence: "Signa, 14 Jan 2027, North Response"."""
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        names = await run_in_threadpool(programme_names, engine, blobs)
        words = [
            f"{names.get(programme, programme)}, {force_clock.shown_day(s.starts)}, "
            + (known.unit(s.unit) if s.unit in who.units else "another unit's session")
            for s in sessions[:3]
        ]
        return "; ".join(words) + (f", and {len(sessions) - 3} more" if len(sessions) > 3 else "")

    async def _taken_off(who: StaffMember, held: dict[str, Any]) -> list[Delivery]:
        """The sessions still ahead, in the person's units, that an exemption took someone off (and they are not
        booked on again): what withdrawing it offers to book them on again."""
        number, programme = str(held["staff_number"]), str(held["programme_id"])
        found = await run_in_threadpool(bookings.taken_off, engine, number, programme, force_clock.today())
        return [s for s in found if s.unit in who.units]

    async def _withdrawn(who: StaffMember, entry: str) -> dict[str, Any]:
        """The exemption `entry`, withdrawn, of someone in the person's units."""
        _, history = await run_in_threadpool(_exemptions, engine, who.units)
        for held in history:
            if held["uuid"] == entry and held["state"] == "withdrawn":
                return held
        raise HTTPException(status_code=404, detail="No such withdrawn exemption in your units.")

    @app.get("/exemptions/{entry}/book-again", response_class=HTMLResponse)
    async def book_again_offer(
        request: Request, entry: str, who: Annotated[StaffMember, Depends(recorders)]
    ) -> HTMLResponse:
        """Where a withdrawal leads when its exemption had taken the person off sessions still ahead: said, with
        one button to book them on those again."""
        held = await _withdrawn(who, entry)
        again = await _taken_off(who, held)
        offer = {}
        if again:
            offer = {
                "entry": entry,
                "text": f"They were taken off {await _sessions_listed(who, str(held['programme_id']), again)}:",
                "button": "Book them on it again" if len(again) == 1 else f"Book them on all {len(again)} again",
            }
        return await _exemptions_page(request, who, said_once(request), {}, offer=offer)

    @app.post("/exemptions/{entry}/book-again", response_model=None)
    async def book_again(request: Request, entry: str, who: Annotated[StaffMember, Depends(recorders)]) -> Response:
        """Booked as planning books people (`planning.book_again`), on those sessions still ahead and still
        planned, and not booked on again meanwhile."""
        await checked_form(request)
        held = await _withdrawn(who, entry)
        again = await _taken_off(who, held)
        number, programme = str(held["staff_number"]), str(held["programme_id"])
        made = await run_in_threadpool(planning.book_again, engine, number, again)
        person = await run_in_threadpool(roster.named, engine, number)
        if not made:
            said = f"Not booked: {person} is not on the roster, or those sessions are no longer ahead."
            return done_then_go(request, said, "/console/exemptions")
        about = await run_in_threadpool(audit_trail.about_programme, engine, blobs, programme)
        named = await run_in_threadpool(audit_trail.about_sessions, engine, blobs, [s.uuid for s in again])
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "booked again", f"{number} for {about}: {named}"
        )
        said = f"Booked again: {person} on {await _sessions_listed(who, programme, again)}."
        return done_then_go(request, said, "/console/exemptions")

    @app.get("/exemptions/{entry}/withdraw", response_class=HTMLResponse)
    async def exemption_withdraw_form(
        request: Request, entry: str, who: Annotated[StaffMember, Depends(recorders)]
    ) -> HTMLResponse:
        return await _withdraw_page(request, who, entry, {})

    @app.post("/exemptions/{entry}/withdraw", response_model=None)
    async def exemption_withdraw(
        request: Request, entry: str, who: Annotated[StaffMember, Depends(recorders)]
    ) -> Response:
        """Recorded as a newer version for the person and programme (`WITHDRAWN`), so every laptop counts and
        chases them again at its next sync; the exemption itself stays in the history, and the withdrawal in the
        audit trail with its reason."""
        form = await checked_form(request)
        reason = str(form.get("reason", "")).strip()[:500]
        held = await _current(who, entry)
        if not reason:  # what was typed (spaces, say) stays, to be put right
            unexplained = FieldError("reason", "Give the reason for withdrawing it: it goes in the audit trail.")
            return await _withdraw_page(request, who, entry, problem_at(unexplained), 400, str(form.get("reason", "")))
        payload = {
            "uuid": new_uuid(), "staff_number": held["staff_number"], "programme_id": held["programme_id"],
            "kind": WITHDRAWN, "withdraws": entry, "reason": reason, "recorded_by": who.username,
            "recorded_at": utc_now().isoformat(),
        }  # fmt: skip
        item = PushItem("exemption", payload["uuid"], 1, None, "upsert", payload)
        await run_in_threadpool(record_at_hq, engine, [item])
        about = await run_in_threadpool(audit_trail.about_programme, engine, blobs, held["programme_id"])
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "exemption withdrawn",
            f"{held['staff_number']} for {about}: {reason[:300]}",
        )  # fmt: skip
        person = await run_in_threadpool(roster.named, engine, str(held["staff_number"]))
        programme_name = (await run_in_threadpool(programme_names, engine, blobs)).get(
            str(held["programme_id"]), str(held["programme_id"])
        )
        said = f"Withdrawn: {person} is counted again for {programme_name}"
        if await _taken_off(who, held):  # the exemption took them off sessions still ahead: offered back
            return done_then_go(request, said, f"/console/exemptions/{entry}/book-again")
        return done_then_go(request, said, "/console/exemptions")

    async def _current(who: StaffMember, entry: str) -> dict[str, Any]:
        """The exemption `entry` if it still holds for someone in the recorder's units: one replaced or withdrawn
        meanwhile (by another tab, or a laptop's newer record) is not there to withdraw."""
        current, _ = await run_in_threadpool(_exemptions, engine, who.units)
        for held in current:
            if held["uuid"] == entry:
                return held
        raise HTTPException(status_code=404, detail="That exemption no longer holds: it was replaced or withdrawn.")

    async def _withdraw_page(
        request: Request, who: StaffMember, entry: str, problem: dict[str, str], status: int = 200, reason: str = ""
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty; `reason`: as typed."""
        held = await _current(who, entry)
        names = await run_in_threadpool(programme_names, engine, blobs)
        unit_names = await run_in_threadpool(unit_names_known, engine)
        return page(
            request, "exemption_withdraw.html", status, held=held, names=names, unit_names=unit_names,
            reason=reason[:500], **problem,
        )  # fmt: skip

    async def _exemptions_page(
        request: Request,
        who: StaffMember,
        message: str,
        problem: dict[str, str],
        status: int = 200,
        typed: dict[str, Any] | None = None,
        offer: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty; `typed`: a refused form's fields, shown again; `offer`:
        sessions a withdrawn exemption took the person off, to book them on again."""
        current, history = await run_in_threadpool(_exemptions, engine, who.units)
        names = await run_in_threadpool(programme_names, engine, blobs)
        return page(
            request, "exemptions.html", status, current=current, history=history, names=names,
            kinds=list(ExemptionKind), message=message, **problem, chosen=last_chosen(request, "exemptions"),
            typed={k: str(v) for k, v in (typed or {}).items() if k != "csrf"}, offer=offer or {},
        )  # fmt: skip


def _exemptions(engine: Engine, units: frozenset[str]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """For people on the roster in these units, with their names: the exemptions that hold (the newest record
    for each person and programme, unless it withdraws one), and every record, newest first, with what became
    of it. Read in HQ's order, as `hq.exemptions.for_programme` reads it for the figures."""
    records, roster = schema.records, schema.roster
    with engine.connect() as conn:
        people = {
            r.staff_number: (written_name(r.forename, r.surname), r.unit)
            for r in conn.execute(
                select(roster.c.staff_number, roster.c.forename, roster.c.surname, roster.c.unit).where(
                    roster.c.unit.in_(sorted(units))
                )
            )
        }
        unit_names = names_known(conn)  # a unit is shown by its name, as its people know it
        history: list[dict[str, Any]] = []
        newest: dict[tuple[str, str], dict[str, Any]] = {}
        for r in conn.execute(
            select(records.c.uuid, records.c.payload)
            .where(records.c.entity == "exemption", records.c.deleted.is_(False))
            .order_by(records.c.seq)
        ):
            payload = json.loads(r.payload)
            if not isinstance(payload, dict) or payload.get("staff_number") not in people:
                continue
            if payload.get("kind") not in (*EXEMPTION_KINDS, WITHDRAWN):
                continue  # as the figures pass over it
            name, unit = people[str(payload["staff_number"])]
            found = {**payload, "uuid": str(r.uuid), "name": name, "unit": unit, "state": "holds"}
            found["unit_name"] = unit_names.get(unit) or unit
            key = (str(payload["staff_number"]), str(payload.get("programme_id", "")))
            if (before := newest.get(key)) is not None:
                before["state"] = "withdrawn" if payload.get("kind") == WITHDRAWN else "replaced"
            newest[key] = found
            history.append(found)
    current = [e for e in reversed(history) if e["state"] == "holds" and e.get("kind") != WITHDRAWN]
    return current, history[::-1]
