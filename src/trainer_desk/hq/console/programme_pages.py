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
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import PersonRole, normalise_staff_number, written_name
from trainer_desk.core.programme_rules import ProgrammeRule, read_rules, rules_to_toml
from trainer_desk.hq import (
    audit_trail,
    bookings,
    content,
    force_clock,
    planning,
    published,
    roster,
    rule_change,
    schema,
    session_labels,
)
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.chosen import last_chosen, remember
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.exemptions import completed_already
from trainer_desk.hq.published import PROGRAMME_RULES, StaleVersionError
from trainer_desk.hq.receipt import record_at_hq
from trainer_desk.hq.records import Delivery
from trainer_desk.hq.roster import unit_of as roster_unit_of
from trainer_desk.hq.rule_change import rule_digest
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.units import names_known, unit_names_known
from trainer_desk.sync.protocol import EXEMPTION_KINDS, WITHDRAWN, PushItem

TYPED_LIMIT = 300  # characters of a field kept to show again: as long as a version's note may be


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
    async def programme_list(
        request: Request, who: Annotated[StaffMember, Depends(readers)], change: str = ""
    ) -> HTMLResponse:
        """`change`, with the rule's fields, in the address: Back from a preview, with what was typed kept in that
        programme's form (nothing in it is secret)."""
        typed = {k: v[:TYPED_LIMIT] for k, v in request.query_params.items()} if change else {}
        return await _programmes_page(request, said_once(request), {}, typed=typed)

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
        those the preview was counted from (`_publish_rule`). Its note is the one typed, or else says which
        programme's rules changed."""
        form = await checked_form(request)
        names = await run_in_threadpool(programme_names, engine, blobs)
        if programme not in names:
            raise HTTPException(status_code=404, detail="No such programme.")
        if not form.get("was"):  # a form from before the preview step: it leads there too
            return await _preview_page(request, programme, form)
        note = str(form.get("note", "")).strip() or f"Rules for {names[programme]} changed"
        try:
            version, rule = await run_in_threadpool(_publish_rule, engine, blobs, programme, form, note)
        except _RuleChangedMeanwhileError:
            problem = (
                f"Not published: the rules of {names[programme]} were changed by someone else after this preview "
                "was counted. Below is what your change does now: publish it again if it is still right."
            )
            return await _preview_page(request, programme, form, {"problem": problem, "problem_field": ""}, 409)
        except FieldError as error:
            if error.field == "note":  # the preview stays: mending the note is all it takes
                return await _preview_page(request, programme, form, problem_at(error), 400)
            return await _programmes_page(
                request, "", problem_at(error, suffix=f"-{programme}"), 400, typed={**form, "change": programme}
            )
        except UserFacingError as error:
            return await _programmes_page(request, "", problem_at(error), 400, typed={**form, "change": programme})
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "programme rules changed",
            f"{programme}: {audience_in_words(rule)} (content version {version})",
        )  # fmt: skip
        return done_then_go(request, f"Published as content version {version}", "/console/programmes")

    async def _preview_page(
        request: Request, programme: str, form: dict[str, Any], problem: dict[str, str] | None = None, status: int = 200
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it. Back leads to the programmes with what was typed kept."""
        names = await run_in_threadpool(programme_names, engine, blobs)
        if programme not in names:
            raise HTTPException(status_code=404, detail="No such programme.")
        rules = await run_in_threadpool(lambda: dict(published.newest(engine, blobs).rules))
        before = rules.get(programme) or ProgrammeRule(programme)
        try:
            after = _rule_from(programme, form)
            _check(rules_to_toml([after if p == programme else rules[p] for p in sorted({*rules, programme})]))
        except UserFacingError as error:  # said beside the field it is about, with what was typed kept
            shown = problem_at(error, suffix=f"-{programme}")
            return await _programmes_page(request, "", shown, 400, typed={**form, "change": programme})
        today = force_clock.today()
        changes = await run_in_threadpool(rule_change.preview, engine, programme, before, after, today)
        known = await run_in_threadpool(session_labels.labels, engine, blobs)
        return page(
            request, "programme_preview.html", status, programme=programme, title=names[programme],
            before=audience_in_words(before), after=after, after_words=audience_in_words(after), changes=changes,
            unit_name=known.unit, was=rule_digest(before), person_roles=[r.value for r in PersonRole],
            **(problem or {"problem": "", "problem_field": ""}), same=before == after, note=str(form.get("note", "")),
            default_note=f"Rules for {names[programme]} changed", back=_typed(form, programme),
        )  # fmt: skip

    async def _programmes_page(
        request: Request, message: str, problem: dict[str, str], status: int = 200, typed: dict[str, Any] | None = None
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty. `typed`: a programme's form as it was typed (its id as
        `change`), shown again in place of the rule published."""
        names = await run_in_threadpool(programme_names, engine, blobs)
        rules = await run_in_threadpool(lambda: published.newest(engine, blobs).rules)
        shown = [(pid, name, rules.get(pid) or ProgrammeRule(pid)) for pid, name in names.items()]
        return page(
            request, "programmes.html", status, programmes=shown, person_roles=[r.value for r in PersonRole],
            in_words=audience_in_words, message=message, **problem,
            typed=_typed(typed, str(typed.get("change", ""))) if typed else {},
        )  # fmt: skip

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


class _RuleChangedMeanwhileError(Exception):
    """The programme's rule is no longer the one the preview was counted from."""


def _publish_rule(
    engine: Engine, blobs: Path, programme: str, form: dict[str, Any], note: str
) -> tuple[int, ProgrammeRule]:
    """Publish the rule typed in `form`, made from the newest version, if the programme's rule in that version
    is still the one the preview was counted from (`was`); returns the new version and the rule.

    The check is of the version the new one is made from, and `publish_changed` records the new version only if
    that is still the newest, in the transaction that writes it: two administrators confirming at once cannot
    both publish, nor one undo the other's change. A version published meanwhile (by anyone, for any file)
    is checked again in the same way."""
    for _ in range(10):
        current = published.current(engine)
        rules = dict(published.read(current, blobs).rules)
        if rule_digest(rules.get(programme) or ProgrammeRule(programme)) != str(form.get("was", "")):
            raise _RuleChangedMeanwhileError
        rules[programme] = _rule_from(programme, form)
        text = rules_to_toml([rules[p] for p in sorted(rules)])
        _check(text)
        based_on = current.version if current is not None else None
        try:
            changed = {PROGRAMME_RULES: text.encode("utf-8")}
            return content.publish_changed(engine, blobs, changed, based_on=based_on, note=note), rules[programme]
        except StaleVersionError:
            continue
    raise UserFacingError("Not published: HQ is publishing many versions just now. Try again in a moment.")


def _typed(form: dict[str, Any], programme: str) -> dict[str, str]:
    """A programme's form as typed (`programme` as `change`): what Back and a refused form show again."""
    kept = {"ranks", "due", "after", "refresh", "note", *(f"role_{r.value}" for r in PersonRole)}
    return {"change": programme, **{k: str(v)[:TYPED_LIMIT] for k, v in form.items() if k in kept}}


def _whole(form: dict[str, Any], field: str, words: str) -> int | None:
    try:
        return int(str(form[field]).strip()) if str(form.get(field, "")).strip() else None
    except ValueError:
        raise FieldError(field, f"Give {words} as a whole number, such as 90, or leave it blank.") from None


def _rule_from(programme: str, form: dict[str, Any]) -> ProgrammeRule:
    """The rule a programme's form says, each field checked apart so that a problem is said beside its field."""
    roles = frozenset(r.value for r in PersonRole if form.get(f"role_{r.value}") == "yes")
    ranks = frozenset(r.strip().casefold() for r in str(form.get("ranks", "")).split(",") if r.strip())
    try:
        due = date.fromisoformat(str(form["due"]).strip()) if str(form.get("due", "")).strip() else None
    except ValueError:
        raise FieldError("due", "Give the due date as YYYY-MM-DD, such as 2027-03-31, or leave it blank.") from None
    after = _whole(form, "after", "the days a later joiner has")
    refresh = _whole(form, "refresh", "the months a completion counts")
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
