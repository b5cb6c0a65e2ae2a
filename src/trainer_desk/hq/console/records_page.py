"""The console's Records page: what `trainer-desk-hq export-registrations`, `compliance-summary`, `follow-up due`
and `retention` do, from a browser, so that HQ runs without a terminal. Each is the function the command calls
(`hq.exports`, `follow_up.due_list`, `retention`), recorded in the audit trail as the command records it.

An administrator of the whole of HQ takes HQ's whole files, as the command line does. One granted on a force
takes their force's alone (`StaffMember.covers`), each file named with the force's code, so that a national HQ's
forces each do their own housekeeping.

Retention stays with the administrators of the whole of HQ. Its schedule is HQ's, not a force's: besides the
records of people who left, it removes audit entries and noted questions older than the cutoff, which belong to
no one force (the audit trail is HQ's account of every force's work, kept for the whole of HQ's auditors). Run
for one force it would either leave those, and so not do what the page says, or remove other forces' for good.
The page says so to a force's administrator, in place of the form.

Retention removes records for good, so it takes two steps: the page first says what would go, then a separate
form removes it. That form carries the cutoff shown and a digest of what was shown; HQ plans again for that
cutoff and removes nothing unless it finds exactly the same, so a removal never takes more than the person
read (a record that arrived meanwhile, or a day gone by, does not slip in unseen)."""

# No `from __future__ import annotations`: see app.py.
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.hq import audit_trail, exports, follow_up, force_clock, retention
from trainer_desk.hq.console.admin import Allowed, FormReader, Page, hq_url
from trainer_desk.hq.console.downloads import attachment
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.console.force_admins import force_admins
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.staff import StaffMember

CSV = "text/csv; charset=utf-8"
SHOW_FIRST = "Nothing was removed: show what would go first, then remove it from there."
CHANGED = (
    "Nothing was removed: HQ's records changed after you looked. This is what would go now: read it again "
    "before removing it."
)


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins = force_admins(allowed, "Taking a force's records")  # each takes their grant's own
    removers = allowed("admin", whole_hq=True)  # retention acts on the whole of HQ (see above)
    blobs = home / "blobs"

    def records_page(request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        context.setdefault("years", retention.DEFAULT_YEARS)
        context.setdefault("link_base", hq_url(request))
        planned: retention.RetentionPlan | None = context.setdefault("planned", None)
        return page(
            request, "records.html", status, problem=context.pop("problem", ""),
            problem_field=context.pop("problem_field", ""),
            plan_words=planned.describe(force_clock.day_text) if planned else "",
            cutoff_text=force_clock.day_text(planned.cutoff) if planned else "", **context,
        )  # fmt: skip

    async def handed_out(who: StaffMember, table: exports.Table, name: str) -> Response:
        """Sent as it is read; recorded in the audit trail once sent, with how many rows left HQ. A force's file
        says whose it is in its name ("registrations-WSP-…"), as a session's sheet names its unit."""
        pieces = table.pieces(lambda what: audit_trail.record(engine, who.username, "download", what))
        whose = "" if who.whole_hq else f"-{who.unit}"
        return attachment(pieces, CSV, f"{name}{whose}-{force_clock.today().isoformat()}.csv")

    @app.get("/records", response_class=HTMLResponse)
    async def records(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return records_page(request, message=said_once(request))

    @app.get("/records/registrations.csv", response_model=None)
    async def registrations_csv(who: Annotated[StaffMember, Depends(admins)]) -> Response:
        table = await run_in_threadpool(exports.every_registration, engine, blobs, who)
        return await handed_out(who, table, "registrations")

    @app.get("/records/compliance-summary.csv", response_model=None)
    async def summary_csv(who: Annotated[StaffMember, Depends(admins)]) -> Response:
        table = await run_in_threadpool(exports.compliance_summary, engine, blobs, force_clock.today(), who)
        return await handed_out(who, table, "compliance-summary")

    @app.post("/records/follow-up-due.csv", response_model=None)
    async def follow_up_due_csv(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """A form, not a link: listing someone for the first time notes them as invited (their link works from
        then), and the links start with the public address the form gives, as `--link-base` does."""
        form = await checked_form(request)
        given = str(form.get("link_base", ""))[:300]
        try:
            link_base = follow_up.checked_link_base(given)
        except UserFacingError as error:
            return records_page(request, 400, link_base=given, **problem_at(FieldError("link_base", error.message)))
        today = utc_now().date()  # as `follow-up due` counts
        table = await run_in_threadpool(follow_up.due_list, engine, blobs, link_base, today, who)
        return await handed_out(who, table, "follow-up-due")

    @app.get("/records/retention", response_class=HTMLResponse)
    async def retention_shown(
        request: Request, who: Annotated[StaffMember, Depends(removers)], years: str = ""
    ) -> HTMLResponse:
        count = _years(years)
        if count is None:
            return records_page(
                request, 400, years=years[:10], **problem_at(FieldError("years", retention.YEARS_PROBLEM))
            )
        planned = await run_in_threadpool(retention.plan, engine, utc_now().date(), count)
        return records_page(request, years=count, planned=planned)

    @app.post("/records/retention", response_model=None)
    async def retention_applied(request: Request, who: Annotated[StaffMember, Depends(removers)]) -> Response:
        form = await checked_form(request)
        count = _years(str(form.get("years", "")))
        today = utc_now().date()  # the day `retention` counts from, as the roster records who left
        try:
            cutoff = date.fromisoformat(str(form.get("cutoff", "")))
        except ValueError:
            cutoff = None
        if count is None or cutoff is None or cutoff > retention.cutoff_for(today, count):
            return records_page(request, 400, problem=SHOW_FIRST)
        planned = await run_in_threadpool(retention.plan_before, engine, cutoff)
        if planned.fingerprint != str(form.get("fingerprint", "")):
            now = await run_in_threadpool(retention.plan, engine, today, count)
            return records_page(request, 409, years=count, planned=now, problem=CHANGED)
        if planned.empty:
            return done_then_go(request, "Nothing was removed: nothing was due to go.", "/console/records")
        await run_in_threadpool(retention.apply, engine, planned)
        await run_in_threadpool(audit_trail.record, engine, who.username, retention.RECORDS_REMOVED, planned.describe())
        return done_then_go(request, f"Removed {planned.describe(force_clock.day_text)}.", "/console/records")


def _years(text: str) -> int | None:
    """The years typed, if a whole number the schedule can be (1 to `retention.MOST_YEARS`); None otherwise."""
    try:
        years = int(text.strip())
    except ValueError:
        return None
    return years if 1 <= years <= retention.MOST_YEARS else None
