"""Every stop of the keyboard on a console page shows a focus ring of at least 3:1 against the page and the
control: the old yellow outline alone was about 1.9:1 against white, and a date field's calendar button showed
no ring at all (the field loses :focus to it in Chromium)."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq

pytestmark = pytest.mark.any_database  # what the person sees: the same on either database

WHITE, YELLOW = (255, 255, 255), (240, 180, 0)
FOCUSED = """() => {
  const e = document.activeElement, s = getComputedStyle(e);
  return {tag: e.tagName, type: e.type || "", id: e.id, own: e.matches(":focus"), within: e.matches(":focus-within"),
          style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, shadow: s.boxShadow};
}"""


def _rgb(text: str) -> tuple[int, int, int]:
    red, green, blue = (int(n) for n in re.findall(r"\d+", text)[:3])
    return red, green, blue


def _contrast(one: tuple[int, int, int], other: tuple[int, int, int]) -> float:
    def luminance(rgb: tuple[int, int, int]) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.03928 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_every_focus_stop_shows_a_ring_of_3_to_1_the_date_fields_calendar_button_too(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    sign_in(page, hq, "hq.admin")
    page.goto(hq.url + "/console/sessions")
    expect(page.get_by_role("heading", name="Sessions", exact=True)).to_be_visible()
    stops, calendar_buttons = [], []
    for _ in range(60):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now["tag"] == "BODY":
            break
        stops.append(now)
        if now["type"] == "date" and not now["own"] and now["within"]:
            inside = Image.open(io.BytesIO(page.locator(f"#{now['id']}").screenshot())).convert("RGB")
            calendar_buttons.append({**now, "lit": YELLOW in {colour for _, colour in inside.getcolors(1 << 16) or []}})
    assert len(stops) > 15  # the menu, the filters and the sessions' links
    for stop in stops:
        where = f"{stop['tag']} {stop['id']}"
        assert stop["style"] == "solid" and stop["width"] >= 2, where
        ring = _rgb(stop["colour"])
        assert _contrast(ring, WHITE) >= 3 and _contrast(ring, YELLOW) >= 3, where  # the page, the outer ring
        assert "rgb(240, 180, 0)" in stop["shadow"] and "rgb(255, 255, 255)" in stop["shadow"], where
    assert [c["id"] for c in calendar_buttons] == ["start", "end"]  # From and To each have one
    assert all(button["lit"] for button in calendar_buttons)  # the button itself lit, inside the field's ring
