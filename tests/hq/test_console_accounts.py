"""The learning team runs console accounts without a terminal: an administrator of the whole of HQ adds a
lead's account (its password shown once), resets a forgotten password, disables a leaver's account (ending
their sessions at once) and enables it again; everyone changes their own password. None of it puts a password
in the audit trail, and no administrator can lock HQ out of its own console."""

from __future__ import annotations

import io
import re

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from tests.hq.console_kit import PASSWORD, admin, said_at, sign_in, signed_in_http
from tests.hq.test_console_sign_in_limits import sign_in_from
from tests.hq_server import Hq
from trainer_desk.hq.cli import main as hq_main

# What these check is the console's pages and the accounts they change, the same whichever database HQ uses
# (the sign-out the Password and Accounts pages rely on is tested on both, in test_console.py).
pytestmark = pytest.mark.any_database


def password_shown(page: Page, username: str) -> str:
    shown = page.get_by_role("region", name=f"Password for {username}").locator(".code").inner_text().strip()
    assert re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", shown), shown
    return shown


def signs_in(hq: Hq, username: str, password: str) -> bool:
    http = requests.Session()
    token = http.get(hq.url + "/console/sign-in", timeout=10).text.split('name="csrf" value="', 1)[1].split('"')[0]
    answer = http.post(
        hq.url + "/console/sign-in", data={"username": username, "password": password, "csrf": token}, timeout=10
    )
    return answer.status_code == 200 and "Sign out" in answer.text


def test_an_administrator_adds_an_account_and_its_owner_chooses_a_password(
    page: Page, browser: Browser, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    for heading in ("Add an account", "Change an account's role", "Every account"):  # each form said apart
        expect(page.get_by_role("heading", name=heading, level=2)).to_be_visible()
    add = page.get_by_role("form", name="Add an account")
    username = add.get_by_label("Username (lowercase letters, digits, '.', '_' or '-')")
    # No role is chosen for them: an account added in a hurry does not become an administrator.
    expect(add.get_by_label("Role")).to_have_value("")
    add.get_by_role("button", name="Add the account").click()
    assert "lead.east" not in page.content()  # the browser asks for the missing fields; nothing was sent
    username.fill("lead.east")
    add.get_by_label("Role").select_option("lead")
    add.get_by_role("button", name="Add the account").click()
    expect(page.get_by_role("alert")).to_have_text("A BCU training lead is granted on their unit: choose their unit.")
    # What they typed and chose stays, to be put right: not the name wiped and the role back to another.
    expect(username).to_have_value("lead.east")
    expect(add.get_by_label("Role")).to_have_value("lead")
    add.get_by_label("Granted on").select_option("EAST")
    add.get_by_role("button", name="Add the account").click()
    expect(page.get_by_role("status")).to_contain_text("Added lead.east: BCU training lead")
    first = password_shown(page, "lead.east")
    row = page.get_by_role("table", name="Accounts").get_by_role("row", name="lead.east")
    expect(row).to_contain_text("East")
    expect(row).to_contain_text("active")

    context = browser.new_context()
    theirs = context.new_page()
    try:
        sign_in(theirs, hq, "lead.east", first)
        # The administrator has seen that password: the console asks for the lead's own before anything else.
        expect(theirs.get_by_role("heading", name="Your password")).to_be_visible()
        expect(theirs.get_by_role("status")).to_contain_text("An HQ administrator set the password you signed in with")
        nav = theirs.get_by_role("navigation", name="Console")
        expect(nav.get_by_role("link")).to_have_text(["Password"])  # the other pages wait for their own password
        theirs.goto(hq.url + "/console/units/EAST")
        expect(theirs.get_by_role("heading", name="Your password")).to_be_visible()  # back to it, figures unseen
        expect(theirs.locator("main")).not_to_contain_text("Aleksandra")
        change = theirs.get_by_role("form", name="Change your password")
        change.get_by_label("Current password").fill("not my password at all")
        change.get_by_label("New password", exact=True).fill("heather on the fells")
        change.get_by_label("New password again").fill("heather on the fells")
        change.get_by_role("button", name="Change the password").click()
        said_at(change.get_by_label("Current password"), "That is not your current password: nothing was changed.")
        for field in ("Current password", "New password again"):  # a password is never sent back to the browser
            expect(change.get_by_label(field)).to_have_value("")
        change.get_by_label("Current password").fill(first)
        change.get_by_label("New password", exact=True).fill("heather on the fells")
        change.get_by_label("New password again").fill("heather on the fell")
        change.get_by_role("button", name="Change the password").click()
        said_at(change.get_by_label("New password again"), "The two new passwords differ: nothing was changed.")
        expect(change.get_by_label("Current password")).not_to_have_attribute("aria-invalid", "true")
        change.get_by_label("Current password").fill(first)
        change.get_by_label("New password", exact=True).fill("heather on the fells")
        change.get_by_label("New password again").fill("heather on the fells")
        change.get_by_role("button", name="Change the password").click()
        expect(theirs.get_by_role("status")).to_contain_text("Your password is changed.")
        theirs.get_by_role("link", name="Go on to the console").click()  # this session carries on
        expect(nav.get_by_role("link", name="Dashboard")).to_be_visible()
        expect(theirs.get_by_role("heading", name="Completion against the roster")).to_be_visible()
        assert theirs.goto(hq.url + "/console/accounts").status == 403  # type: ignore[union-attr]
    finally:
        context.close()
    assert not signs_in(hq, "lead.east", first)
    assert signs_in(hq, "lead.east", "heather on the fells")

    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert "account added" in audit and "password changed" in audit
    assert first not in audit and "heather" not in audit


def test_a_leaver_is_disabled_at_once_a_forgotten_password_reset_and_no_one_locks_hq_out(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    theirs = signed_in_http(hq, "lead.north")  # the lead's browser, signed in
    assert theirs.get(hq.url + "/console/units/NORTH", timeout=10).status_code == 200
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    page.get_by_role("button", name="Disable lead.north").click()
    expect(page.get_by_role("status")).to_have_text("lead.north disabled")
    expect(page.get_by_role("table", name="Accounts").get_by_role("row", name="lead.north")).to_contain_text("disabled")
    ended = theirs.get(hq.url + "/console/units/NORTH", timeout=10, allow_redirects=False)
    assert ended.status_code == 303 and "/console/sign-in" in ended.headers["location"]
    assert not signs_in(hq, "lead.north", PASSWORD)

    page.get_by_role("button", name="Enable lead.north").click()
    expect(page.get_by_role("status")).to_have_text("lead.north enabled")
    again = theirs.get(hq.url + "/console/units/NORTH", timeout=10, allow_redirects=False)
    assert again.status_code == 303  # enabled again, the session it had does not come back to life
    page.get_by_role("button", name="Reset lead.north's password").click()
    expect(page.get_by_role("status")).to_contain_text("lead.north's password is reset")
    given = password_shown(page, "lead.north")
    assert not signs_in(hq, "lead.north", PASSWORD)
    assert signs_in(hq, "lead.north", given)
    reset = requests.Session()  # signed in with the reset password, the lead is asked for their own first
    token = reset.get(hq.url + "/console/sign-in", timeout=10).text.split('name="csrf" value="', 1)[1].split('"')[0]
    form = {"username": "lead.north", "password": given, "csrf": token, "next": "/console/units/NORTH"}
    landed = reset.post(hq.url + "/console/sign-in", data=form, timeout=10)
    assert landed.url.endswith("/console/password") and "An HQ administrator set the password" in landed.text
    assert "Rhys ap Gwilym" not in reset.get(hq.url + "/console/units/NORTH", timeout=10).text

    page.get_by_role("button", name="Disable hq.admin").click()
    expect(page.get_by_role("alert")).to_have_text("You cannot disable your own account: ask another administrator.")
    admins = signed_in_http(hq, "hq.admin")  # nor by naming it in capitals, straight to the address
    form = admins.get(hq.url + "/console/accounts", timeout=10).text
    token = form.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    refused = admins.post(hq.url + "/console/accounts/HQ.ADMIN/disable", data={"csrf": token}, timeout=10)
    assert refused.status_code == 400 and "cannot disable your own account" in refused.text
    expect(page.get_by_role("table", name="Accounts").get_by_role("row", name="hq.admin")).to_contain_text("active")
    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert "account disabled" in audit and "password reset" in audit and given not in audit


def test_the_password_page_does_not_let_a_borrowed_session_guess_the_password(hq: Hq, force: dict[str, str]) -> None:
    """Someone at a lead's unlocked PC tries passwords on the Password page: after five wrong ones it refuses
    even the right one for a quarter of an hour, and each wrong one is in the audit trail."""
    borrowed = signed_in_http(hq, "lead.north")

    def change(current: str) -> requests.Response:
        form = borrowed.get(hq.url + "/console/password", timeout=10)
        assert form.headers["cache-control"] == "no-store"
        token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        new = {"new": "a new password of mine", "again": "a new password of mine"}
        return borrowed.post(hq.url + "/console/password", data={**new, "current": current, "csrf": token}, timeout=10)

    for guess in range(5):
        assert "That is not your current password" in change(f"guess number {guess}").text
    assert "Too many wrong passwords" in change(PASSWORD).text
    assert signs_in(hq, "lead.north", PASSWORD)  # unchanged
    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert audit.count("password change refused") == 5


def test_a_lead_moving_unit_is_granted_the_new_one_and_the_last_administrator_keeps_the_role(
    page: Page, hq: Hq, force: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    """A lead moves from NORTH to EAST: their signed-in browser sees EAST's people at its next page and no longer
    NORTH's. No administrator can change their own role, nor demote the last administrator of the whole of HQ."""
    theirs = signed_in_http(hq, "lead.north")
    assert theirs.get(hq.url + "/console/units/EAST", timeout=10).status_code == 404
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    grant = page.get_by_role("form", name="Change an account's role")
    grant.get_by_label("Account").select_option("lead.north")
    grant.get_by_label("New role").select_option(label="BCU training lead")
    grant.get_by_label("Granted on").select_option("EAST")
    grant.get_by_role("button", name="Change the role").click()
    expect(page.get_by_role("status")).to_have_text(re.compile(r"^lead\.north is now: BCU training lead.*, on East\.$"))
    row = page.get_by_role("table", name="Accounts").get_by_role("row", name="lead.north")
    expect(row).to_contain_text("East")
    assert theirs.get(hq.url + "/console/units/EAST", timeout=10).status_code == 200
    assert theirs.get(hq.url + "/console/units/NORTH", timeout=10).status_code == 404

    grant.get_by_label("Account").select_option("hq.admin")
    grant.get_by_label("New role").select_option(label="HQ viewer")
    grant.get_by_role("button", name="Change the role").click()
    expect(page.get_by_role("alert")).to_have_text("You cannot change your own role: ask another administrator.")
    grant.get_by_label("Account").select_option("hq.viewer")
    grant.get_by_label("New role").select_option(label="HQ administrator")
    grant.get_by_label("Granted on").select_option("")
    grant.get_by_role("button", name="Change the role").click()
    now_admin = "hq.viewer is now: HQ administrator: everything, on the whole of HQ"
    expect(page.get_by_role("status")).to_contain_text(now_admin)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "hq.viewer")  # now an administrator, who may demote hq.admin: one is left
    page.get_by_role("link", name="Accounts").click()
    grant.get_by_label("Account").select_option("hq.admin")
    grant.get_by_label("New role").select_option(label="BCU training lead")
    grant.get_by_label("Granted on").select_option("NORTH")
    grant.get_by_role("button", name="Change the role").click()
    expect(page.get_by_role("status")).to_contain_text("hq.admin is now: BCU training lead")
    expect(page.get_by_role("table", name="Accounts").get_by_role("row", name="hq.admin")).to_contain_text("North")
    assert hq_main([*admin(hq), "users", "grant", "hq.viewer", "--role", "viewer"]) != 0  # nor from a terminal
    assert "hq.viewer is the last administrator of the whole of HQ" in capsys.readouterr().err
    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert "role changed" in audit and "lead.north to lead EAST" in audit


def test_a_lead_is_moved_from_the_command_line_on_an_hq_with_no_administrator_yet(
    hq: Hq, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """IT runs HQ from a terminal, with leads' accounts only: moving one is not refused as if it took away the
    last administrator."""
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "lead.one", "--role", "lead", "--unit", "NORTH"]) == 0
    assert hq_main([*admin(hq), "users", "grant", "lead.one", "--role", "lead", "--unit", "EAST"]) == 0
    assert "lead.one is now: BCU training lead" in capsys.readouterr().out


def test_a_password_guessed_first_is_refused_beside_the_field_saying_why(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.viewer")
    page.get_by_role("link", name="Password").click()
    change = page.get_by_role("form", name="Change your password")
    refused = {
        "aaaaaaaaaaaa": "A character or a few repeated over and over is guessed at once: choose another.",
        "Password1234!": "That is one of the most commonly used passwords, which are tried first: choose another.",
        "abcdefghijklmn": (
            "A simple run of letters or digits (like abcdef or 987654) is guessed at once: choose another."
        ),
        "I am hq.viewer here": "A password must not contain your username: choose another.",
    }
    for new, why in refused.items():
        change.get_by_label("Current password").fill(PASSWORD)
        change.get_by_label("New password", exact=True).fill(new)
        change.get_by_label("New password again").fill(new)
        change.get_by_role("button", name="Change the password").click()
        said_at(change.get_by_label("New password", exact=True), why)
    assert signs_in(hq, "hq.viewer", PASSWORD)  # none of them was taken
    assert not signs_in(hq, "hq.viewer", "aaaaaaaaaaaa")


def test_an_account_held_back_after_wrong_passwords_says_so_and_can_be_let_sign_in_again(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """After five wrong passwords the lead was told to ask an administrator, whose Accounts page showed them as
    "active" with no sign of the lock and nothing to lift it but a password reset."""
    for attempt in range(5):
        assert sign_in_from(hq, "10.1.1.1", "lead.north", f"guess {attempt}").status_code == 401
    assert sign_in_from(hq, "10.1.1.1", "lead.north", PASSWORD).status_code == 429
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Accounts").click()
    accounts = page.get_by_role("table", name="Accounts")
    expect(accounts.get_by_role("row", name="lead.north")).to_contain_text(
        re.compile(r"held back after wrong passwords until \d\d:\d\d \(from one address\)")
    )
    expect(accounts.get_by_role("row", name="hq.viewer")).to_contain_text("active")
    expect(page.get_by_role("button", name="Let hq.viewer sign in again")).to_have_count(0)

    page.get_by_role("button", name="Let lead.north sign in again").click()
    expect(page.get_by_role("status")).to_have_text("lead.north may sign in again: their wrong passwords are forgotten")
    expect(accounts.get_by_role("row", name="lead.north")).to_contain_text("active")
    expect(accounts.get_by_role("row", name="lead.north")).not_to_contain_text("held back")
    assert "Sign out" in sign_in_from(hq, "10.1.1.1", "lead.north", PASSWORD).text  # with the same password
    audit = signed_in_http(hq, "audit").get(hq.url + "/console/audit", timeout=10).text
    assert "sign-in released" in audit
