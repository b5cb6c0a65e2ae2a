"""Whether a lost laptop has been told to wipe itself, on the Devices page: the one thing the person who
reported a laptop stolen asks. Marked lost, it waits for its next sync; once it has synced, the page says when
it was told. Against a real HQ on loopback, in Debian's chromium, with laptops syncing over HTTP."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.dates import short_date
from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop
from tests.hq.test_console_accessibility import overflowing
from tests.hq_server import Hq
from trainer_desk.core import force_clock
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

WAITING = "not synced since: it wipes itself at its next sync"


def _mark_lost(page: Page, laptop: str) -> None:
    page.get_by_role("button", name=f"Report {laptop} lost").click()
    page.get_by_role("button", name="Yes, mark it lost").click()
    expect(page.get_by_role("status")).to_contain_text("marked lost")


def _sync(laptop: RawLaptop, path: str) -> str:
    """The laptop's pull, as the app makes it (a first one asks for a snapshot), and the status HQ answers."""
    headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION), "Authorization": f"Bearer {laptop.token}"}
    answer = requests.get(laptop.hq.url + path, params={"since": 0}, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["device_status"])


def test_a_lost_laptop_shows_it_waits_for_its_sync_then_when_it_was_told_to_wipe(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    """Each laptop marked lost shows the day it was and that it wipes itself at its next sync; after it syncs
    (by the pages of changes, or by a first pull's snapshot), the page says at which sync it was told. A laptop
    that asks again changes nothing shown; one still in service shows neither."""
    paged, first = RawLaptop.enrolled(hq, "710002"), RawLaptop.enrolled(hq, "710003")
    sign_in(page, hq, "hq.admin")
    page.get_by_role("link", name="Devices", exact=True).click()
    listed = page.get_by_role("table")
    _mark_lost(page, "laptop of 710002")
    _mark_lost(page, "laptop of 710003")
    today = short_date(force_clock.today())
    for laptop in ("laptop of 710002", "laptop of 710003"):
        expect(listed.get_by_role("row", name=laptop)).to_contain_text(f"Marked lost on {today}; {WAITING}")
    expect(listed.get_by_role("row", name="laptop of 100234")).not_to_contain_text("wipe")

    assert _sync(paged, "/v1/changes") == "lost"
    page.reload()
    told = re.compile(rf"Told to wipe itself at its sync on {today} \d\d:\d\d\.")
    expect(listed.get_by_role("row", name="laptop of 710002")).to_contain_text(told)
    expect(listed.get_by_role("row", name="laptop of 710002")).not_to_contain_text(WAITING)
    expect(listed.get_by_role("row", name="laptop of 710003")).to_contain_text(WAITING)
    said = told.search(listed.get_by_role("row", name="laptop of 710002").inner_text())
    assert said is not None

    assert _sync(first, "/v1/snapshot") == "lost"
    assert _sync(paged, "/v1/changes") == "lost"  # asked again: it was told at the first
    page.reload()
    expect(listed.get_by_role("row", name="laptop of 710003")).to_contain_text(told)
    expect(listed.get_by_role("row", name="laptop of 710002")).to_contain_text(said.group(0))

    page.set_viewport_size({"width": 390, "height": 844})  # on a phone: each laptop a card, its state in view
    assert overflowing(page) == 0
    state = listed.get_by_role("row", name="laptop of 710003").get_by_role("cell").filter(has_text="Told to wipe")
    box = state.bounding_box()  # across the page's width, without scrolling its table sideways
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box
