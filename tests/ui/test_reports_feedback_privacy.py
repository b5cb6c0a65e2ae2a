"""A BCU training lead's laptop keeps phones' feedback as anonymous as HQ's console does: phones answered
another trainer's session, and the lead's laptop showed "50% would recommend" of four forms, said they were
taken on it, and printed the reasons for "no" word for word, where the console said too few to show anything.
The preview also lists who is outstanding, as the chase list has them."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.store.test_sessions import make_session
from tests.sync.test_reassigned_session import FORCE, enrolled
from trainer_desk import hq_link
from trainer_desk.core.plan_library import load_library
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import bundled
from trainer_desk.store import sessions
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

REASONS = ("Too much on one slide", "Felt lectured at")


def phone_answers(link: str, recommend: str, reason: str = "") -> None:
    """One phone in the room fills in HQ's form, as a participant would."""
    phone = requests.Session()
    page = phone.get(link, timeout=10).text
    objective = re.search(r'name="before-([a-z0-9-]+)"', page)
    assert objective is not None
    chosen = {"recommend": recommend, "reason": reason, f"before-{objective[1]}": "2", f"after-{objective[1]}": "4"}
    assert phone.post(link, data=chosen, timeout=10).status_code == 200


def previewed(qtbot: QtBot, panel: ReportsPanel) -> str:
    """North's Signa compliance report, chosen and previewed as a lead would."""
    panel.refresh()
    panel.kind.setCurrentIndex(panel.kind.findData("compliance"))
    panel.unit.setCurrentIndex(panel.unit.findData("NORTH"))
    panel.programme.setCurrentIndex(panel.programme.findData("signa"))
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    return " ".join(panel.preview.toPlainText().split())


def exported(qtbot: QtBot, panel: ReportsPanel, target: Path) -> str:
    panel.export(panel.request(target))
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=15000)
    return " ".join(" ".join(page.extract_text() for page in PdfReader(target).pages).split())


@pytest.mark.any_database
def test_a_lead_s_laptop_shows_no_more_of_phones_feedback_than_hq_s_console(
    qtbot: QtBot, hq: Hq, tmp_path: Path
) -> None:
    hq_content.publish_content(hq.engine, bundled("lesson_plans"), hq.blobs, allow_sample_media=True)
    hq_roster.import_roster(hq.engine, FORCE)
    trainer = enrolled(tmp_path, "trainer", hq, "100234")
    lead = enrolled(tmp_path, "lead", hq, "100800", role="training_lead")
    workspaces: list[Workspace] = [trainer, lead]
    tasks = TaskRunner()
    try:
        session = replace(make_session("NORTH"), starts_at=datetime.now(UTC), trainers=("100234",))
        sessions.create_session(trainer.db, session, session.starts_at)
        hq_link.sync_once(trainer)
        link = hq_link.feedback_link(trainer.db, trainer.settings, session)
        assert link is not None
        for reason in REASONS:
            phone_answers(link, "no", reason)
        for _ in range(2):
            phone_answers(link, "yes")
        hq_link.sync_once(lead)
        assert lead.db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 4  # phones' answers, from HQ

        panel = ReportsPanel(lead, tasks, load_library(bundled("lesson_plans")))
        qtbot.addWidget(panel)
        panel.resize(1100, 720)
        panel.show()
        shown = previewed(qtbot, panel)
        assert (
            "Feedback: 4 forms (from phones and laptops, through HQ): too few to show any figure without telling "
            "who said what." in shown
        )
        assert "50%" not in shown and "taken on this laptop" not in shown
        # Who is outstanding, on the page, as the chase list has them.
        assert "Outstanding (5) Staff number Name Unit Due" in shown
        assert "710002 Rhys ap Gwilym North" in shown

        pdf = exported(qtbot, panel, tmp_path / "four.pdf")
        assert "4 forms (from phones and laptops, through HQ): too few to show any figure" in pdf
        assert "Taken on this laptop" not in pdf and "Reasons given" not in pdf
        assert not any(reason in pdf for reason in REASONS)

        # A fifth phone: enough for the share HQ's console gives the lead, and still not the reasons.
        phone_answers(link, "yes")
        hq_link.sync_once(lead)
        shown = previewed(qtbot, panel)
        assert "5 forms (from phones and laptops, through HQ); 60% of the 5 who answered would recommend" in shown
        assert "read by HQ's learning team only" in shown
        pdf = exported(qtbot, panel, tmp_path / "five.pdf")
        assert "60% of the 5 who answered" in pdf and "Reasons given" not in pdf
        assert not any(reason in pdf for reason in REASONS)
    finally:
        tasks.wait()
        for workspace in workspaces:
            workspace.close()
