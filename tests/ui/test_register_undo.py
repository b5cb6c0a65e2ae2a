"""Undoing a removal on the register, as a trainer does it: select the line, Delete, then Ctrl+Z. The line
comes back as it was, named, with the time it was marked."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.registers import open_register
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import attendance, roster
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

WYN = Person("S900006", "Ŵyn", "Llŷr", "WEST", PersonRole.STAFF)
ANA = Person("S900007", "Ana", "Costa", "WEST", PersonRole.STAFF)


@pytest.fixture
def register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> RegisterWindow:
    roster.upsert_people(workspace.db, [WYN, ANA])
    return open_register(qtbot, workspace, tasks)


def cell(window: RegisterWindow, row: int, column: int) -> str:
    item = window.table.item(row, column)
    return item.text() if item is not None else ""


def remove_and_undo(qtbot: QtBot, window: RegisterWindow) -> None:
    """Select the first line, press Delete, then Ctrl+Z, as the status bar suggests."""
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: window.table.rowCount() == 0, timeout=5000)
    assert window.statusBar().currentMessage().startswith("Removed: Ŵyn Llŷr. Undo with Ctrl+Z")
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.table.rowCount() == 1, timeout=5000)
    assert window.statusBar().currentMessage() == "Back on the register: Ŵyn Llŷr."


def test_a_line_brought_back_by_undo_shows_the_persons_name_not_their_number(
    qtbot: QtBot, register: RegisterWindow
) -> None:
    qtbot.keyClicks(register.search, WYN.staff_number)
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    remove_and_undo(qtbot, register)
    assert [cell(register, 0, column) for column in range(4)] == ["S900006", "Ŵyn Llŷr", "West", "Present"]


def test_undo_brings_a_line_back_as_it_was_marked_not_as_new(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    """Ŵyn was marked at 09:02 and then late; removed by mistake at 09:40 and brought back, the sheet must not
    say they arrived at 09:40, nor present, nor after Ana who came at 09:10."""
    now = [datetime(2026, 11, 23, 9, 2, tzinfo=UTC)]
    workspace.clock = lambda: now[0]
    for person, at in ((WYN, 2), (ANA, 10)):
        now[0] = now[0].replace(minute=at)
        qtbot.keyClicks(register.search, person.staff_number)
        qtbot.keyClick(register.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda n=at: register.table.rowCount() == (1 if n == 2 else 2), timeout=5000)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_2)  # late
    qtbot.waitUntil(lambda: cell(register, 0, 3) == "Late", timeout=5000)
    marked = f"{datetime(2026, 11, 23, 9, 2, tzinfo=UTC).astimezone():%H:%M}"
    assert cell(register, 0, 4) == marked

    now[0] = now[0].replace(minute=40)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    qtbot.keyClick(register.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: register.table.rowCount() == 2, timeout=5000)

    assert [cell(register, 0, column) for column in range(5)] == ["S900006", "Ŵyn Llŷr", "West", "Late", marked]
    assert cell(register, 1, 1) == "Ana Costa"
    stored = attendance.register(workspace.db, register.session.uuid)
    assert [(line.name, line.attendance.status) for line in stored] == [
        ("Ŵyn Llŷr", AttendanceStatus.LATE),
        ("Ana Costa", AttendanceStatus.PRESENT),
    ]
    assert stored[0].attendance.marked_at == datetime(2026, 11, 23, 9, 2, tzinfo=UTC)


def test_undo_pressed_before_the_removal_is_saved_still_brings_the_line_back(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    """Delete and then Ctrl+Z a moment later, while the removal was still being saved (here: the database busy
    with another write, as during a sync), did nothing, and the person stayed off the register."""
    qtbot.keyClicks(register.search, WYN.staff_number)
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    other = workspace.connector.connect(workspace.paths.database)
    other.execute("BEGIN IMMEDIATE")  # another writer holds the database: the removal waits its turn
    try:
        register.table.setFocus()
        register.table.selectRow(0)
        qtbot.keyClick(register.table, Qt.Key.Key_Delete)
        qtbot.keyClick(register.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        assert register.table.rowCount() == 1  # nothing saved yet either way
        assert register.statusBar().currentMessage() == "Bringing Ŵyn Llŷr back once their removal is saved…"
    finally:
        other.execute("ROLLBACK")
        other.close()
    qtbot.waitUntil(lambda: register.statusBar().currentMessage() == "Back on the register: Ŵyn Llŷr.", timeout=5000)
    assert [cell(register, 0, column) for column in range(4)] == ["S900006", "Ŵyn Llŷr", "West", "Present"]
    stored = attendance.register(workspace.db, register.session.uuid)
    assert [line.name for line in stored] == ["Ŵyn Llŷr"]
