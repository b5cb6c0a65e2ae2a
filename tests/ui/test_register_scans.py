"""Scanning cards back to back into the register, as a barcode scanner does (the number and Enter, at once, one
after another), when some of the people are on an earlier register of the programme: none is dropped, each is
asked about in turn, and closing the register says who is still waiting."""

from __future__ import annotations

from datetime import UTC, datetime, time

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click, open_dialog
from tests.ui.registers import PLAN, saved_with, signa_session
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import roster, sessions
from trainer_desk.ui.main_window import MainWindow
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


def test_people_scanned_back_to_back_who_completed_before_each_wait_for_an_answer_in_turn(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Three of five scanned had completed the programme in March: the two new are added at once, and each of
    the three is asked about in the order scanned (the last question used to replace the others, and those
    people were neither added nor mentioned)."""
    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA, RHODRI, LAN], True)
    window = register_for(qtbot, workspace, tasks, signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC)))

    scan(qtbot, ZOFIA.staff_number, RHODRI.staff_number, YUSUF.staff_number, LAN.staff_number, CHEN.staff_number)
    qtbot.waitUntil(lambda: on_register(window) == {YUSUF.staff_number, CHEN.staff_number}, timeout=5000)
    assert window.question.isVisible()
    assert window.question.text() == (
        "Zofia Wiśniewska already completed this programme on 12 Mar 2026. Add them again? (2 more waiting)"
    )

    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # Add anyway
    qtbot.waitUntil(lambda: ZOFIA.staff_number in on_register(window), timeout=5000)
    assert window.question.text() == (
        "Rhodri ap Gwilym already completed this programme on 12 Mar 2026. Add them again? (1 more waiting)"
    )
    press(qtbot, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)  # Don't add
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Not added: Rhodri ap Gwilym.")
    assert window.question.text() == f"{LAN.full_name} already completed this programme on 12 Mar 2026. Add them again?"
    scan(qtbot, CHEN.staff_number)  # scanned twice: said, and the question stays
    assert window.notice.text() == "陈静 is already on the register."
    assert window.question.isVisible() and window.question.text().startswith(LAN.full_name)
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: LAN.staff_number in on_register(window), timeout=5000)
    assert not window.question.isVisible()
    assert on_register(window) == {YUSUF.staff_number, CHEN.staff_number, ZOFIA.staff_number, LAN.staff_number}
    assert window.search.hasFocus()  # the next scan still lands in the search


def test_closing_the_register_with_scanned_people_waiting_names_them_and_keeps_it_open_by_default(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA, RHODRI], True)
    window = register_for(qtbot, workspace, tasks, signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    scan(qtbot, ZOFIA.staff_number, RHODRI.staff_number, ZOFIA.staff_number)  # a card scanned twice waits once
    assert window.notice.text() == "Zofia Wiśniewska is already waiting for your answer."

    handle = window.windowHandle()
    assert handle is not None
    QApplication.sendEvent(handle, QCloseEvent())  # the window's close button, as the window system sends it
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert box.text() == (
        "2 scanned people were not added to the register: Zofia Wiśniewska (930101) and Rhodri ap Gwilym (930102), "
        "waiting for your answer. Close the register without adding them?"
    )
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it open: a slip loses no one
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.isVisible() and window.question.text().startswith("Zofia Wiśniewska")

    QApplication.sendEvent(handle, QCloseEvent())
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    closing = next(b for b in box.buttons() if b.text() == "Close without adding")
    qtbot.mouseClick(closing, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_ctrl_w_closes_the_register_asking_first_while_scanned_people_wait(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """No key closed the register: a keyboard user had to find the window system's close button. Ctrl+W asks
    what that button asks, and keeps the register open on Enter."""
    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA], True)
    window = register_for(qtbot, workspace, tasks, signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    scan(qtbot, ZOFIA.staff_number)
    qtbot.waitUntil(lambda: window.question.text().startswith("Zofia Wiśniewska"), timeout=5000)

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert box.text() == (
        "1 scanned person was not added to the register: Zofia Wiśniewska (930101), waiting for your answer. "
        "Close the register without adding them?"
    )
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it open
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.isVisible()

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, "Close without adding")
    qtbot.waitUntil(lambda: not window.isVisible())


def test_ctrl_w_closes_a_register_with_nothing_waiting_at_once(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = register_for(qtbot, workspace, tasks, signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC)))
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert QApplication.activeModalWidget() is None  # nothing asked


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
    assert window.question.text() == (
        "Yusuf al-Haddad is on the register of this morning's Signa session (09:00), which was not closed: "
        "add them to this one as well?"
    )
    assert window.add_anyway.isVisible()
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: on_register(window) == {YUSUF.staff_number}, timeout=5000)


def app_with_sessions_today(qtbot: QtBot, workspace: Workspace, runner: TaskRunner, *today: Session) -> MainWindow:
    """The app started and shown, with the roster, Zofia and Rhodri on March's closed register (so scanning them
    again asks first), and `today`'s sessions to open registers for."""
    from trainer_desk.app import build_main_window

    roster.upsert_people(workspace.db, PEOPLE)
    saved_with(workspace, signa_session(datetime(2026, 3, 12, 9, tzinfo=UTC)), [ZOFIA, RHODRI], True)
    for held in today:
        sessions.create_session(workspace.db, held, held.starts_at)
    window = build_main_window(workspace, runner)
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    assert window.launcher is not None
    return window


def test_quitting_the_app_with_scanned_people_waiting_names_them_and_keeps_the_register_open_by_default(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """Ctrl+Q closed every register without a word, and the people scanned but not yet answered for were left
    off them: quitting asks as the register's own close button does."""
    today = signa_session(datetime(2026, 11, 23, 9, tzinfo=UTC))
    runner = TaskRunner()
    window = app_with_sessions_today(qtbot, workspace, runner, today)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Go > Sessions
    panel = window.current_panel()
    assert panel.accessibleName() == "Sessions"
    click(qtbot, panel, "Register and feedback…")  # the newest, today's, is the one chosen
    register = window.launcher.registers[today.uuid]
    register.activateWindow()
    qtbot.waitUntil(register.isActiveWindow)
    scan(qtbot, ZOFIA.staff_number, RHODRI.staff_number, YUSUF.staff_number)
    qtbot.waitUntil(lambda: on_register(register) == {YUSUF.staff_number}, timeout=5000)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert box.text() == (
        "2 scanned people were not added to the register: Zofia Wiśniewska (930101) and Rhodri ap Gwilym (930102), "
        "waiting for your answer. Quit Trainer Desk without adding them?"
    )
    qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter keeps it open: a slip loses no one
    qtbot.waitUntil(lambda: not box.isVisible())
    assert window.isVisible() and register.isVisible()
    assert register.question.text().startswith("Zofia Wiśniewska") and "(1 more waiting)" in register.question.text()

    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert "Rhodri ap Gwilym (930102)" in answer(qtbot, "Quit without adding")
    qtbot.waitUntil(lambda: not window.isVisible() and not register.isVisible(), timeout=3000)
    runner.wait()


def test_a_card_the_roster_does_not_know_neither_swallows_the_next_scans_nor_is_forgotten(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """A walk-in's card, then two on the roster, back to back: the unknown number stayed in the box and the next
    numbers ran on after it ("W9000193010"), so nobody after it was added."""
    roster.upsert_people(workspace.db, PEOPLE)
    tasks = TaskRunner()
    window = register_for(qtbot, workspace, tasks, signa_session(datetime.now(UTC)))
    scan(qtbot, "W90001", ZOFIA.staff_number, RHODRI.staff_number)
    qtbot.waitUntil(lambda: on_register(window) == {ZOFIA.staff_number, RHODRI.staff_number}, timeout=5000)
    notice = window.finder.notice
    assert notice.isVisible() and "Not on the roster: W90001." in notice.text()  # still said, not lost
    scan(qtbot, "W90001")
    assert "No one with staff number W90001 is on the roster. Add them as a walk-in?" in notice.text()
    press(qtbot, Qt.Key.Key_Escape)  # the trainer lets it go
    qtbot.keyClicks(window.finder.search, "Nguy")
    assert not notice.isVisible()
    tasks.wait()


def test_quitting_with_two_registers_waiting_names_each_by_its_session(qtbot: QtBot, workspace: Workspace) -> None:
    """Two rooms' registers open, each with someone waiting: "the register" said twice told the trainer nothing
    about which room's cards were left."""
    morning, afternoon = (signa_session(datetime(2026, 11, 23, hour, tzinfo=UTC)) for hour in (9, 14))
    runner = TaskRunner()
    window = app_with_sessions_today(qtbot, workspace, runner, morning, afternoon)
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # Go > Sessions
    panel = window.current_panel()
    for held, scanned in ((afternoon, ZOFIA), (morning, RHODRI)):
        rows = [panel.list.item(i).text() for i in range(panel.list.count())]
        panel.list.setCurrentRow(
            next(i for i, text in enumerate(rows) if f"{held.starts_at.astimezone():%H:%M}" in text)
        )
        click(qtbot, panel, "Register and feedback…")
        register = window.launcher.registers[held.uuid]
        register.activateWindow()
        qtbot.waitUntil(register.isActiveWindow)
        scan(qtbot, scanned.staff_number)
        qtbot.waitUntil(lambda register=register: bool(register.finder.waiting_people()), timeout=5000)

    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    said = answer(qtbot, "Quit without adding")
    for held, person in ((afternoon, ZOFIA), (morning, RHODRI)):
        when = held.starts_at.astimezone()
        assert f"not added to the register of Signa, {when.day} {when:%b %H:%M}, North: {person.full_name}" in said
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    runner.wait()
