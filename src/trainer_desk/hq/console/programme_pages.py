"""The console's pages about who must complete what: each programme's audience and due dates (the published
`programmes.toml`, changed here by publishing a new content version with it, so laptops' reports follow at
their next sync). Who is excused from a programme has pages of its own (`exemption_pages`)."""

# No `from __future__ import annotations`: see app.py.
import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.compliance_count import audience_in_words
from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.people import PersonRole
from trainer_desk.core.programme_rules import ProgrammeRule, read_rules, rules_to_toml
from trainer_desk.hq import audit_trail, content, demonstration, published, rule_change, session_labels
from trainer_desk.hq.audience_match import every_unmatched
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.dashboard import programme_names
from trainer_desk.hq.demonstration import DemonstrationContentError
from trainer_desk.hq.published import PROGRAMME_RULES, StaleVersionError
from trainer_desk.hq.rule_change import rule_digest
from trainer_desk.hq.staff import StaffMember

TYPED_LIMIT = 300  # characters of a field kept to show again: as long as a version's note may be


def add_routes(
    app: FastAPI, engine: Engine, page: Page, allowed: Allowed, checked_form: FormReader, home: Path
) -> None:
    admins, readers = allowed("admin", whole_hq=True), allowed("admin", "viewer", "lead")
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
            version, rule, kept = await run_in_threadpool(_publish_rule, engine, blobs, programme, form, note)
        except DemonstrationContentError:  # asked on the preview, as publishing an upload asks
            return await _preview_page(request, programme, form, status=400, samples_refused=True)
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
            f"{programme}: {audience_in_words(rule)} (content version {version}"
            + ("; still the demonstration's due dates)" if kept else ")"),
        )  # fmt: skip
        return done_then_go(request, f"Published as content version {version}", "/console/programmes")

    async def _preview_page(
        request: Request,
        programme: str,
        form: dict[str, Any],
        problem: dict[str, str] | None = None,
        status: int = 200,
        samples_refused: bool = False,
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it. Back leads to the programmes with what was typed kept.
        `samples_refused`: Publish was pressed on rules still the demonstration's, with neither tick."""
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
        pieces = await run_in_threadpool(_demonstration_in_rules, engine, blobs)
        return page(
            request, "programme_preview.html", status, programme=programme, title=names[programme],
            before=audience_in_words(before), after=after, after_words=audience_in_words(after), changes=changes,
            unit_name=known.unit, was=rule_digest(before), person_roles=[r.value for r in PersonRole],
            **(problem or {"problem": "", "problem_field": ""}), same=before == after, note=str(form.get("note", "")),
            default_note=f"Rules for {names[programme]} changed", back=_typed(form, programme),
            demonstration=pieces, samples_refused=samples_refused,
        )  # fmt: skip

    async def _programmes_page(
        request: Request, message: str, problem: dict[str, str], status: int = 200, typed: dict[str, Any] | None = None
    ) -> HTMLResponse:
        """`problem`: as `problem_at` gives it, or empty. `typed`: a programme's form as it was typed (its id as
        `change`), shown again in place of the rule published."""
        names = await run_in_threadpool(programme_names, engine, blobs)
        rules = await run_in_threadpool(lambda: published.newest(engine, blobs).rules)
        shown = [(pid, name, rules.get(pid) or ProgrammeRule(pid)) for pid, name in names.items()]
        unmatched = await run_in_threadpool(every_unmatched, engine, {pid: rule for pid, _, rule in shown})
        return page(
            request, "programmes.html", status, programmes=shown, person_roles=[r.value for r in PersonRole],
            unmatched=unmatched, names=names,
            in_words=audience_in_words, message=message, **problem,
            typed=_typed(typed, str(typed.get("change", ""))) if typed else {},
        )  # fmt: skip


class _RuleChangedMeanwhileError(Exception):
    """The programme's rule is no longer the one the preview was counted from."""


def _demonstration_in_rules(engine: Engine, blobs: Path) -> list[str]:
    """The demonstration content in the newest version's programme rules, which a change publishes again."""
    current = published.current(engine)
    return demonstration.in_rules(current.files, blobs) if current is not None else []


def _publish_rule(
    engine: Engine, blobs: Path, programme: str, form: dict[str, Any], note: str
) -> tuple[int, ProgrammeRule, bool]:
    """Publish the rule typed in `form`, made from the newest version, if the programme's rule in that version
    is still the one the preview was counted from (`was`); returns the new version, the rule and whether the
    file still says it holds the demonstration's dates.

    Rules still marked as the demonstration's are published only when the form says so: with the marker kept
    (`allow_sample_media`, as an upload's tick), or taken off because the dates are the force's own
    (`own_dates`); otherwise `DemonstrationContentError`. Rewriting the file never drops the marker silently.

    The check is of the version the new one is made from, and `publish_changed` records the new version only if
    that is still the newest, in the transaction that writes it: two administrators confirming at once cannot
    both publish, nor one undo the other's change. A version published meanwhile (by anyone, for any file)
    is checked again in the same way."""
    published.checked_note(note)  # said before the demonstration's question, which a mended note would ask again
    for _ in range(10):
        current = published.current(engine)
        rules = dict(published.read(current, blobs).rules)
        if rule_digest(rules.get(programme) or ProgrammeRule(programme)) != str(form.get("was", "")):
            raise _RuleChangedMeanwhileError
        rules[programme] = _rule_from(programme, form)
        pieces = demonstration.in_rules(current.files, blobs) if current is not None else []
        kept = bool(pieces) and form.get("own_dates") != "yes"
        if kept and form.get("allow_sample_media") != "yes":
            raise DemonstrationContentError(pieces)
        text = rules_to_toml([rules[p] for p in sorted(rules)], demonstration=kept)
        _check(text)
        based_on = current.version if current is not None else None
        try:
            changed = {PROGRAMME_RULES: text.encode("utf-8")}
            version = content.publish_changed(engine, blobs, changed, based_on=based_on, note=note)
            return version, rules[programme], kept
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
