"""The codes issued and waiting, on the console's Enrollment codes page. A code was shown once and could then be
neither seen nor withdrawn: one printed for a trainer who left, or a printout lost on a train, enrolled a laptop
until it expired. Now the page lists each waiting code by the trainer's name (never the code), withdraws one after
a page naming whom and which unit it is for, and a laptop enrolling with it is refused as with any used code."""

from __future__ import annotations

import io
import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.hq.console_kit import PASSWORD, admin, csrf_token, sign_in
from tests.hq.test_console_phone_tables import DESKTOP, PHONE, across, card
from tests.hq_server import Hq
from trainer_desk.hq import devices
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.database import hashed
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

# What these check is in the page as the browser shows it, the same whichever database HQ uses.
pytestmark = pytest.mark.any_database


def enroll(hq: Hq, code: str, name: str) -> requests.Response:
    """A laptop's enrollment, as the laptop sends it."""
    return requests.post(
        hq.url + "/v1/enroll",
        json={"code": code, "device_name": name},
        headers={PROTOCOL_HEADER: str(PROTOCOL_VERSION)},
        timeout=10,
    )


def issue(page: Page, trainer: str, role: str = "trainer") -> str:
    """Issue a code on the Enrollment codes page (open), for the trainer's unit on the roster; the code shown."""
    page.get_by_label("Trainer's staff number").fill(trainer)
    page.get_by_label("Laptop of").select_option(role)
    page.get_by_role("button", name="Issue a code").click()
    return page.get_by_label("Enrollment code").inner_text().strip()


def test_an_administrator_withdraws_a_code_and_a_laptop_is_refused_with_it(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Enrollment codes").click()
    rhys = issue(page, "710002")
    lan = issue(page, "710003", "training_lead")
    waiting = page.get_by_role("table", name=re.compile("issued and not yet used"))
    expect(waiting.get_by_role("row")).to_have_count(3)  # the heading row and the two: not the laptops' used codes
    rhys_row = waiting.get_by_role("row", name="Rhys ap Gwilym (710002)")
    expect(rhys_row).to_contain_text("North")  # the unit by name, as elsewhere
    expect(rhys_row).to_contain_text("a trainer")
    expect(rhys_row).to_contain_text("by hq.admin")
    expect(rhys_row).to_contain_text(re.compile(r"\d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d"))  # as the console writes days
    expect(waiting.get_by_role("row", name="Nguyễn Thị Lan (710003)")).to_contain_text("BCU training lead")
    page.get_by_role("link", name="Enrollment codes").click()
    assert rhys not in page.content() and lan not in page.content()  # shown once, when issued, never again

    waiting.get_by_role("button", name="Withdraw the code for Rhys ap Gwilym (710002), North").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw the code for Rhys ap Gwilym (710002), North?")
    other_tab = page.context.new_page()  # left open on the same page, and sent after the first
    other_tab.goto(page.url)
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_role("status")).to_have_text(
        "Withdrawn: the code for Rhys ap Gwilym (710002), North, enrolls no laptop now."
    )
    expect(waiting.get_by_role("row", name="Rhys ap Gwilym")).to_have_count(0)
    expect(waiting.get_by_role("row", name="Nguyễn Thị Lan (710003)")).to_be_visible()
    refused = enroll(hq, rhys, "Rhys's laptop")
    assert refused.status_code == 403 and refused.json()["detail"] == "this code is unknown, used or expired"

    other_tab.get_by_role("button", name="Yes, withdraw it").click()
    expect(other_tab.get_by_role("status")).to_contain_text("It was withdrawn already, at")
    expect(other_tab.get_by_role("status")).to_contain_text("nothing was changed")
    other_tab.close()

    page.goto(hq.url + "/console/enrollment")
    waiting.get_by_role("button", name="Withdraw the code for Nguyễn Thị Lan (710003), North").click()
    assert enroll(hq, lan, "Lan's laptop").status_code == 200  # the laptop was quicker than the administrator
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_role("status")).to_contain_text("It was used at")
    expect(page.get_by_role("status")).to_contain_text("nothing was changed")
    lan_s = next(d for d in devices.list_devices(hq.engine) if d["name"] == "Lan's laptop")
    assert lan_s["role"] == "training_lead" and not lan_s["revoked"]

    page.goto(hq.url + "/console/audit?q=withdrawn")
    withdrawn = page.get_by_role("table").get_by_role("row", name=re.compile("enrollment code withdrawn"))
    expect(withdrawn).to_have_count(1)
    expect(withdrawn).to_contain_text("hq.admin")
    expect(withdrawn).to_contain_text("for 710002 in NORTH as trainer")


def test_a_unit_administrator_sees_and_withdraws_only_their_units_codes(
    page: Page, hq: Hq, force: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert hq_main([*admin(hq), "users", "add", "admin.north", "--role", "admin", "--unit", "NORTH"]) == 0
    east = hashed(devices.issue_code(hq.engine, "720001", "EAST"))[:12]  # issued at a terminal
    devices.issue_code(hq.engine, "710001", "NORTH")
    sign_in(page, hq, "admin.north")
    page.get_by_role("link", name="Enrollment codes").click()
    waiting = page.get_by_role("table", name=re.compile("issued and not yet used, in North"))
    expect(waiting.get_by_role("row", name="Aleksandra Wiśniewska (710001)")).to_contain_text("not recorded")
    expect(waiting).not_to_contain_text("720001")
    expect(waiting).not_to_contain_text("EAST")
    page.set_viewport_size(PHONE)  # on a phone, a card per code: it scrolled sideways, its caption cut off
    row = waiting.get_by_role("row", name="Aleksandra Wiśniewska (710001)")
    assert card(row)[:3] == ["Aleksandra Wiśniewska (710001)", "Unit: North", "Laptop of: a trainer"]
    across(page, waiting.locator("caption"))
    across(page, row.get_by_role("button", name=re.compile("Withdraw")))
    page.set_viewport_size(DESKTOP)

    token = csrf_token(page.content())
    answer = page.goto(f"{hq.url}/console/enrollment/{east}/withdraw")
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("main")).to_contain_text("Not found")
    posted = page.request.post(f"{hq.url}/console/enrollment/{east}/withdraw", form={"csrf": token})
    assert posted.status == 404

    page.goto(hq.url + "/console/enrollment")
    waiting.get_by_role("button", name="Withdraw the code for Aleksandra Wiśniewska (710001), North").click()
    page.get_by_role("button", name="Yes, withdraw it").click()
    expect(page.get_by_role("status")).to_contain_text("Withdrawn: the code for Aleksandra Wiśniewska (710001)")
    expect(page.get_by_role("main")).to_contain_text("No code issued for North is waiting to be used.")
    page.context.clear_cookies()  # EAST's code still waits: an administrator of the whole of HQ sees it
    sign_in(page, hq, "hq.admin")
    page.goto(hq.url + "/console/enrollment")
    expect(page.get_by_role("table", name=re.compile("in every unit"))).to_contain_text("Yusuf Al-Masri (720001)")
