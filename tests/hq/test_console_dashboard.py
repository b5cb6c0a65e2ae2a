"""The dashboard in a real browser against a real HQ: completion against the programme's audience and due date,
drawn month by month by the vendored chart library from the figures in the page, filtered by unit through the
URL, and never more than a lead's unit for a lead."""

from __future__ import annotations

import re
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.raw_laptop import RawLaptop, attendance, item, session
from tests.hq_server import Hq
from trainer_desk.core import force_clock
from trainer_desk.hq import content as hq_content
from trainer_desk.paths import bundled


def test_the_dashboard_draws_completion_over_time_against_the_due_date(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    september = {**session("NORTH", ("100234",)), "starts_at": "2026-09-14T09:00:00+00:00"}
    assert (
        RawLaptop.enrolled(hq, "100234", "NORTH").push(
            item("session", september), item("attendance", attendance(september, "710002"))
        )
        == [("created", "")] * 2
    )
    sign_in(page, hq, "hq.admin")

    summary = page.locator("#trend-summary")
    expect(summary).to_contain_text("3 of 5")  # two in NORTH, one in EAST, of the five on the roster
    expect(summary).to_contain_text("Due by 31 Mar 2027")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('per-unit'))")
    drawn = page.evaluate(
        "() => { const c = Chart.getChart(document.getElementById('over-time'));"
        " return {months: c.data.labels, done: c.data.datasets[0].data}; }"
    )
    assert drawn["months"][0] == "Sep 2026" and drawn["months"][-1] == "Mar 2027"  # as the console writes a month
    assert drawn["done"][0] == 1 and max(d for d in drawn["done"] if d is not None) == 3
    bars = page.evaluate("() => Chart.getChart(document.getElementById('per-unit')).data.datasets[0].data")
    assert bars == [50, 67]  # EAST: one of its two; NORTH: two of its three
    expect(page.get_by_role("table", name="Signa: completion per unit")).to_contain_text("NORTH")

    page.get_by_label("Unit", exact=True).select_option("NORTH")
    page.get_by_role("button", name="Show").click()
    assert parse_qs(urlparse(page.url).query)["unit"] == ["NORTH"]  # the view can be bookmarked and sent on
    expect(summary).to_contain_text("2 of 3")
    delivery = page.get_by_role("table", name="Sessions, trainers and devices in NORTH")
    signa = delivery.get_by_role("row", name="Sessions of Signa delivered").get_by_role("cell")
    expect(signa).to_have_text(re.compile(r"^[1-9]\d*$"))
    page.get_by_label("Programme", exact=True).select_option(
        label="Upstander"
    )  # the count follows the programme chosen
    page.get_by_role("button", name="Show").click()
    expect(delivery.get_by_role("row", name="Sessions of Upstander delivered").get_by_role("cell")).to_have_text("0")
    page.get_by_label("Programme", exact=True).select_option(label="Signa")
    page.get_by_role("button", name="Show").click()

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, hq, "lead.north")
    page.goto(hq.url + "/console/?programme=signa&unit=EAST")  # another unit's figures are not to be had
    expect(page.get_by_role("alert")).to_contain_text("That unit is not among those you can see")  # said so
    expect(summary).to_contain_text("2 of 3")
    expect(page.get_by_label("Unit", exact=True)).not_to_contain_text("EAST")


def test_the_pace_counts_this_months_completions_from_the_day_they_are_synced(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """A session run this month shows in the pace at once: a pace of whole months only would leave it out until
    the month after, and tell the learning team the force had slowed down while it caught up."""
    plans = tmp_path / "lesson_plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    rules = plans / "programmes.toml"  # due a year from now, so the page goes on projecting whatever the day
    due_next_year = f"due = {force_clock.today() + timedelta(days=365)}"
    rules.write_text(re.sub(r"(?m)^due = .*$", due_next_year, rules.read_text(encoding="utf-8")), encoding="utf-8")
    hq_content.publish_content(hq.engine, plans, hq.blobs, allow_sample_media=True)
    just_now = (datetime.now(UTC) - timedelta(minutes=1)).isoformat(timespec="seconds")
    today_session = {**session("NORTH", ("100234",)), "starts_at": just_now}
    pushed = [item("session", today_session), item("attendance", attendance(today_session, "710002"))]
    assert RawLaptop.enrolled(hq, "100234", "NORTH").push(*pushed) == [("created", "")] * 2
    sign_in(page, hq, "hq.admin")

    today = force_clock.today()
    since = date(today.year - (today.month <= 3), (today.month - 4) % 12 + 1, 1)  # three months before this one
    # The force's two completions of 23 Nov 2026 (while they are recent) and today's, over the days since then.
    counted = 2 * (date(2026, 11, 23) >= since) + 1
    pace = round(counted / (((today - since).days + 1) / (365.25 / 12)), 1)
    expect(page.locator("#trend-summary")).to_contain_text(
        f"At the pace since {force_clock.day_text(since)} ({pace} a month)"
    )


def test_what_is_needed_a_month_counts_the_days_left_to_the_due_date(
    page: Page, hq: Hq, force: dict[str, str], tmp_path: Path
) -> None:
    """Due three weeks from today: the time left is three weeks, not the whole months after this one (which
    gave no figure at all when the due date fell this month or early next, and too high a one otherwise)."""
    plans = tmp_path / "lesson_plans"
    shutil.copytree(bundled("lesson_plans"), plans)
    due = force_clock.today() + timedelta(days=20)
    rules = plans / "programmes.toml"
    rules.write_text(re.sub(r"(?m)^due = .*$", f"due = {due}", rules.read_text(encoding="utf-8")), encoding="utf-8")
    hq_content.publish_content(hq.engine, plans, hq.blobs, allow_sample_media=True)
    sign_in(page, hq, "hq.admin")

    summary = page.locator("#trend-summary")
    expect(summary).to_contain_text("2 of 5")  # the force's two completions, of the five on the roster
    needed = round(3 / (21 / (365.25 / 12)), 1)  # three to go over 21 days, today included: 4.3 a month
    expect(summary).to_contain_text(f"{needed} a month are needed to finish")
