"""A BCU lead chasing people needs to know how current the list is: it says when it was counted, on the UK's
clock whatever the server's, and which of the unit's laptops have not synced lately, so that people trained on
one of them are not chased for a course they have done; the downloaded list carries the day in its name."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect
from sqlalchemy import update

from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop
from tests.hq_server import Hq
from trainer_desk.hq import schema
from trainer_desk.hq.database import utc_now

UK = ZoneInfo("Europe/London")


def test_the_chase_list_says_when_it_was_counted_and_which_laptops_are_quiet(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    RawLaptop.enrolled(hq, "100235", "NORTH")  # a second laptop in North, enrolled just now: not quiet
    five_days_ago = utc_now() - timedelta(days=5)
    with hq.engine.begin() as conn:  # North's first laptop has not synced since five days ago
        conn.execute(
            update(schema.devices)
            .where(schema.devices.c.trainer == "100234")
            .values(last_seen=five_days_ago.isoformat())
        )
    before = datetime.now(UK)
    sign_in(page, hq, "lead.north")
    page.get_by_role("table", name="Completion per unit and programme").get_by_role("link", name="NORTH").click()

    counted = page.locator("#counted")
    expect(counted).to_contain_text(re.compile(r"Counted at \d\d:\d\d on \d{1,2} \w+ \d{4} \(UK time\)"))
    after = datetime.now(UK)
    said = counted.inner_text()
    assert any(f"{t:%H:%M} on {t.day} {t:%b %Y}" in said for t in (before, after)), said
    quiet_since = five_days_ago.astimezone(UK)
    expect(counted).to_contain_text(
        f"One of NORTH's laptops has not synced since {quiet_since:%H:%M} on {quiet_since.day} {quiet_since:%b %Y}: "
        "people trained on it since then may be listed below although they have completed it."
    )

    with page.expect_download() as download:
        page.get_by_role("link", name="Download this list (CSV)").click()
    assert download.value.suggested_filename == f"outstanding-NORTH-signa-{datetime.now(UK).date()}.csv"


def test_with_every_laptop_synced_lately_the_list_says_only_when_it_was_counted(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "lead.north")
    page.get_by_role("table", name="Completion per unit and programme").get_by_role("link", name="NORTH").click()
    expect(page.locator("#counted")).to_contain_text("(UK time), from the registers HQ had received.")
    expect(page.locator("#counted")).not_to_contain_text("not synced")
