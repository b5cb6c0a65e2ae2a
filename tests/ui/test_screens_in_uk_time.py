"""A trainer's screens give a session's times as the force reads its clocks, as its sheets and HQ do, whatever
the zone of the laptop's own clock (the Reports view's list, in `test_reports_panel.py`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.clicks import button, open_dialog
from tests.ui.registers import saved_with, signa_session
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.store import planning, roster, sessions
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.planned_session_dialog import ChangePlannedSessionDialog
from trainer_desk.ui.register_window import STATUS_COLUMN, RegisterWindow
from trainer_desk.workspace import Workspace

pytestmark = pytest.mark.usefixtures("laptop_clock_on_utc")  # set before the window is made


def test_the_sessions_view_and_the_register_say_10_00_for_a_summer_session_at_10_00_uk_time(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """10:00 British Summer Time is 09:00 UTC: on a laptop whose clock is set to UTC the Sessions view and the
    register said 09:00, where the sheet of the same session says 10:00 (UK time)."""
    [number] = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people LIMIT 1")]
    person = roster.get_person(workspace.db, number)
    assert person is not None
    session = signa_session(datetime(2026, 8, 3, 9, 0, tzinfo=UTC), SessionStatus.RUNNING)
    saved_with(workspace, session, [person], close=False)  # marked present as it began

    listing = window.navigation
    item = listing.findItems("Sessions", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    panel = window.current_panel()
    assert panel.accessibleName() == "Sessions"
    sessions_list = panel.list
    qtbot.waitUntil(lambda: sessions_list.count() > 0)
    assert sessions_list.item(0).text().startswith("Mon 03 Aug 2026 10:00 · Signa")
    sessions_list.setFocus()
    qtbot.mouseClick(
        sessions_list.viewport(),
        Qt.MouseButton.LeftButton,
        pos=sessions_list.visualItemRect(sessions_list.item(0)).center(),
    )

    qtbot.mouseClick(button(panel, "Register and feedback…"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(isinstance(w, RegisterWindow) and w.isVisible() for w in QApplication.topLevelWidgets())
    )
    [register] = [w for w in QApplication.topLevelWidgets() if isinstance(w, RegisterWindow) and w.isVisible()]
    assert isinstance(register, RegisterWindow)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    assert "Mon 03 Aug 2026 10:00 · Signa" in register.heading.text()
    assert register.table.item(0, STATUS_COLUMN).text() == "Present"
    assert register.table.item(0, STATUS_COLUMN + 1).text() == "10:00"  # when they were marked, as the sheet says
    register.close()


def test_a_planned_session_is_moved_by_the_time_the_sessions_view_shows(
    qtbot: QtBot, window: MainWindow, workspace: Workspace
) -> None:
    """The lead reads 10:00 in the list and sets 11:00 in the dialog: on a laptop set to UTC the dialog showed
    09:00 and took what was typed as UTC, an hour from what the list, the sheet and HQ say."""
    planned = signa_session(datetime(2027, 7, 5, 9, 0, tzinfo=UTC))  # 10:00 British Summer Time
    planning.plan_session(workspace.db, planned, [], "100234", datetime(2026, 12, 1, tzinfo=UTC))
    listing = window.navigation
    item = listing.findItems("Sessions", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    panel = window.current_panel()
    panel.list.setFocus()
    qtbot.keyClick(panel.list, Qt.Key.Key_Home)
    assert panel.list.currentItem().text().startswith("Mon 05 Jul 2027 10:00 · Signa")
    qtbot.mouseClick(button(panel, "Move or reassign…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, ChangePlannedSessionDialog)
    assert dialog.starts.text() == "2027-07-05 10:00"
    dialog.starts.setFocus()
    for _ in range(3):
        qtbot.keyClick(dialog.starts, Qt.Key.Key_Tab)  # year, month, day, then the hour
    qtbot.keyClick(dialog.starts, Qt.Key.Key_Up)
    assert dialog.starts.text() == "2027-07-05 11:00"
    qtbot.mouseClick(button(dialog, "Save changes"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    moved = sessions.get_session(workspace.db, planned.uuid)
    assert moved is not None and moved.starts_at == datetime(2027, 7, 5, 10, 0, tzinfo=UTC)  # 11:00 UK time
    assert panel.list.currentItem().text().startswith("Mon 05 Jul 2027 11:00 · Signa")
