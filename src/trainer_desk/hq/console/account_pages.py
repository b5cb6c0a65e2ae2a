"""The console's accounts: an administrator of the whole of HQ adds a person's account (with a role granted on a
unit), changes its role or unit, disables or enables one, and resets a forgotten password, as
`trainer-desk-hq users` does, so the learning team runs HQ without a terminal; and every signed-in person
changes their own password.

An administrator granted on a force does the same for their own force's people, by the one rule of grants
(`StaffMember.covers`): they see and change only the accounts granted within their force (another's answers
404, as `scope.reach` does), and grant only on its units (`staff.add`'s and `regrant`'s `_grant`), so never on
the whole of HQ, and never anyone more than they are.

A new or reset password is made here and shown once, for the administrator to give the person, who then
changes it on their Password page. A password never goes in the audit trail, a log, or a form offered again
after signing in (`NEVER_RESENT`)."""

# No `from __future__ import annotations`: see app.py.
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Engine

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.hq import audit_trail, staff
from trainer_desk.hq.console.admin import Allowed, FormReader, Page
from trainer_desk.hq.console.fields import problem_at
from trainer_desk.hq.console.flash import done_then_go, said_once
from trainer_desk.hq.console.force_admins import force_admins
from trainer_desk.hq.console.scope import reach
from trainer_desk.hq.rate_limit import SIGN_IN_FAILURES_ALLOWED, SIGN_IN_WINDOW_S, FailureLimit
from trainer_desk.hq.sign_in_limits import SignInLimits
from trainer_desk.hq.staff import StaffMember
from trainer_desk.hq.unit_choices import tree_choices
from trainer_desk.hq.units import unit_codes, unit_names

CHANGES = {
    "disable": "account disabled",
    "enable": "account enabled",
    "reset": "password reset",
    "release": "sign-in released",  # held back after wrong passwords (`SignInLimits`), let try again now
}
DONE = {"release": "{} may sign in again: their wrong passwords are forgotten"}


def add_routes(
    app: FastAPI,
    engine: Engine,
    page: Page,
    allowed: Allowed,
    checked_form: FormReader,
    home: Path,
    wrong_passwords: SignInLimits,
) -> None:
    """`wrong_passwords`: the sign-in page's count of wrong passwords per account, shown beside each account
    held back by it, which a reset or a release forgives."""
    admins = force_admins(allowed, "Managing accounts")  # the whole of HQ's, or a force's own accounts
    everyone = allowed(*staff.ROLES)
    # Someone holding another's session could otherwise guess the password here, unlimited and unrecorded.
    wrong_current = FailureLimit(SIGN_IN_FAILURES_ALLOWED, SIGN_IN_WINDOW_S)

    @app.get("/accounts", response_class=HTMLResponse)
    async def account_list(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> HTMLResponse:
        return await _accounts_page(request, who, "", "")

    async def _reach_account(who: StaffMember, username: str) -> None:
        """404 unless the account is granted within `who`'s grant (or, for the whole of HQ, is none at all: said
        as no such account, as before)."""
        reach(who, await run_in_threadpool(staff.granted_on, engine, username))

    @app.post("/accounts", response_model=None)
    async def account_add(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        form = await checked_form(request)
        username, role, unit = (str(form.get(k, "")).strip() for k in ("username", "role", "unit"))
        password = staff.temporary_password()
        try:
            member = await run_in_threadpool(
                lambda: staff.add(engine, username, password, role, unit, issued=True, by=who)
            )
        except UserFacingError as error:  # what was typed and chosen stays, to be put right
            typed = {"username": username, "role": role, "unit": unit}
            shown = problem_at(error, message=_sentence(error.message))
            return await _accounts_page(request, who, "", shown, 400, typed=typed)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "account added", f"{member.username} as {role} {unit}"
        )
        said = f"Added {member.username}: {staff.describe(member)}."
        return await _accounts_page(request, who, said, "", given=(member.username, password))

    @app.post("/accounts/grant", response_model=None)
    async def account_grant(request: Request, who: Annotated[StaffMember, Depends(admins)]) -> Response:
        """Another role, or the same on another unit: the account's sessions carry on under the new grant."""
        form = await checked_form(request)
        username, role, unit = (str(form.get(k, "")).strip() for k in ("username", "role", "unit"))
        await _reach_account(who, username)
        try:
            member = await run_in_threadpool(
                lambda: staff.regrant(engine, username, role, unit, who.username, granter=who)
            )
        except UserFacingError as error:
            typed = {"grant-username": username, "grant-role": role, "grant-unit": unit}
            shown = problem_at(error, prefix="grant-", message=_sentence(error.message))
            return await _accounts_page(request, who, "", shown, 400, typed=typed)
        await run_in_threadpool(
            audit_trail.record, engine, who.username, "role changed", f"{member.username} to {role} {member.unit}"
        )
        return await _accounts_page(request, who, f"{member.username} is now: {staff.describe(member)}.", "")

    @app.post("/accounts/{username}/{change}", response_model=None)
    async def account_change(
        request: Request, username: str, change: str, who: Annotated[StaffMember, Depends(admins)]
    ) -> Response:
        """Disable (their sessions end at once), enable, reset the password (shown once), or release an account
        held back after wrong passwords (the person who rang to say they had mistyped it)."""
        await checked_form(request)
        username = username.strip().lower()  # as the account is stored: "ADMIN" is the account "admin"
        if change not in CHANGES:
            return await _accounts_page(request, who, "", "There is no such change to an account.", 404)
        await _reach_account(who, username)
        password = staff.temporary_password() if change == "reset" else ""
        try:
            if change == "disable":
                await run_in_threadpool(staff.disable, engine, username, who.username)
            elif change == "enable":
                await run_in_threadpool(staff.set_disabled, engine, username, False)
            elif change == "release":
                await run_in_threadpool(wrong_passwords.forgive, username)
            else:
                await run_in_threadpool(lambda: staff.reset_password(engine, username, password, issued=True))
                await run_in_threadpool(
                    wrong_passwords.forgive, username
                )  # the new password works at once, however many typos before
        except UserFacingError as error:
            return await _accounts_page(request, who, "", _sentence(error.message), 400)
        await run_in_threadpool(audit_trail.record, engine, who.username, CHANGES[change], username)
        if change == "reset":
            said = f"{username}'s password is reset: any session of theirs has ended."
            return await _accounts_page(request, who, said, "", given=(username, password))
        said = DONE.get(change, "{} " + change + "d").format(username)
        return done_then_go(request, said, "/console/accounts")

    async def _accounts_page(
        request: Request,
        who: StaffMember,
        message: str,
        problem: str | dict[str, str],
        status: int = 200,
        given: tuple[str, str] | None = None,
        typed: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """`typed`: a refused form's fields, shown again as they were (by field id), so that nothing is
        quietly put back to a default, least of all the role. `problem`: said at the top, or (`problem_at`)
        beside the field it is about. The accounts listed and the units offered are those within `who`'s grant."""
        shown = problem if isinstance(problem, dict) else {"problem": problem, "problem_field": ""}
        found = await run_in_threadpool(staff.list_staff, engine, who)
        held = {name: h.in_words() for name, h in (await run_in_threadpool(wrong_passwords.held_back)).items()}
        names = await run_in_threadpool(unit_names, engine)
        grantable = [u for u in await run_in_threadpool(unit_codes, engine) if who.covers(u)]
        choices = await run_in_threadpool(tree_choices, engine, grantable)
        done = said_once(request) if not message and not shown["problem"] else ""
        return _no_store(page(
            request, "accounts.html", status, accounts=found, held=held, unit_choices=choices, unit_names=names,
            message=message or done, **shown, given=given, typed=typed or {},
            role_names={r: d.split(":")[0] for r, d in staff.ROLES.items()},
        ))  # fmt: skip

    @app.get("/password", response_class=HTMLResponse)
    async def password_form(request: Request, who: Annotated[StaffMember, Depends(everyone)]) -> HTMLResponse:
        return _no_store(page(request, "password.html", message=""))

    @app.post("/password", response_model=None)
    async def password_change(request: Request, who: Annotated[StaffMember, Depends(everyone)]) -> Response:
        """This session carries on with the new password; every other session of the account ends."""
        form: dict[str, Any] = await checked_form(request)
        new = str(form.get("new", ""))
        try:
            if wrong_current.wait_for(who.username):
                raise UserFacingError("Too many wrong passwords: wait a quarter of an hour. Nothing was changed.")
            if new != str(form.get("again", "")):
                raise FieldError("again", "The two new passwords differ: nothing was changed.")
            when = await run_in_threadpool(
                staff.change_password, engine, who.username, str(form.get("current", "")), new
            )
        except staff.WrongPasswordError as error:
            wrong_current.failed(who.username)
            await run_in_threadpool(audit_trail.record, engine, who.username, "password change refused", "")
            return _no_store(page(request, "password.html", 400, **problem_at(error), message=""))
        except UserFacingError as error:  # beside the password it is about; no password is ever sent back
            shown = problem_at(error, message=_sentence(error.message))
            return _no_store(page(request, "password.html", 400, **shown, message=""))
        request.session["password_set_at"] = when
        await run_in_threadpool(audit_trail.record, engine, who.username, "password changed", "")
        return _no_store(page(request, "password.html", message="Your password is changed."))


def _no_store(response: HTMLResponse) -> HTMLResponse:
    """A page that shows a password (or a form for one) is never kept by the browser or a proxy."""
    response.headers["Cache-Control"] = "no-store"
    return response


def _sentence(text: str) -> str:
    """The command line's messages, as a sentence on a page."""
    text = text.replace("give --unit", "choose their unit").replace(" (no --unit)", "")
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
