"""Feedback on participants' own phones, doing what a phone does: a laptop enrolled with a real HQ makes the
session's link itself (offline), a phone fetches the form over HTTP and sends its answers, and they count
towards the session's feedback at HQ; a second answer from the same phone, a guessed link, an expired one and
another laptop's revoked one are refused; the form passes axe in the real browser; `serve --only feedback`
serves the form and nothing else."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from tests.hq.console_kit import FORCE, admin
from tests.hq_server import Hq, free_port
from tests.three_forces import PEOPLE as THREE_PEOPLE
from tests.three_forces import THREE_FORCES, content_naming_northshire
from trainer_desk import hq_link
from trainer_desk.core.feedback_link import for_session
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import feedback_figures
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli import main as hq_main
from trainer_desk.hq.units import import_units
from trainer_desk.paths import bundled
from trainer_desk.store import sessions
from trainer_desk.store import units as laptop_units
from trainer_desk.workspace import Workspace

from ..store.test_sessions import make_session


def planned_session(workspace: Workspace, hq: Hq) -> str:
    """A signa-core session on an enrolled laptop, and its feedback link as the laptop makes it."""
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, FORCE)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    session = replace(make_session("NORTH"), starts_at=datetime.now(UTC))  # today's session
    sessions.create_session(workspace.db, session, session.starts_at)
    link = hq_link.feedback_link(workspace.db, workspace.settings, session)
    assert link is not None and link.startswith(hq.url + "/feedback/")
    return link


def answers(http: requests.Session, link: str, **chosen: str) -> requests.Response:
    form = http.get(link, timeout=10)
    assert form.status_code == 200, form.text
    return http.post(link, data=chosen, timeout=10)


def test_a_phone_answers_once_and_the_answer_counts_for_the_session(workspace: Workspace, hq: Hq) -> None:
    link = planned_session(workspace, hq)
    phone = requests.Session()
    page = phone.get(link, timeout=10).text
    assert "Would you recommend this training to a colleague?" in page
    objective = re.search(r'name="before-([a-z0-9-]+)"', page)
    assert objective is not None  # the plan's own objectives, from the published content
    sent = phone.post(
        link,
        data={
            "recommend": "no",
            "reason": "Too much on one slide",
            f"before-{objective[1]}": "2",
            f"after-{objective[1]}": "4",
        },
        timeout=10,
    )
    assert sent.status_code == 200 and "Your feedback is sent" in sent.text
    again = phone.post(link, data={"recommend": "yes"}, timeout=10)
    assert again.status_code == 409 and "already sent feedback" in again.text
    assert "already sent feedback" in phone.get(link, timeout=10).text

    for n in range(4):  # four more phones in the room
        assert answers(requests.Session(), link, recommend="yes" if n else "no").status_code == 200
    session_uuid = next(iter(sessions.list_sessions(workspace.db))).uuid
    said = feedback_figures.for_session(hq.engine, session_uuid, "signa")
    assert said.forms == 5 and said.recommend == 3 and said.not_recommend == 2
    assert said.reasons == ["Too much on one slide"]  # five answers: the reason may be read, by HQ's roles
    assert said.objective_figures()[objective[1]]["answered_before"] == 1

    for _ in range(2):  # the laptop's next sync brings the room's answers; one after that adds none twice
        hq_link.sync_once(workspace)
        here = workspace.db.execute(
            "SELECT count(*), sum(would_recommend) FROM feedback WHERE session_uuid = ?", [session_uuid]
        ).fetchone()
        assert tuple(here) == (5, 3)
    assert workspace.db.execute("SELECT count(*) FROM outbox WHERE entity = 'feedback'").fetchone()[0] == 0
    reason = workspace.db.execute("SELECT reason_not FROM feedback WHERE would_recommend = 0 AND reason_not != ''")
    assert [r[0] for r in reason] == ["Too much on one slide"]


def test_guessed_expired_and_revoked_links_are_refused(workspace: Workspace, hq: Hq) -> None:
    link = planned_session(workspace, hq)
    token = link.rsplit("/", 1)[1]
    guessed = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert requests.get(f"{hq.url}/feedback/{guessed}", timeout=10).status_code == 404
    assert requests.post(f"{hq.url}/feedback/{guessed}", data={"recommend": "yes"}, timeout=10).status_code == 404
    assert requests.get(f"{hq.url}/feedback/not-a-link", timeout=10).status_code == 404

    device_id, key = hq_link.feedback_key(workspace.db) or ("", b"")
    session_uuid = next(iter(sessions.list_sessions(workspace.db))).uuid
    old = for_session(device_id, session_uuid, "signa-core", date.today() - timedelta(days=8))
    assert requests.get(old.url(hq.url, key), timeout=10).status_code == 410  # a week after the session

    assert hq_main([*admin(hq), "devices", "revoke", device_id]) == 0
    assert requests.get(link, timeout=10).status_code == 404  # a revoked laptop's links go with it


def test_a_link_must_fit_the_session_hq_holds_and_typos_never_block_the_room(workspace: Workspace, hq: Hq) -> None:
    link = planned_session(workspace, hq)
    hq_link.sync_once(workspace)  # HQ now holds the session, so a link must fit it
    device_id, key = hq_link.feedback_key(workspace.db) or ("", b"")
    session = next(iter(sessions.list_sessions(workspace.db)))
    other_plan = for_session(device_id, session.uuid, "mental-health", session.starts_at.date())
    assert requests.get(other_plan.url(hq.url, key), timeout=10).status_code == 404
    lasting = replace(for_session(device_id, session.uuid, "signa-core", session.starts_at.date()),
                      last_day=session.starts_at.date() + timedelta(days=60))  # fmt: skip
    assert requests.get(lasting.url(hq.url, key), timeout=10).status_code == 404

    token = link.rsplit("/", 1)[1]
    for n in range(25):  # one phone in the room mistypes the short link, again and again
        typo = requests.get(f"{hq.url}/feedback/{token[:-4]}{n:04d}", timeout=10)
        assert typo.status_code in (404, 429)
    assert typo.status_code == 429  # that address is now told to wait for wrong links...
    assert answers(requests.Session(), link, recommend="yes").status_code == 200  # ...not for the right one

    huge = requests.post(link, data={"recommend": "yes", "reason": "x" * 200_000}, timeout=10)
    assert huge.status_code == 413


@pytest.mark.any_database
@pytest.mark.any_database  # what the phone's page shows
def test_the_form_passes_axe_on_a_small_screen(page: Page, workspace: Workspace, hq: Hq) -> None:
    link = planned_session(workspace, hq)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(link)
    expect(page.get_by_role("group", name="Would you recommend this training to a colleague?")).to_be_visible()
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa"]}})
    assert results.violations_count == 0, results.generate_snapshot()
    assert page.evaluate("() => document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    rows = page.evaluate(  # each 1-to-5 scale on one line: a "5" alone below the rest read as another scale
        "() => [...document.querySelectorAll('.scale')].map(s => new Set([...s.querySelectorAll('label')]"
        ".map(l => Math.round(l.getBoundingClientRect().top))).size)"
    )
    assert rows and set(rows) == {1}, rows
    page.get_by_role("group", name="Would you recommend this training to a colleague?").get_by_label("Yes").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("status")).to_contain_text("Your feedback is sent")


def test_serving_only_the_feedback_form_exposes_nothing_else(workspace: Workspace, hq: Hq, tmp_path: Path) -> None:
    link = planned_session(workspace, hq)
    port = free_port()
    url = hq.engine.url.render_as_string(hide_password=False)
    home = str(hq.blobs.parent)
    public = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trainer_desk.hq.cli",
            "--home",
            home,
            "--db",
            url,
            "serve",
            "--port",
            str(port),
            "--only",
            "feedback",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(base + "/feedback/x", timeout=1)
                break
            except requests.ConnectionError:
                subprocess.run([sys.executable, "-c", "import time; time.sleep(0.1)"], check=True)
        token = link.rsplit("/", 1)[1]
        assert "Would you recommend" in requests.get(f"{base}/feedback/{token}", timeout=10).text
        for elsewhere in ("/console/", "/v1/changes", "/v1/enroll", "/health"):
            assert requests.get(base + elsewhere, timeout=10).status_code == 404, elsewhere
    finally:
        public.terminate()
        public.wait(timeout=10)


def test_a_laptop_away_for_weeks_still_brings_home_the_room_s_answers(workspace: Workspace, hq: Hq) -> None:
    link = planned_session(workspace, hq)
    for choice in ("yes", "yes", "no"):
        assert answers(requests.Session(), link, recommend=choice).status_code == 200
    weeks_later = datetime.now(UTC) + timedelta(days=20)  # the trainer's laptop next meets HQ three weeks on
    away = replace(workspace, clock=lambda: weeks_later)
    hq_link.sync_once(away)
    held = workspace.db.execute("SELECT count(*), sum(would_recommend) FROM feedback").fetchone()
    assert tuple(held) == (3, 2)
    state = workspace.db.execute("SELECT value FROM sync_state WHERE key = 'phone_answers_through'").fetchone()
    assert state is not None  # that session's links have closed: it is not asked about again
    hq_link.sync_once(away)
    assert workspace.db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 3


@pytest.mark.any_database  # what the phone's page shows
def test_the_form_is_headed_with_the_force_of_the_laptop_that_made_the_link(
    workspace: Workspace, hq: Hq, tmp_path: Path
) -> None:
    """On an HQ serving three forces whose published content names Northshire, the phones in a Westshire
    classroom read "Northshire Police" above the form."""
    import_units(hq.engine, THREE_FORCES)
    hq_roster.import_roster(hq.engine, THREE_PEOPLE)
    hq_content.publish_content(hq.engine, content_naming_northshire(tmp_path), hq.blobs, allow_sample_media=True)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "820001", "WSP-RT1"))
    laptop_units.apply_tree(workspace.db, THREE_FORCES, set())  # as its first sync leaves it
    session = replace(make_session("WSP-RT1"), starts_at=datetime.now(UTC))
    sessions.create_session(workspace.db, session, session.starts_at)
    link = hq_link.feedback_link(workspace.db, workspace.settings, session)
    assert link is not None
    form = requests.get(link, timeout=10).text
    assert "<header>Westshire Police</header>" in form and "Northshire" not in form
