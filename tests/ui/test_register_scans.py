"""Scanning cards into the register, as a barcode scanner does (the number and Enter, at once), when some of the
people are on an earlier register of the programme."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.registers import PLAN, saved_with, signa_session
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import roster, sessions
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

ZOFIA = Person("930101", "Zofia", "Wiśniewska", "NORTH", PersonRole.OFFICER)
RHODRI = Person("930102", "Rhodri", "ap Gwilym", "NORTH", PersonRole.STAFF)
LAN = Person("930103", "Thị Lan", "Nguyễn", "NORTH", PersonRole.OFFICER)
YUSUF = Person("930104", "Yusuf", "al-Haddad", "NORTH", PersonRole.OFFICER)
CHEN = Person("930105", "静", "陈", "NORTH", PersonRole.STAFF)  # 陈静: surname 陈, written first
PEOPLE = [ZOFIA, RHODRI, LAN, YUSUF, CHEN]


def register_for(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, session: Session) -> RegisterWindow:
    sessions.create_session(workspace.db, session, session.starts_at)
    window = RegisterWindow(workspace, tasks, session, PLAN)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def scan(qtbot: QtBot, *numbers: str) -> None:
    """What a scanner does: types each number where the keys are and presses Enter, without waiting."""
    for number in numbers:
        typing_in = QApplication.focusWidget()
        assert typing_in is not None
        qtbot.keyClicks(typing_in, number)
        qtbot.keyClick(typing_in, Qt.Key.Key_Return)


def on_register(window: RegisterWindow) -> set[str]:
    return {line.attendance.staff_number for line in window.lines}


def press(qtbot: QtBot, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    typing_in = QApplication.focusWidget()
    assert typing_in is not None
    qtbot.keyClick(typing_in, key, modifier)


def test_someone_on_the_register_of_a_session_left_open_this_morning_is_asked_about_as_that(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """The app was stopped part-way through this morning's session and a new one started: the people on it are
    not "already completed" weeks ago, they are on a register that was never closed."""
    roster.upsert_people(workspace.db, PEOPLE)
    nine_today = datetime.combine(workspace.clock().astimezone().date(), time(9)).astimezone()
    stopped = signa_session(nine_today, SessionStatus.RUNNING)
    saved_with(workspace, stopped, [YUSUF], close=False)
    window = register_for(qtbot, workspace, tasks, signa_session(nine_today.replace(hour=10)))

    scan(qtbot, YUSUF.staff_number)
    assert window.notice.text() == (
        "Yusuf al-Haddad is on the register of this morning's Signa session (09:00), which was not closed: "
        "add them to this one as well?"
    )
    assert window.add_anyway.isVisible()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: on_register(window) == {YUSUF.staff_number}, timeout=5000)
