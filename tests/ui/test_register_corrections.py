"""Correcting a closed session's register from the keyboard: a correction needs a reason, and one left empty is
asked for again in the same box rather than the correction thrown away."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.clicks import open_dialog
from tests.ui.registers import PLAN, saved_with, signa_session
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import attendance, roster
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

HANNA = Person("930201", "Hanna", "Kowalczyk", "NORTH", PersonRole.OFFICER)


def test_a_correction_with_no_reason_is_asked_for_again_in_the_same_box(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Enter with the reason empty closed the box, and the status bar said the change was not made: the trainer
    had to choose the line and the status again. The box stays, says what it needs beside the Reason field, and
    what was chosen is kept."""
    roster.upsert_people(workspace.db, [HANNA])
    session = signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC))
    saved_with(workspace, session, [HANNA], close=True)
    window = RegisterWindow(workspace, tasks, session, PLAN)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_2)  # late: a correction, now the session is closed
    box = open_dialog(qtbot)
    reason = box.findChild(QLineEdit)
    assert reason is not None and reason.accessibleName() == "Reason"
    qtbot.waitUntil(reason.hasFocus)  # the keys are in the Reason box
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    assert box.isVisible()
    [problem] = [label for label in box.findChildren(QLabel) if label.accessibleName() == "Problem with the reason"]
    assert problem.isVisible()
    assert problem.text() == (
        "A correction needs a reason: say why the register is being changed, as it is kept with it."
    )
    said = " ".join(label.text() for label in box.findChildren(QLabel) if label.isVisible())
    assert "Correct Hanna Kowalczyk (930201) from present to late" in said  # what was chosen, kept
    assert window.lines[0].attendance.status is AttendanceStatus.PRESENT

    qtbot.keyClicks(reason, "Arrived after the film; signed the sheet late")
    assert not problem.isVisible()
    qtbot.keyClick(reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.lines[0].attendance.status is AttendanceStatus.LATE, timeout=5000)
    assert attendance.corrections(workspace.db, session.uuid)[0][3] == "Arrived after the film; signed the sheet late"
