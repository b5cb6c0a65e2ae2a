"""The console's pages pass axe-core's WCAG 2.2 A and AA checks (labels, names, contrast, structure) in the
real browser, and stay readable at 200% zoom: nothing runs off the side of the page."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices
from trainer_desk.hq.database import hashed
from trainer_desk.paths import bundled

# What these check is in the page as the browser shows it, the same whichever database HQ uses.
pytestmark = pytest.mark.any_database

PAGES = [
    "/console/",
    "/console/units",
    "/console/units/NORTH",
    "/console/sessions",
    "/console/feedback",
    "/console/trainers",
    "/console/reports",
    "/console/programmes",
    "/console/devices",
    "/console/enrollment",
    "/console/walk-ins",
    "/console/roster",
    "/console/content",
    "/console/faq-questions",
    "/console/backups",
    "/console/records/retention?years=6",
    "/console/subject-access",
    "/console/exemptions",
    "/console/plan",
    "/console/audit",
    "/console/accounts",
    "/console/password",
]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}}


def every_page(hq: Hq, force: dict[str, str]) -> list[str]:
    """PAGES, and those of one session and of one enrollment code, with a code waiting to be used, so the
    Enrollment codes page shows its table of them; and, with the plans published a second time (with a note),
    what going back to the first would change."""
    waiting = hashed(devices.issue_code(hq.engine, "710002", "NORTH"))[:12]
    hq_content.publish_content(
        hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True, note="The same plans, published again"
    )
    return [
        *PAGES,
        f"/console/sessions/{force['NORTH']}",
        f"/console/enrollment/{waiting}/withdraw",
        "/console/content/rollback?version=1",
    ]


def overflowing(page: Page) -> int:
    """How far the page runs off its right edge, in CSS pixels (0: it reflows to fit), once the page is loaded:
    measured mid-navigation, a page has no document to measure."""
    page.wait_for_load_state()
    return int(page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_every_page_passes_axe_at_normal_size(page: Page, hq: Hq, force: dict[str, str]) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, hq, "hq.admin")
    pages = every_page(hq, force)
    axe = Axe()
    found = {}
    for path in pages:
        page.goto(hq.url + path)
        assert page.title().endswith("Trainer Desk HQ") and "<" not in page.title(), path  # as a reader says it
        results = axe.run(page, options=WCAG)
        assert results.response["passes"], path  # axe ran its rules on the page
        if results.violations_count:
            found[path] = results.generate_snapshot()
    page.goto(hq.url + "/console/sign-in")
    assert found == {}, "\n".join(f"{path}:\n{snapshot}" for path, snapshot in found.items())


@pytest.mark.parametrize("width", [640, 512])
def test_every_page_reflows_at_200_percent_zoom(browser: Browser, hq: Hq, force: dict[str, str], width: int) -> None:
    """200% zoom of a 1280- and a 1024-pixel screen: 640 and 512 CSS pixels across, at twice the pixel density.
    The page never runs off the side: a table too wide for it scrolls in its own box, and the menu, the forms
    and the text around it stay where a reader with poor sight can follow them."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    context = browser.new_context(viewport={"width": width, "height": 450}, device_scale_factor=2)
    zoomed = context.new_page()
    try:
        sign_in(zoomed, hq, "hq.admin")
        over = {}
        for path in every_page(hq, force):
            zoomed.goto(hq.url + path)
            if (beyond := overflowing(zoomed)) > 0:
                over[path] = beyond
        assert over == {}
    finally:
        context.close()
