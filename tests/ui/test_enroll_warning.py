"""The Enroll dialog says, before the trainer enrolls, which sessions on the laptop HQ will not take from the
unit the code enrolls for: the trainer learnt it only after the first sync had them refused."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.hq_server import Hq
from tests.store.test_sessions import NOW, make_session
from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import button, open_dialog
from tests.ui.test_held_back_records import when
from tests.ui.test_sync_view import sync_panel
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import units as hq_units
from trainer_desk.store import sessions
from trainer_desk.ui.enroll_dialog import EnrollDialog
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.workspace import Workspace


@pytest.mark.any_database
def test_the_enroll_dialog_names_the_sessions_hq_will_refuse_and_enrolls_all_the_same(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    hq_units.import_units(
        hq.engine,
        [
            UnitNode("FORCE", "The Force", "force"),
            UnitNode("NORTH", "North BCU", "BCU", "FORCE"),
            UnitNode("EAST", "East BCU", "BCU", "FORCE"),
        ],
    )
    hq_roster.import_roster(hq.engine, [Person("100234", "Bronwen", "Price", "NORTH", PersonRole.STAFF)])
    sessions.create_session(workspace.db, make_session("EAST"), NOW)  # recorded before the laptop was enrolled
    sessions.create_session(workspace.db, make_session("NORTH"), NOW)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")

    panel = sync_panel(window)
    qtbot.mouseClick(button(panel, "Enroll with HQ…"), Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, EnrollDialog)
    dialog.url.clear()
    qtbot.keyClicks(dialog.url, hq.url)
    qtbot.keyClicks(dialog.code, code)
    qtbot.waitUntil(dialog.other_units.isVisible, timeout=15000)
    assert dialog.other_units.text() == (
        "This code enrolls this laptop for North BCU (NORTH). HQ will not take this session, recorded here for "
        f"another unit, nor the registers taken in it:\n• Signa, {when(NOW)}, East\nYou can still enroll, and put its "
        "unit right afterwards in Sessions (Put the unit right…)."
    )
    assert unnamed_interactive_widgets(dialog) == []

    qtbot.mouseClick(dialog.enroll_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    qtbot.waitUntil(lambda: window.sync_label.text().startswith("Synced"), timeout=20000)
    window.navigation.setCurrentRow(1)
    listed = window.current_panel()
    assert isinstance(listed, SessionsPanel)
    lines = [listed.list.item(row).text() for row in range(listed.list.count())]
    assert [line.split(" · ", 2)[2] for line in lines] == [
        "North BCU · Room 4 · planned",
        "East BCU · Room 4 · planned · HQ did not take it: it is for East BCU, and this laptop records for North BCU"
        " (Put the unit right… sends it)",
    ]


@pytest.mark.any_database
def test_a_code_that_is_not_whole_yet_asks_hq_nothing_and_says_nothing(
    qtbot: QtBot, window: MainWindow, workspace: Workspace, hq: Hq
) -> None:
    """Only a whole code is asked about; one typed further, or changed, hides what was said of the last."""
    sessions.create_session(workspace.db, make_session("EAST"), NOW)
    code = hq_devices.issue_code(hq.engine, "100234", "NORTH")
    dialog = sync_panel(window).ask_to_enroll()
    qtbot.waitExposed(dialog)
    dialog.url.setText(hq.url)
    qtbot.keyClicks(dialog.code, code[:-1])
    assert not dialog.other_units.isVisible()
    qtbot.keyClicks(dialog.code, code[-1])
    qtbot.waitUntil(dialog.other_units.isVisible, timeout=15000)
    assert "for North (NORTH)" not in dialog.other_units.text()  # a demonstration name that is the code written out
    assert dialog.other_units.text().startswith("This code enrolls this laptop for North. HQ will not take")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Backspace)
    assert not dialog.other_units.isVisible()
