"""A training lead moves a planned session, gives it to another trainer and then cancels it, from the Sessions
view with keyboard and mouse: a trainer not on the roster and a missing reason are refused in the dialog, which
stays open; each change waits to go to HQ."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.dates import ahead
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer, button, open_dialog
from trainer_desk.app import build_main_window
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.store import planning, roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.planned_session_dialog import CancelPlannedSessionDialog, ChangePlannedSessionDialog
from trainer_desk.ui.register_window import STATUS_COLUMN, RegisterWindow
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@pytest.fixture
def planned(workspace: Workspace) -> Session:
    numbers = [r[0] for r in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 3")]
    session = Session(
        new_uuid(),
        PlanRef("signa-core", "1.0.0", "signa"),
        "NORTH",
        "Training room 2",
        DeliveryMode.IN_PERSON,
        datetime.combine(ahead(45), time(9, 30), UTC),
        trainers=(numbers[0],),
    )
    people = [p for p in (roster.get_person(workspace.db, n) for n in numbers[1:]) if p]
    return planning.plan_session(workspace.db, session, people, numbers[0], datetime.now(UTC))


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, planned: Session) -> Iterator[MainWindow]:
    tasks = TaskRunner()
    win = build_main_window(workspace, tasks)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    tasks.wait()


def visible(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def change_dialog(qtbot: QtBot, window: MainWindow, venue: str) -> ChangePlannedSessionDialog:
    """Sessions, the session in `venue` chosen, and "Move or reassign…" clicked: its dialog."""
    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.refresh()
    (row,) = [i for i in range(panel.list.count()) if venue in panel.list.item(i).text()]
    panel.list.setCurrentRow(row)
    qtbot.mouseClick(button(panel, "Move or reassign…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, ChangePlannedSessionDialog)
    return dialog


def waiting_versions(workspace: Workspace, session: Session) -> list[int]:
    rows = workspace.db.execute(
        "SELECT version FROM outbox WHERE entity = 'session' AND entity_uuid = ? ORDER BY version", [session.uuid]
    )
    return [r[0] for r in rows]


def test_a_planned_session_is_moved_given_to_another_trainer_and_cancelled(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, planned: Session
) -> None:
    window.navigation.setCurrentRow(1)
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel)
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    move = button(panel, "Move or reassign…")
    assert move.isEnabled()
    qtbot.mouseClick(move, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, ChangePlannedSessionDialog)
    assert unnamed_interactive_widgets(dialog) == []
    assert dialog.venue.text() == "Training room 2"

    dialog.venue.selectAll()
    qtbot.keyClicks(dialog.venue, "Room 5, Northgate")
    dialog.trainers.selectAll()
    qtbot.keyClicks(dialog.trainers, "999999")
    for _ in range(2):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Down)  # the year: two years back, a slip
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "already gone by" in dialog.error.text(), timeout=5000)
    for _ in range(3):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Up)  # the year: a year later than planned, a slip too
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "more than a year away" in dialog.error.text(), timeout=5000)
    qtbot.keyClick(dialog.starts, Qt.Key.Key_Down)  # the year planned
    for _ in range(3):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Tab)  # on to the hour
    qtbot.keyClick(dialog.starts, Qt.Key.Key_Up)  # an hour later
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not on the roster: 999999" in dialog.error.text(), timeout=5000)
    assert dialog.isVisible()  # nothing lost: the lead corrects the number
    (other,) = workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number DESC LIMIT 1").fetchone()
    dialog.trainers.selectAll()
    qtbot.keyClicks(dialog.trainers, other)
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Changed:"), timeout=5000)

    changed = sessions.get_session(workspace.db, planned.uuid)
    assert changed is not None
    assert changed.venue == "Room 5, Northgate" and changed.trainers == (other,)
    assert changed.starts_at == planned.starts_at + timedelta(hours=1)
    assert waiting_versions(workspace, planned) == [1, 2]  # planned; moved and given to another trainer, in one

    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    qtbot.mouseClick(button(panel, "Cancel session…"), Qt.MouseButton.LeftButton)
    cancel = open_dialog(qtbot)
    assert isinstance(cancel, CancelPlannedSessionDialog)
    assert unnamed_interactive_widgets(cancel) == []
    qtbot.mouseClick(button(cancel, "Cancel the session"), Qt.MouseButton.LeftButton)
    assert "Say why" in cancel.error.text() and cancel.isVisible()
    qtbot.keyClicks(cancel.reason, "trainer unavailable")
    qtbot.keyClick(cancel.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not cancel.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Cancelled:"), timeout=5000)
    cancelled = sessions.get_session(workspace.db, planned.uuid)
    assert cancelled is not None and cancelled.status is SessionStatus.CANCELLED
    assert waiting_versions(workspace, planned) == [1, 2, 3]
    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    assert not button(panel, "Cancel session…").isEnabled()  # a cancelled session cannot be changed again
    assert not button(panel, "Start this session…").isEnabled()

    # Its register says it was cancelled and takes no marks: closing it once turned it into a session held.
    qtbot.mouseClick(button(panel, "Register and feedback…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(visible(RegisterWindow)), timeout=5000)
    (register,) = visible(RegisterWindow)
    assert isinstance(register, RegisterWindow)
    assert "Cancelled" in register.heading.text() and register.table.rowCount() == 2
    assert not register.search.isEnabled()
    for name in ("Mark all present", "Self sign-in…", "Close session…", "Attendance sheet…", "Add a walk-in…"):
        assert not button(register, name).isEnabled(), name
    register.activateWindow()
    qtbot.waitUntil(register.isActiveWindow, timeout=5000)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_1)  # "present", by the key the window's hint names
    qtbot.waitUntil(lambda: "was cancelled" in register.statusBar().currentMessage(), timeout=5000)
    assert register.table.item(0, STATUS_COLUMN).text() == "Booked"
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)  # said at once: no question about the booking first
    assert QApplication.activeModalWidget() is None and not [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert "was cancelled" in register.statusBar().currentMessage()
    statuses = workspace.db.execute("SELECT status FROM attendance WHERE session_uuid = ?", [planned.uuid])
    assert {s for (s,) in statuses} == {"absent"}
    still = sessions.get_session(workspace.db, planned.uuid)
    assert still is not None and still.status is SessionStatus.CANCELLED
    register.close()

    # Nor is a sheet offered for it in Reports.
    (reports_row,) = window.navigation.findItems("Reports", Qt.MatchFlag.MatchExactly)
    window.navigation.setCurrentItem(reports_row)
    reports = window.current_panel()
    assert isinstance(reports, ReportsPanel)
    offered = [reports.session.itemData(i) for i in range(reports.session.count())]
    assert planned.uuid not in offered


def test_moving_a_session_onto_its_trainer_s_other_session_is_said_and_saved_only_when_meant(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, planned: Session
) -> None:
    """The trainer of the 09:30 session (an hour long) also has one at 14:00. Moved to 10:00, the second would
    put them in both rooms: the dialog names the first session and saves the move only once the lead ticks
    "anyway"."""
    later = replace(planned, uuid=new_uuid(), venue="Room 7", starts_at=planned.starts_at.replace(hour=14, minute=0))
    planning.plan_session(workspace.db, later, [], later.trainers[0], datetime.now(UTC))
    dialog = change_dialog(qtbot, window, "Room 7")
    assert not dialog.anyway.isVisible()
    dialog.starts.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Tab)  # year, month, day, then the hour
    for _ in range(4):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Down)  # 14:00 to 10:00
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not changed" in dialog.error.text(), timeout=5000)
    assert "trains Signa: sexism, misogyny and sexual harassment at work" in dialog.error.text()
    assert "Training room 2" in dialog.error.text()
    assert dialog.anyway.isVisible() and dialog.isVisible()
    unmoved = sessions.get_session(workspace.db, later.uuid)
    assert unmoved is not None and unmoved.starts_at == later.starts_at

    qtbot.mouseClick(dialog.anyway, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    moved = sessions.get_session(workspace.db, later.uuid)
    assert moved is not None and moved.starts_at == later.starts_at.replace(hour=10)


def test_a_move_and_a_new_trainer_at_once_are_checked_together_and_a_booked_trainer_is_refused(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, planned: Session
) -> None:
    """Checked one after the other, a move and a new trainer asked the lead twice, each time about some of the
    clashes. And a trainer booked on the session's own register was named silently."""
    numbers = [r[0] for r in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 5")]
    booked_on_both = roster.get_person(workspace.db, numbers[1])
    assert booked_on_both is not None
    later = replace(
        planned, uuid=new_uuid(), venue="Room 7", starts_at=planned.starts_at.replace(hour=14), trainers=(numbers[4],)
    )
    planning.plan_session(workspace.db, later, [booked_on_both], numbers[4], datetime.now(UTC))
    dialog = change_dialog(qtbot, window, "Room 7")
    dialog.trainers.selectAll()
    qtbot.keyClicks(dialog.trainers, numbers[1])  # someone booked on this very session
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Booked on this session" in dialog.error.text(), timeout=5000)
    assert f"({numbers[1]})" in dialog.error.text() and not dialog.anyway.isVisible()

    dialog.trainers.selectAll()
    qtbot.keyClicks(dialog.trainers, numbers[0])  # the 09:30 session's trainer
    dialog.starts.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Tab)  # year, month, day, then the hour
    for _ in range(5):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Down)  # 14:30 to 09:30, into the other session
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Not changed" in dialog.error.text(), timeout=5000)
    said = dialog.error.text()
    assert "2 of the people named are due at another session" in said  # both, the first time
    assert f"({numbers[0]}) trains" in said and f"({numbers[1]}) is booked on" in said
    qtbot.mouseClick(dialog.anyway, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    changed = sessions.get_session(workspace.db, later.uuid)
    assert changed is not None and changed.trainers == (numbers[0],)
    assert changed.starts_at == planned.starts_at
    assert waiting_versions(workspace, later) == [1, 2]  # one change, one version


def test_closing_the_change_dialog_while_its_save_is_on_its_way_says_the_change_will_be_kept(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, planned: Session
) -> None:
    """The database worker was busy (a sync writing a large batch), so Save waited its turn; Close then offered
    "Close without saving", and the session moved all the same. Closing now says it is already being saved,
    and the Sessions view says it was changed."""
    dialog = change_dialog(qtbot, window, "Training room 2")
    panel = window.current_panel()
    assert isinstance(panel, SessionsPanel) and panel.tasks is not None
    busy = threading.Event()
    panel.tasks.run_db(lambda: busy.wait(10))  # the worker's turn, taken by a long write
    dialog.venue.clear()
    qtbot.keyClicks(dialog.venue, "Training room 5")
    qtbot.mouseClick(dialog.save, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answer(qtbot, "Close this window") == (
        "Already being saved: closing this window does not stop it. The change is kept unless it is refused, "
        "which the Sessions view says. Close this window?"
    )
    assert not dialog.isVisible()
    busy.set()
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Changed:"), timeout=10000)
    assert "Training room 5" in panel.explanation.text()
    assert waiting_versions(workspace, planned) == [1, 2]  # the change, waiting to go to HQ
