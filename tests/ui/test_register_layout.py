"""The register on a laptop's 1100x720 window with larger type: every column header and unit reads whole, and
the list of people found takes no room until someone is found, so the register shows more of its lines."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.registers import open_register
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@pytest.fixture
def register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> RegisterWindow:
    return open_register(qtbot, workspace, tasks, point_size=12, size=(1100, 720))  # type as at 125%


def test_headers_and_units_read_whole_and_no_empty_box_sits_above_the_register(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    (number,) = workspace.db.execute("SELECT staff_number FROM people WHERE unit_code = 'CENTRAL-NORTH'").fetchone()
    qtbot.keyClicks(register.search, number)  # a scan: the person found is added at once
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)

    header = register.table.horizontalHeader()
    for column in range(register.table.columnCount()):
        title = register.table.horizontalHeaderItem(column).text()
        assert header.sectionSize(column) >= header.sectionSizeFromContents(column).width(), f"{title} is cut"
    unit = register.table.item(0, 2).text()
    assert unit == "Central North"
    assert register.table.fontMetrics().horizontalAdvance(unit) + 8 <= header.sectionSize(2), "the unit is cut"

    # The list emptied by the scan goes once the scanning stops: the register then comes right under the search.
    qtbot.waitUntil(lambda: not register.results.isVisible(), timeout=5000)
    # laid out again on the event loop's next pass
    qtbot.waitUntil(lambda: register.table.geometry().top() - register.search.geometry().bottom() < 20)
    qtbot.keyClicks(register.search, "a")
    qtbot.waitUntil(register.results.isVisible)
    assert register.results.count() > 0
    qtbot.keyClick(register.search, Qt.Key.Key_Escape)  # starting again takes the list away
    qtbot.waitUntil(lambda: not register.results.isVisible())


def test_the_register_stays_still_while_people_are_scanned_one_after_another(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    """Each scan fills the list of people found and its mark empties it: had the list come and gone at each,
    the register under it would jump up and back at every person in the queue."""
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 3")]
    tops = []
    for count, number in enumerate(numbers, start=1):
        for digit in number:  # a scanner's keys, each searched and drawn
            qtbot.keyClicks(register.search, digit)
            qtbot.wait(5)
            tops.append(register.table.geometry().top())  # from the first key, the list is there
        qtbot.keyClick(register.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda count=count: register.table.rowCount() == count, timeout=5000)
        qtbot.wait(50)  # the mark's own redraw, as a trainer's next scan comes
        tops.append(register.table.geometry().top())  # once marked
    assert len(set(tops)) == 1, tops  # the register did not move at any key or mark
    qtbot.waitUntil(lambda: not register.results.isVisible(), timeout=5000)  # and the list goes once they stop
    qtbot.waitUntil(lambda: register.table.geometry().top() < tops[0])
