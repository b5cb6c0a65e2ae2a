"""A BCU training lead (or someone at HQ) on a phone, 390 pixels across: the chase list, the sessions, the
exemptions, the dashboard's figures and the audit trail each read as a card per row, the person (or unit, or
session, or moment) first, then each value beside its label, and nothing off the side of the screen; the bar
chart names every unit whole. At a desktop's width they are tables as before. Against a real HQ on loopback,
in Debian's chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.hq.console_kit import sign_in
from tests.hq.test_console_accessibility import overflowing
from tests.hq_server import Hq
from trainer_desk.core import force_clock
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import audit_trail
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import units as hq_units
from trainer_desk.paths import bundled

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
NORTH = "North Neighbourhood Policing"  # a unit's name as long as a real one: it was cut off on a phone


@pytest.fixture
def named_units(hq: Hq, force: dict[str, str]) -> None:
    """The plans published, and the force's units under the names their people know them by."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_units.import_units(
        hq.engine,
        [UnitNode("FERN", "Fernshire Police", "force"), UnitNode("NORTH", NORTH, "BCU", "FERN"),
         UnitNode("EAST", "East BCU", "BCU", "FERN")],
    )  # fmt: skip


def card(row: Locator) -> list[str]:
    """A row as it reads on screen: each cell that takes any room, as "label: value" where a label is shown."""
    return list(
        row.evaluate(
            """row => [...row.cells].filter(cell => cell.getBoundingClientRect().height > 0).map(cell => {
                const label = getComputedStyle(cell, "::before").content;
                const text = cell.innerText.trim();
                return label.startsWith('"') ? label.slice(1, -1) + ": " + text : text;
            })"""
        )
    )


def across(page: Page, found: Locator) -> None:
    """The thing is within the screen's width, where a person sees it without scrolling sideways."""
    box = found.bounding_box()
    width = page.viewport_size["width"] if page.viewport_size else 0
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, box


def _record_exemption(page: Page) -> None:
    page.get_by_role("link", name="Exemptions").click()
    record = page.get_by_role("form", name="Record an exemption")
    record.get_by_label("Staff number").fill("710003")
    record.get_by_label("Programme").select_option(label="Upstander")
    record.get_by_label("Reason").fill("on long-term sick leave until the spring")
    record.get_by_role("button", name="Record the exemption").click()
    expect(page.get_by_role("status")).to_contain_text("Recorded: Nguyễn Thị Lan (710003) exempt from Upstander")


@pytest.mark.usefixtures("named_units")
def test_a_leads_tables_read_as_cards_on_a_phone_and_as_tables_on_a_desktop(page: Page, hq: Hq) -> None:
    sign_in(page, hq, "lead.north")
    _record_exemption(page)
    page.set_viewport_size(PHONE)
    page.goto(f"{hq.url}/console/units/NORTH?programme=signa")
    assert overflowing(page) == 0
    chase = page.get_by_role("table", name=f"Outstanding in {NORTH}")
    rhys = chase.get_by_role("row", name="Rhys ap Gwilym")
    # The person and when they are due first; a blank (no team, not booked) is left out of the card.
    assert card(rhys) == ["Rhys ap Gwilym", "Due: due 31 Mar 2027", "Staff number: 710002", "Role: staff"]
    due = rhys.get_by_role("cell").filter(has_text="31 Mar 2027")
    across(page, due)
    line = float(due.evaluate("cell => parseFloat(getComputedStyle(cell).lineHeight)"))
    assert (due.bounding_box() or {"height": 0})["height"] < 1.5 * line + 8  # the date on one line
    sessions = page.get_by_role("table", name="The newest sessions")
    assert card(sessions.get_by_role("row").nth(1))[1:] == [
        "Status: running", "Plan: Signa: sexism, misogyny and sexual harassment at work",
        "Venue: Room 4", "Trainers: 100234",
    ]  # fmt: skip
    across(page, sessions.get_by_role("cell").filter(has_text="100234"))

    page.get_by_role("link", name="Exemptions").click()
    holds = page.get_by_role("table", name="Exemptions that hold in your units, newest first")
    expect(holds).to_be_visible()
    assert overflowing(page) == 0
    nguyen = holds.get_by_role("row", name="Nguyễn Thị Lan (710003)")
    assert card(nguyen)[:4] == [
        "Nguyễn Thị Lan (710003)", "Programme: Upstander", "Kind: exempt",
        "Reason: on long-term sick leave until the spring",
    ]  # fmt: skip
    across(page, nguyen.get_by_role("link", name="Withdraw Nguyễn Thị Lan's exemption from Upstander"))

    page.get_by_role("link", name="Dashboard").click()
    per_unit = page.get_by_role("table", name="Signa: completion per unit")
    expect(per_unit).to_be_visible()
    assert overflowing(page) == 0
    north = per_unit.get_by_role("row", name=NORTH)
    assert card(north) == [NORTH, "Completed: 1", "Must complete it: 3", "Share: 33%"]
    across(page, north.get_by_role("cell").filter(has_text="33%"))

    page.set_viewport_size(DESKTOP)  # a table again: its headings over its columns, a row on one line
    expect(per_unit.get_by_role("columnheader", name="Must complete it")).to_be_visible()
    assert card(north) == [NORTH, "1", "3", "33%"]
    tops = {round(box["y"]) for box in (c.bounding_box() for c in north.get_by_role("cell").all()) if box}
    assert len(tops) == 1, tops
    page.goto(f"{hq.url}/console/units/NORTH?programme=signa")
    assert card(chase.get_by_role("row", name="Rhys ap Gwilym")) == [
        "Rhys ap Gwilym", "due 31 Mar 2027", "", "710002", "staff", ""
    ]  # fmt: skip


def chart_labels(page: Page) -> tuple[list[str], float, float]:
    """The bar chart's unit names as drawn (lines joined), the widest line's width and the room left of the
    bars, as far as the canvas's left edge."""
    drawn = page.evaluate(
        """() => {
            const chart = Chart.getChart("per-unit"), axis = chart.scales.y, ctx = chart.ctx;
            ctx.save();
            ctx.font = Chart.helpers.toFont(axis.options.ticks.font).string;
            const lines = axis.ticks.flatMap(tick => [].concat(tick.label));
            const widest = Math.max(...lines.map(line => ctx.measureText(line).width));
            ctx.restore();
            const room = axis.right - axis.options.ticks.padding - axis.options.grid.tickLength;
            return [axis.ticks.map(tick => [].concat(tick.label).join(" ")), widest, room];
        }"""
    )
    return list(drawn[0]), float(drawn[1]), float(drawn[2])


@pytest.mark.usefixtures("named_units")
def test_the_bar_chart_names_every_unit_whole(page: Page, hq: Hq) -> None:
    """Drawn on one line, a long name ran off the chart's left edge on a phone: "North Neighbourhood Policing"
    read "Neighbourhood Policing". Each name fits beside its bar, wrapped onto lines where it must, on a phone
    and on the desktop it is turned to."""
    page.set_viewport_size(PHONE)
    sign_in(page, hq, "lead.north")
    page.goto(f"{hq.url}/console/?programme=signa")
    names, widest, room = chart_labels(page)
    assert names == [NORTH]
    assert widest <= room, (widest, room)
    page.set_viewport_size(DESKTOP)
    page.wait_for_function("() => Chart.getChart('per-unit').width > 1000")  # the chart redrawn at the new width
    names, widest, room = chart_labels(page)
    assert names == [NORTH]
    assert widest <= room, (widest, room)


def test_the_audit_trail_reads_as_a_card_per_entry_on_a_phone_with_its_links(
    page: Page, hq: Hq, force: dict[str, str], named_units: None
) -> None:
    """Someone at HQ on a phone read the trail by scrolling each entry sideways: now each entry is a card, when
    first, then who, what and the detail beside their labels, its link to the session within the screen."""
    north = force["NORTH"]
    about = audit_trail.about_session(hq.engine, hq.blobs, north)
    audit_trail.record(hq.engine, "lead.north", "session cancelled", f"{about}: the room was double-booked")
    (entry,) = audit_trail.search(hq.engine, "double-booked")
    sign_in(page, hq, "hq.admin")
    page.set_viewport_size(PHONE)
    page.goto(f"{hq.url}/console/audit")
    assert overflowing(page) == 0
    trail = page.get_by_role("table", name=re.compile("entries, newest first$"))
    cancelled = trail.get_by_role("row").filter(has_text="double-booked")
    assert card(cancelled) == [
        force_clock.shown(entry["at"]), "Who: lead.north", "What: session cancelled",
        f"Detail: Signa: sexism, misogyny and sexual harassment at work, 23 Nov 2026, {NORTH} [session {north}]: "
        "the room was double-booked",
    ]  # fmt: skip
    link = cancelled.get_by_role("link", name=f"[session {north}]")
    across(page, link)
    link.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Signa")

    page.set_viewport_size(DESKTOP)  # a table again, its headings over its columns
    page.go_back()
    expect(trail.get_by_role("columnheader", name="Detail")).to_be_visible()
    assert card(cancelled)[1:3] == ["lead.north", "session cancelled"]
