"""The walk-in form as a trainer fills it in by keyboard: a number typed short is refused in words that say
why, and each refusal puts the keys in the field it names."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.clicks import click, open_dialog
from tests.ui.registers import open_register
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.walk_in_dialog import WalkInDialog
from trainer_desk.workspace import Workspace


@pytest.fixture
def walk_in(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> Iterator[WalkInDialog]:
    """The walk-in form, opened from the register's button, over the demo roster (numbers of 6 and 7)."""
    window = open_register(qtbot, workspace, tasks)
    click(qtbot, window, "Add a walk-in…")
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, WalkInDialog)
    yield dialog
    dialog.reject()


def fill(qtbot: QtBot, dialog: WalkInDialog, number: str, unit: str) -> None:
    """Type the details into each box, choose the unit (unless `unit` is empty) and press Enter in the Surname box."""
    qtbot.keyClicks(dialog.number, number)
    qtbot.keyClicks(dialog.forename, "Rhian")
    qtbot.keyClicks(dialog.surname, "Pugh")
    if unit:
        dialog.unit.setCurrentIndex(dialog.unit.findText(unit))
    dialog.surname.setFocus()
    qtbot.waitUntil(dialog.surname.hasFocus)
    qtbot.keyClick(dialog.surname, Qt.Key.Key_Return)


def test_a_staff_number_shorter_than_any_on_the_roster_is_refused_saying_so(
    qtbot: QtBot, walk_in: WalkInDialog
) -> None:
    fill(qtbot, walk_in, "123", "West")
    assert walk_in.isVisible()
    said = walk_in.error.text()
    assert said.startswith("Staff numbers on this laptop's roster are ")
    assert said.endswith("letters or digits long, and 123 has only 3: check the number.")
    qtbot.waitUntil(walk_in.number.hasFocus)  # the keys are in the box to put right


def test_choose_the_unit_takes_the_keys_to_the_unit_box(qtbot: QtBot, walk_in: WalkInDialog) -> None:
    fill(qtbot, walk_in, "W900321", "")
    assert walk_in.error.text() == "Choose the person's unit."
    qtbot.waitUntil(walk_in.unit.hasFocus)
    assert QApplication.focusWidget() is walk_in.unit
    qtbot.keyClicks(walk_in.unit, "West")  # typed in the box that has the keys, as a person does
    assert walk_in.unit.currentText() == "West"
