from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.export.test_reports import T0, make_people, session_with_register
from tests.hq_server import silent_server
from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.store import audit, roster
from trainer_desk.sync import credentials
from trainer_desk.ui.phone_answers import PhoneAnswersCount
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def test_preview_and_export_in_the_background(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    people = make_people(12)
    roster.upsert_people(workspace.db, people)
    session = session_with_register(workspace, people)
    tasks = TaskRunner()
    panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.show()
    assert unnamed_interactive_widgets(panel) == []
    assert panel.session.currentData() == session.uuid
    title = "Signa: sexism, misogyny and sexual harassment at work"
    shown_as = f"{T0.astimezone():%a %d %b %Y %H:%M} · {title} · North · Room 4 · delivered, register open"
    assert panel.session.currentText() == shown_as
    panel.show_preview()
    shown = panel.preview.toPlainText()
    assert "Signa: sexism, misogyny and sexual harassment at work, 05 Oct 2026" in shown
    assert "12 on the register: 9 present, 1 late, 1 left early, 1 absent" in shown

    panel.kind.setCurrentIndex(panel.kind.findData("compliance"))
    panel.unit.setCurrentIndex(panel.unit.findData("NORTH"))
    panel.programme.setCurrentIndex(panel.programme.findData("signa"))
    panel.date_from.setDate(panel.date_from.date().addYears(-1))
    panel.show_preview()
    # 20 demo people in North plus these 12, less the one North volunteer Signa is not for
    assert "10 of the 31 who must complete it have done so" in panel.preview.toPlainText()
    assert "For officer, special, staff; due by 31 Mar 2027" in panel.preview.toPlainText()

    target = tmp_path / "compliance.pdf"
    panel.export(panel.request(target))
    assert panel.progress.isVisible()
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
    assert not panel.progress.isVisible()
    assert "compliance for North" in PdfReader(target).pages[0].extract_text()
    tasks.wait()
    assert [entry[1:3] for entry in audit.entries(workspace.db)] == [("reports view", "export")]


def test_paper_feedback_forms_from_the_reports_view(qtbot: QtBot, workspace: Workspace, tmp_path: Path) -> None:
    people = make_people(6)
    roster.upsert_people(workspace.db, people)
    session_with_register(workspace, people)
    tasks = TaskRunner()
    library = load_library(bundled("lesson_plans"))
    panel = ReportsPanel(workspace, tasks, library)
    qtbot.addWidget(panel)
    panel.show()
    panel.kind.setFocus()
    qtbot.keyClicks(panel.kind, "Paper")  # typing in the list picks "Paper feedback forms"
    assert panel.kind.currentData() == "feedback-form"
    assert panel.format.currentData() == "pdf" and not panel.format.isEnabled()  # forms are for printing
    qtbot.mouseClick(panel.preview_button, Qt.MouseButton.LeftButton)
    shown = panel.preview.toPlainText()
    assert "Paper feedback forms: Signa" in shown and "(6 pages)" in shown
    signa = library.get("signa-core")
    assert signa is not None and all(objective.text in shown for objective in signa.objectives)

    target = tmp_path / "forms.pdf"
    panel.export(panel.request(target))
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
    pages = PdfReader(target).pages
    assert len(pages) == 6 and "Would you recommend this training" in pages[0].extract_text()
    tasks.wait()


def test_an_export_does_not_wait_behind_an_hq_that_has_stopped_answering(
    qtbot: QtBot, workspace: Workspace, tmp_path: Path
) -> None:
    """The sync and the count of phone answers both hung on an HQ that never answered, and the sign-in sheet
    waited behind them for two minutes, or for ever."""
    people = make_people(6)
    roster.upsert_people(workspace.db, people)
    session = session_with_register(workspace, people)
    tasks = TaskRunner()
    with silent_server() as (port, accepted):
        credentials.save_token(workspace.paths.data_dir, "a-token", workspace.keychain)
        workspace.db.execute(
            "INSERT OR REPLACE INTO sync_state (key, value) VALUES ('hq_url', ?)", [f"http://127.0.0.1:{port}"]
        )
        syncing = SyncController(workspace, tasks)
        syncing.sync_now()
        count = PhoneAnswersCount(workspace, tasks)
        count.start(session.uuid)
        assert accepted()  # HQ has the request, and says nothing
        panel = ReportsPanel(workspace, tasks, load_library(bundled("lesson_plans")))
        qtbot.addWidget(panel)
        panel.show()
        panel.kind.setCurrentIndex(panel.kind.findData("sign-in"))
        panel.export(panel.request(tmp_path / "sign-in.pdf"))
        qtbot.waitUntil(lambda: panel.explanation.text().startswith("Saved to"), timeout=10000)
        assert "Sign-in sheet" in PdfReader(tmp_path / "sign-in.pdf").pages[0].extract_text()
        syncing.stop()  # as the app does when it quits: every call to HQ stops, the count's as well
        count.stop()
    assert tasks.wait(1000)  # quitting is not held up by the count trying the gone HQ again


def test_a_session_with_a_long_venue_does_not_make_the_window_wider_than_a_laptop_s_screen(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Reports' list of sessions took the width of its longest entry: with a session held at a long venue, the
    main window needed more than a 1366-pixel laptop's screen and spilled onto the projector."""
    people = make_people(2)
    roster.upsert_people(workspace.db, people)
    session_with_register(workspace, people)
    workspace.db.execute(
        "UPDATE sessions SET venue = ?", ["Conference room 3, second floor, Northgate Divisional Headquarters, " * 3]
    )
    panel = ReportsPanel(workspace, TaskRunner(), load_library(bundled("lesson_plans")))
    qtbot.addWidget(panel)
    panel.show()
    assert "Northgate Divisional Headquarters" in panel.session.currentText()  # the whole entry, in the list
    assert panel.minimumSizeHint().width() <= 900 and panel.sizeHint().width() <= 1100
    assert panel.session.toolTip() == panel.session.currentText()  # the chosen one read whole
