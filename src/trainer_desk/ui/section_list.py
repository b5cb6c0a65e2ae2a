"""The presenter's list of the plan's sections, with each one's target and the time it has actually had."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem

from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.pacing import SessionClock
from trainer_desk.core.presenter_text import section_name, time_taught

_ACTUAL = 2  # the column of the time each section has had


class SectionList(QTableWidget):
    section_chosen = Signal(int)  # a row double-clicked, or Enter on the highlighted one

    def __init__(self, sections: Sequence[Section]) -> None:
        super().__init__(len(sections), 3)
        self.setAccessibleName("Sections")
        self.setHorizontalHeaderLabels(["Section", "Target", "Actual"])
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.setWordWrap(True)
        # Room for a few words of each title to a line beside the two times: squeezed by a small screen, the
        # titles wrapped a word or two to a line, five lines a section.
        self.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("Target Actual ") + self.fontMetrics().horizontalAdvance("x") * 22
        )
        for row, section in enumerate(sections):
            self.setItem(row, 0, QTableWidgetItem(section_name(row, section)))
            self.setItem(row, 1, QTableWidgetItem(f"{section.minutes} min"))
            self.setItem(row, _ACTUAL, QTableWidgetItem(time_taught(0)))
        self.resizeRowsToContents()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Tab moves on to the next control rather than from cell to cell (a keyboard user was trapped here),
        # and Enter on the highlighted row opens it as a double-click does (the window ignores the section shown).
        self.setTabKeyNavigation(False)
        self.cellDoubleClicked.connect(lambda row, _col: self.section_chosen.emit(row))
        self.activated.connect(lambda index: self.section_chosen.emit(index.row()))

    def show_times(self, clock: SessionClock) -> None:
        """Each section's actual time, as the clock has it now (the presenter's ticker calls this twice a second)."""
        for row in range(self.rowCount()):
            cell = self.item(row, _ACTUAL)
            if cell is not None:
                cell.setText(time_taught(clock.elapsed(row)))
