"""A comment written on the laptop's feedback form with a Yes, or with no answer, went to HQ in the sync and
was kept nowhere on the laptop: a room with no signal, or a laptop not enrolled yet, lost it, and the
laptop's compliance report never gave it. It is kept with the form now, and the report gives it under "Other
comments" by the rule reasons are given by."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.clicks import click, open_dialog
from tests.ui.registers import open_register
from tests.ui.test_reports_feedback_privacy import exported
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

ROLE_PLAYS = "The role plays helped most."
MORE_TIME = "More time for questions, please."


def fill_in(qtbot: QtBot, form: FeedbackWindow, answer: str, written: str, saved: int) -> None:
    """One person's form: an answer (Yes, No or none chosen), words in the box, then Send."""
    chosen = {"yes": form.yes, "no": form.no, "none": form.no_answer}[answer]
    qtbot.mouseClick(chosen, Qt.MouseButton.LeftButton)
    if written:
        qtbot.mouseClick(form.reason, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(form.reason, written)
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.count == saved, timeout=5000)


def test_comments_written_with_a_yes_or_alone_stay_on_the_laptop_and_reach_its_report(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, tmp_path: Path
) -> None:
    window = open_register(qtbot, workspace, tasks)
    click(qtbot, window, "Feedback form…")
    prompt = open_dialog(qtbot)
    qtbot.keyClicks(prompt.findChild(QLineEdit), "8642")
    qtbot.keyClick(prompt.findChild(QLineEdit), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.feedback_form is not None and window.feedback_form.isVisible(), timeout=3000)
    form = window.feedback_form
    assert form is not None
    fill_in(qtbot, form, "yes", ROLE_PLAYS, 1)
    fill_in(qtbot, form, "none", MORE_TIME, 2)  # a comment alone is a form, not an empty one
    assert form.message.text() == "Thank you. Saved (2 so far). Please pass the laptop on."
    fill_in(qtbot, form, "no", "Too long.", 3)
    fill_in(qtbot, form, "yes", "", 4)
    fill_in(qtbot, form, "yes", "", 5)  # enough forms to give what was written without telling who wrote it
    form.force_close()
    tasks.wait()

    # Sent to HQ as the laptop keeps it: the comments are in what waits to go.
    sent = [json.loads(p) for (p,) in workspace.db.execute("SELECT payload FROM outbox WHERE entity = 'feedback'")]
    assert sorted(s.get("comment", "") for s in sent if s.get("comment")) == [MORE_TIME, ROLE_PLAYS]

    panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.resize(1100, 720)
    panel.show()
    panel.refresh()
    panel.kind.setCurrentIndex(panel.kind.findData("compliance"))
    panel.unit.setCurrentIndex(panel.unit.findData("NORTH"))
    panel.programme.setCurrentIndex(panel.programme.findData("signa"))
    pdf = exported(qtbot, panel, tmp_path / "north.pdf")
    assert "Reasons given for 'no': • Too long." in pdf
    assert f"Other comments: • {ROLE_PLAYS} • {MORE_TIME}" in pdf
