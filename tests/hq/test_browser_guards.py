"""What HQ's answers tell a browser: only HQ's own scripts run on the console, in no other site's frame, and the
API's documentation pages, which loaded scripts from a public CDN beside the signed-in console, are not served."""

from __future__ import annotations

import requests
from playwright.sync_api import ConsoleMessage, Page

from tests.hq.console_kit import sign_in
from tests.hq_server import Hq


def test_every_page_limits_what_a_browser_may_run_and_the_dashboard_still_draws(
    page: Page, hq: Hq, force: dict[str, str]
) -> None:
    for path in ("/console/sign-in", "/feedback/not-a-link", "/health"):
        headers = requests.get(hq.url + path, timeout=10).headers
        assert "script-src 'self'" in headers["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff", path
    for path in ("/docs", "/redoc"):
        assert requests.get(hq.url + path, timeout=10).status_code == 404, path
    assert requests.get(hq.url + "/openapi.json", timeout=10).json()["info"]["title"] == "Trainer Desk HQ"

    refused: list[str] = []
    page.on("console", lambda message: _note_refusal(message, refused))
    sign_in(page, hq, "hq.admin")
    page.wait_for_function("() => window.Chart && Chart.getChart(document.getElementById('per-unit'))")
    assert refused == []  # the console's own scripts and styles are all allowed: nothing of it broke


def _note_refusal(message: ConsoleMessage, refused: list[str]) -> None:
    if "Content Security Policy" in message.text:
        refused.append(message.text)
