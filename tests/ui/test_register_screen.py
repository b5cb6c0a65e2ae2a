"""What the register's screen shows after each mark, as the trainer sees it: the table draws only the rows a
mark changed, so the screen is checked against the whole table drawn afresh (a row left stale, or the rows
not moved up when a mark scrolls them, would show the wrong person on the line)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from tests.ui.registers import open_register
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@pytest.fixture
def register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> RegisterWindow:
    return open_register(qtbot, workspace, tasks, size=(1100, 720))


def on_screen(window: RegisterWindow) -> QImage:
    """The table's rows as the window's screen holds them now, not drawn again for the asking."""
    viewport = window.table.viewport()
    corner = viewport.mapTo(window, viewport.rect().topLeft())
    grabbed = window.screen().grabWindow(window.winId(), corner.x(), corner.y(), viewport.width(), viewport.height())
    return grabbed.toImage()


def drawn_afresh(window: RegisterWindow) -> QImage:
    shown = on_screen(window)
    return window.table.viewport().grab().toImage().convertToFormat(shown.format())


def scan(qtbot: QtBot, window: RegisterWindow, number: str) -> None:
    rows = window.table.rowCount()
    qtbot.keyClicks(window.search, number)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.table.rowCount() == rows + 1, timeout=5000)


def test_the_screen_shows_each_line_where_it_is_after_scans_and_an_undo(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 16")]
    scroll = register.table.verticalScrollBar()
    for number in numbers:  # more than the table shows at once, one scan after another
        scroll.setValue(scroll.maximum())  # the trainer keeps the end of the register in view
        scan(qtbot, register, number)  # and the rows on screen move up to show the new line
    # Within a second: the list of people found goes 1.5 s after a scan, and the register, laid out again under
    # the search box, would then be drawn whole whatever the mark had left on the screen.
    qtbot.waitUntil(lambda: on_screen(register) == drawn_afresh(register), timeout=1000)

    register.table.setFocus()
    register.table.selectRow(register.table.rowCount() - 4)
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: register.table.rowCount() == 15, timeout=5000)
    qtbot.keyClick(register.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # back where it was
    qtbot.waitUntil(lambda: register.table.rowCount() == 16, timeout=5000)
    qtbot.waitUntil(lambda: on_screen(register) == drawn_afresh(register), timeout=1000)
