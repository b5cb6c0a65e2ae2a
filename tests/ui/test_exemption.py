"""A training lead excuses someone from a programme from the Roster view, by keyboard and mouse: a number that
matches nobody is refused in the dialog, which stays open; a right one is saved and counted apart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import button, open_dialog
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.store import exemptions
from trainer_desk.ui.exemption_dialog import ExemptionDialog
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.workspace import Workspace


def test_someone_is_recorded_as_completing_a_programme_another_way(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    (number,) = workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 1").fetchone()
    window.navigation.setCurrentRow(2)
    panel = window.current_panel()
    assert isinstance(panel, RosterPanel)
    qtbot.mouseClick(button(panel, "Exempt from a programme…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, ExemptionDialog)
    assert unnamed_interactive_widgets(dialog) == []
    qtbot.keyClicks(dialog.number, "999999")
    dialog.programme.setCurrentIndex(dialog.programme.findData("signa"))
    qtbot.mouseClick(dialog.other_way, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, "one to one with the wellbeing lead")
    qtbot.mouseClick(button(dialog, "Record"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "999999 is on the roster" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible()  # nothing lost: the trainer corrects the number
    dialog.number.clear()
    qtbot.keyClicks(dialog.number, number)
    qtbot.mouseClick(button(dialog, "Record"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    assert f"Recorded: {number} completed another way" in panel.explanation.text()
    assert exemptions.for_programme(workspace.db, "signa") == {number: ExemptionKind.OTHER_WAY}


def test_tab_leaves_the_roster_table_for_its_buttons(qtbot: QtBot, window: MainWindow) -> None:
    """Tab moved from cell to cell of 'People on the roster by unit' and never reached Import or Exempt."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    window.navigation.setCurrentRow(2)
    panel = window.current_panel()
    assert isinstance(panel, RosterPanel)
    panel.table.setFocus()
    qtbot.waitUntil(panel.table.hasFocus, timeout=3000)
    reached = []
    for _ in range(6):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    assert button(panel, "Import roster…") in reached
    assert button(panel, "Exempt from a programme…") in reached
