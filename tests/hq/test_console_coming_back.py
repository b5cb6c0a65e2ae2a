"""Coming back to the console: after a session ends, the person returns to the page they were on, filters and
all, and a form they had filled in is offered to send again; a wrong password keeps the username typed; a
mistyped address or a form's address opened in the browser is a console page, not the router's JSON; and dates
given the wrong way round on the dashboard are said and put right."""

from __future__ import annotations

import base64
import json
import socket
from datetime import timedelta

import itsdangerous
import pytest
import requests
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, sign_in, signed_in_http
from tests.hq_server import Hq
from trainer_desk.hq.database import utc_now

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database
COOKIE = "trainer_desk_console"


def _idle_for_an_hour(page: Page, hq: Hq) -> None:
    """The browser's session made idle for an hour, signed with HQ's own key as the console signs it."""
    signer = itsdangerous.TimestampSigner((hq.blobs.parent / "console.key").read_text().strip())
    cookie = next(c for c in page.context.cookies() if c["name"] == COOKIE)
    content = json.loads(base64.b64decode(signer.unsign(cookie["value"].encode())))
    content["seen"] = (utc_now() - timedelta(hours=1)).isoformat()
    value = signer.sign(base64.b64encode(json.dumps(content).encode())).decode()
    page.context.add_cookies([{**cookie, "value": value}])  # type: ignore[list-item]


def test_after_the_session_ends_the_person_comes_back_to_the_page_and_its_filters(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_label("Unit", exact=True).select_option("NORTH")
    page.get_by_label("Sessions from").fill("2026-01-05")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_label("Sessions from")).to_have_value("2026-01-05")
    _idle_for_an_hour(page, hq)

    page.reload()
    expect(page.get_by_role("heading", name="Sign in to the HQ console")).to_be_visible()
    page.get_by_label("Username").fill("hq.admin")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Completion against the roster")).to_be_visible()
    expect(page.get_by_label("Sessions from")).to_have_value("2026-01-05")
    expect(page.get_by_label("Unit", exact=True)).to_have_value("NORTH")


def test_a_form_sent_after_the_session_ended_is_offered_again_once_signed_in(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    page.get_by_label("Staff number").fill("710002")
    reason = "Seconded to the regional unit until March;\nto do it on return"
    page.get_by_label("Reason").fill(reason)
    _idle_for_an_hour(page, hq)  # the lead was called away before sending it

    page.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("alert")).to_contain_text("Your session ended before that reached HQ")
    page.get_by_label("Username").fill("lead.north")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Send what you had entered?")).to_be_visible()
    expect(page.locator("dl.resend")).to_contain_text("Seconded to the regional unit until March")
    page.get_by_role("button", name="Send it").click()
    recorded = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    expect(recorded).to_contain_text("Rhys ap Gwilym (710002)")
    expect(recorded).to_contain_text("Seconded to the regional unit until March")


def test_a_form_from_elsewhere_is_not_offered_again(hq: Hq, force: dict[str, str]) -> None:
    """A post that does not carry the ended session's own token is not carried through signing in."""
    http = requests.Session()
    http.get(hq.url + "/console/sign-in", timeout=10)  # a session with a token, not signed in
    answer = http.post(
        hq.url + "/console/exemptions",
        data={"csrf": "forged", "staff_number": "710002", "programme": "x", "kind": "exempt", "reason": "forged"},
        timeout=10,
    )
    assert answer.status_code == 401 and "Sign in to the HQ console" in answer.text
    assert "resend_fields" not in answer.text and "forged" not in answer.text


def test_a_wrong_password_keeps_the_username_and_moves_to_the_password(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "lead.north", "not the password at all")
    expect(page.get_by_role("alert")).to_contain_text("do not match")
    expect(page.get_by_label("Username")).to_have_value("lead.north")
    expect(page.get_by_label("Password")).to_be_focused()
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Completion against the roster")).to_be_visible()


def test_a_mistyped_address_and_a_forms_address_opened_are_console_pages(hq: Hq, force: dict[str, str]) -> None:
    http = signed_in_http(hq, "hq.admin")
    missing = http.get(hq.url + "/console/dashbord", timeout=10)
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert "There is no page at this address in the console." in missing.text
    assert "Back to the dashboard" in missing.text
    opened = http.get(hq.url + "/console/sign-out", timeout=10)
    assert opened.status_code == 405 and opened.headers["content-type"].startswith("text/html")
    assert "go back to the page the form is on" in opened.text


def test_dates_the_wrong_way_round_are_said_and_put_right(page: Page, hq: Hq, force: dict[str, str]) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_label("Sessions from").fill("2026-11-30")
    page.get_by_label("to", exact=True).fill("2026-02-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The first date was after the second, so the sessions shown are those from 1 Feb 2026 to 30 Nov 2026."
    )  # the days as the console writes them everywhere else, not as the field holds them
    expect(page.get_by_label("Sessions from")).to_have_value("2026-02-01")
    expect(page.get_by_label("to", exact=True)).to_have_value("2026-11-30")
    expect(page.get_by_role("table", name="Sessions, trainers and devices")).to_contain_text(
        "delivered, 1 Feb 2026 to 30 Nov 2026"
    )


def _sign_in_as(page: Page, username: str) -> None:
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_a_form_is_offered_again_only_to_the_person_whose_session_ended(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("link", name="Exemptions").click()
    page.get_by_label("Staff number").fill("710002")
    page.get_by_label("Reason").fill("Long-term sick leave")
    _idle_for_an_hour(page, hq)
    page.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_label("Username")).to_have_value("lead.north")  # whose session it was, typed already

    page.get_by_label("Username").fill("hq.admin")  # someone else signs in at the same browser
    _sign_in_as(page, "hq.admin")
    expect(page.get_by_role("heading", name="Exemptions")).to_be_visible()  # back to the page, nothing offered
    expect(page.get_by_role("heading", name="Send what you had entered?")).to_have_count(0)
    expect(page.get_by_role("table", name="Exemptions that hold in your units, newest first")).to_contain_text(
        "No exemptions."
    )


def test_a_confirmation_sent_after_the_session_ended_goes_back_to_its_page_unsent(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """'Yes, mark it lost' wipes a laptop: sent again on its own it would act without the page saying so."""
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Devices", exact=True).click()
    page.get_by_role("button", name="Report laptop of 100234 lost").click()
    _idle_for_an_hour(page, hq)
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(page.get_by_role("alert")).to_contain_text("This form is not kept to send again")

    _sign_in_as(page, "hq.admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mark the laptop of 100234 lost?")
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("table").get_by_role("row", name="laptop of 100234")).to_contain_text("active")


def test_an_upload_nobody_signed_in_asked_for_is_refused_unread(hq: Hq, force: dict[str, str]) -> None:
    """A stranger's upload to a console page, and any upload to the sign-in or phone form, is answered as soon
    as its headers arrive: HQ never waits for (or holds) the half a gigabyte it says is coming."""
    for path, status in (("/console/exemptions", 401), ("/console/sign-in", 415), ("/feedback/x", None)):
        with socket.create_connection(("127.0.0.1", hq.port), timeout=10) as raw:
            raw.sendall(
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 500000000\r\n"
                "Content-Type: multipart/form-data; boundary=b\r\n\r\n--b\r\n".encode()
            )
            answer = raw.recv(200).decode()
        assert answer.startswith("HTTP/1.1 4"), (path, answer)
        if status:
            assert answer.startswith(f"HTTP/1.1 {status}"), (path, answer)


def test_odd_addresses_are_kept_in_the_console(hq: Hq, force: dict[str, str]) -> None:
    for sneaky in ("/console/../api/v1/changes", "/console/%2e%2e/health", "/console/\tx"):
        text = requests.get(hq.url + "/console/sign-in", params={"next": sneaky}, timeout=10).text
        assert 'name="next" value="/console/"' in text, sneaky
    http = signed_in_http(hq, "hq.admin")
    posted = http.post(hq.url + "/console/devices", data={}, timeout=10)
    assert posted.status_code == 405 and "This page takes no form" in posted.text
