"""The console's pages about who must complete what: each programme's audience and due dates (the published
`programmes.toml`, changed here by publishing a new content version with it, so laptops' reports follow at
their next sync), and exemptions with their reasons (recorded at HQ as a laptop records one, and counted apart
in HQ's reports)."""

# No `from __future__ import annotations`: see app.py.
import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine, select

from trainer_desk.core.compliance_count import ExemptionKind, audience_in_words
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import PersonRole, normalise_staff_number, written_name
from trainer_desk.core.programme_rules import ProgrammeRule, read_rules, rules_to_toml
from trainer_desk.hq import (
    audit_trail,
    bookings,
    content,
    force_clock,
    published,
    rule_change,
    schema,
    session_labels,
)
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.chosen import last_chosen, remember
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.exemptions import completed_already
from trainer_desk.hq.published import PROGRAMME_RULES
from trainer_desk.hq.receipt import record_at_hq
from trainer_desk.hq.roster import unit_of as roster_unit_of
from trainer_desk.hq.rule_change import rule_digest
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.units import names_known
from trainer_desk.sync.protocol import EXEMPTION_KINDS, WITHDRAWN, PushItem


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins, readers, recorders = (
        allowed("admin", whole_hq=True),
        allowed("admin", "viewer", "lead"),
        allowed("admin", "lead"),
    )
    blobs = home / "blobs"

    @app.get("/programmes", response_class=HTMLResponse)
    async def programme_list(request: Request, who: Annotated[StaffMember, Depends(readers)]) -> HTMLResponse:
        return await _programmes_page(request, said_once(request), "")

    @app.post("/programmes/{programme}/preview", response_class=HTMLResponse)
    async def programme_preview(
        request: Request, programme: str, who: Annotated[StaffMember, Depends(admins)]
    ) -> HTMLResponse:
        """What the change would do to the force, per top unit, with Publish and a way back: nothing changes yet."""
        return await _preview_page(request, programme, await checked_form(request))

    @app.post("/programmes/{programme}", response_model=None)
    async def programme_change(
        request: Request, programme: str, who: Annotated[StaffMember, Depends(admins)]
    ) -> Response:
        """Posted from the preview (`programme_preview`), and published only if the programme's rules are still
        those the preview was counted from."""
        form = await checked_form(request)
        rules = await run_in_threadpool(lambda: dict(published.newest(engine, blobs).rules))
        names = await run_in_threadpool(programme_names, engine, blobs)
        if programme not in names:
            raise HTTPException(status_code=404, detail="No such programme.")
        if not form.get("was"):  # a form from before the preview step: it leads there too
            return await _preview_page(request, programme, form)
        if rule_digest(rules.get(programme) or ProgrammeRule(programme)) != str(form["was"]):
            problem = (
                f"Not published: the rules of {names[programme]} were changed by someone else after this preview "
                "was counted. Below is what your change does now: publish it again if it is still right."
            )
            return await _preview_page(request, programme, form, problem, 409)
        try:
            rules[programme] = _rule_from(programme, form)
            text = rules_to_toml([rules[p] for p in sorted(rules)])
            _check(text)
            version = await run_in_threadpool(
                content.publish_changed, engine, blobs, {PROGRAMME_RULES: text.encode("utf-8")}
            )
        except UserFacingError as error:
            return await _programmes_page(request, "", error.message, 400)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "programme rules changed",
            f"{programme}: {audience_in_words(rules[programme])} (content version {version})",
        )  # fmt: skip
        return done_then_go(request, f"Published as content version {version}", "/console/programmes")

    async def _preview_page(
        request: Request, programme: str, form: dict[str, Any], problem: str = "", status: int = 200
    ) -> HTMLResponse:
        names = await run_in_threadpool(programme_names, engine, blobs)
        if programme not in names:
            raise HTTPException(status_code=404, detail="No such programme.")
        rules = await run_in_threadpool(lambda: dict(published.newest(engine, blobs).rules))
        before = rules.get(programme) or ProgrammeRule(programme)
        try:
            after = _rule_from(programme, form)
            _check(rules_to_toml([after if p == programme else rules[p] for p in sorted({*rules, programme})]))
        except UserFacingError as error:
            return await _programmes_page(request, "", error.message, 400)
        today = force_clock.today()
        changes = await run_in_threadpool(rule_change.preview, engine, programme, before, after, today)
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        return page(
            request, "programme_preview.html", status, programme=programme, title=names[programme],
            before=audience_in_words(before), after=after, after_words=audience_in_words(after), changes=changes,
            unit_name=known.unit, was=rule_digest(before), person_roles=[r.value for r in PersonRole],
            problem=problem, same=before == after,
        )  # fmt: skip

    async def _programmes_page(request: Request, message: str, problem: str, status: int = 200) -> HTMLResponse:
        names = await run_in_threadpool(programme_names, engine, blobs)
        rules = await run_in_threadpool(lambda: published.newest(engine, blobs).rules)
        shown = [(pid, name, rules.get(pid) or ProgrammeRule(pid)) for pid, name in names.items()]
        return page(
            request, "programmes.html", status, programmes=shown, person_roles=[r.value for r in PersonRole],
            in_words=audience_in_words, message=message, problem=problem,
        )  # fmt: skip

    @app.get("/exemptions", response_class=HTMLResponse)
    async def exemption_list(request: Request, who: Annotated[StaffMember, Depends(recorders)]) -> HTMLResponse:
        return await _exemptions_page(request, who, said_once(request), "")

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
                raise UserFacingError(f"No one with staff number {number} is on the roster in your units.")
            if programme not in await run_in_threadpool(programme_names, engine, blobs):
                raise UserFacingError("Choose one of the programmes.")
            if not reason:
                raise UserFacingError("Give the reason: it is kept with the record and in the audit trail.")
        except ValueError:
            return await _exemptions_page(
                request, who, "", "Say whether they are exempt or completed it another way.", 400
            )
        except UserFacingError as error:
            return await _exemptions_page(request, who, "", error.message, 400)
        entry = new_uuid()
        payload = {
            "uuid": entry, "staff_number": number, "programme_id": programme, "kind": kind.value,
            "reason": reason, "recorded_by": who.username, "recorded_at": utc_now().isoformat(),
        }  # fmt: skip
        await run_in_threadpool(record_at_hq, engine, [PushItem("exemption", entry, 1, None, "upsert", payload)])
        await run_in_threadpool(
            audit_trail.record,
            engine,
            who.username,
            "exemption",
            f"{number} {kind.label} for {programme}: {reason[:300]}",
        )
        said = f"Recorded: {number} {kind.label}"
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
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        names = await run_in_threadpool(programme_names, engine, blobs)

        def listed(these: list[bookings.Booking]) -> str:
            words = [
                f"{names.get(programme, programme)}, {force_clock.shown_day(b.session.starts)}, "
                + (known.unit(b.session.unit) if b.session.unit in who.units else "another unit's session")
                for b in these[:3]
            ]
            return "; ".join(words) + (f", and {len(these) - 3} more" if len(these) > 3 else "")

        gone = [b for b in found if b not in left]
        if gone:
            await run_in_threadpool(
                audit_trail.record, engine, who.username, "taken off sessions",
                f"{number} for {programme}: " + ", ".join(b.session.uuid for b in gone),
            )  # fmt: skip
        said = f". Taken off {listed(gone)}" if gone else ""
        if left and take:
            said += f". Still booked on {listed(left)}, which changed as this was recorded: record it again"
        elif left:
            said += f". Still booked on {listed(left)}"
        return said

    @app.get("/exemptions/{entry}/withdraw", response_class=HTMLResponse)
    async def exemption_withdraw_form(
        request: Request, entry: str, who: Annotated[StaffMember, Depends(recorders)]
    ) -> HTMLResponse:
        return await _withdraw_page(request, who, entry, "")

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
        if not reason:
            return await _withdraw_page(request, who, entry, "Give the reason for withdrawing it.", 400)
        payload = {
            "uuid": new_uuid(), "staff_number": held["staff_number"], "programme_id": held["programme_id"],
            "kind": WITHDRAWN, "withdraws": entry, "reason": reason, "recorded_by": who.username,
            "recorded_at": utc_now().isoformat(),
        }  # fmt: skip
        item = PushItem("exemption", payload["uuid"], 1, None, "upsert", payload)
        await run_in_threadpool(record_at_hq, engine, [item])
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "exemption withdrawn",
            f"{held['staff_number']} for {held['programme_id']}: {reason[:300]}",
        )  # fmt: skip
        return done_then_go(request, f"Withdrawn: {held['staff_number']} is counted again", "/console/exemptions")

    async def _current(who: StaffMember, entry: str) -> dict[str, Any]:
        """The exemption `entry` if it still holds for someone in the recorder's units: one replaced or withdrawn
        meanwhile (by another tab, or a laptop's newer record) is not there to withdraw."""
        current, _ = await run_in_threadpool(_exemptions, engine, who.units)
        for held in current:
            if held["uuid"] == entry:
                return held
        raise HTTPException(status_code=404, detail="That exemption no longer holds: it was replaced or withdrawn.")

    async def _withdraw_page(
        request: Request, who: StaffMember, entry: str, problem: str, status: int = 200
    ) -> HTMLResponse:
        held = await _current(who, entry)
        names = await run_in_threadpool(programme_names, engine, blobs)
        return page(request, "exemption_withdraw.html", status, held=held, names=names, problem=problem)

    async def _exemptions_page(
        request: Request, who: StaffMember, message: str, problem: str, status: int = 200
    ) -> HTMLResponse:
        current, history = await run_in_threadpool(_exemptions, engine, who.units)
        names = await run_in_threadpool(programme_names, engine, blobs)
        return page(
            request, "exemptions.html", status, current=current, history=history, names=names,
            kinds=list(ExemptionKind), message=message, problem=problem, chosen=last_chosen(request, "exemptions"),
        )  # fmt: skip


def _rule_from(programme: str, form: dict[str, Any]) -> ProgrammeRule:
    roles = frozenset(r.value for r in PersonRole if form.get(f"role_{r.value}") == "yes")
    ranks = frozenset(r.strip().casefold() for r in str(form.get("ranks", "")).split(",") if r.strip())
    try:
        due = date.fromisoformat(str(form["due"])) if form.get("due") else None
        after = int(str(form["after"])) if form.get("after") else None
        refresh = int(str(form["refresh"])) if form.get("refresh") else None
    except ValueError:
        raise UserFacingError("Give the due date as YYYY-MM-DD, and days and months as whole numbers.") from None
    return ProgrammeRule(programme, roles, ranks, due, refresh, after)


def _check(text: str) -> None:
    """Read back as laptops will read it: what they would refuse is never published."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / PROGRAMME_RULES
        path.write_text(text, encoding="utf-8")
        try:
            read_rules(path)
        except UserFacingError as error:
            raise UserFacingError(error.message.replace(f"{path}: ", "")) from None


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
