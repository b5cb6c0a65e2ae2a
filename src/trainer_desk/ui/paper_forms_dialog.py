"""Keying in the paper feedback forms after the session: one row per form, in the paper form's order, typed
straight through with Tab and Enter, and saved together with the session's other feedback.

The rows are read by `core.paper_forms`; a slip is named by form and column and the cell is selected, and
nothing is saved until every row reads.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.counted import counted
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.paper_forms import columns, read_rows
from trainer_desk.ui.screen_fit import fit_to_screen
from trainer_desk.ui.unsaved import KeepsTyping

START_ROWS = 5


class FormsTable(QTableWidget):
    """A grid that types like a spreadsheet: typing starts editing, Tab moves on (the last box of a row leads
    to the next row), and Enter ends a form and starts the next; a blank row is always waiting at the end, so
    a pile of forms is keyed without the mouse."""

    def __init__(self, rows: int, columns: int) -> None:
        super().__init__(rows, columns)
        self.itemChanged.connect(self._keep_a_blank_row)

    def next_form(self) -> None:
        row = self.currentRow() + 1
        if row >= self.rowCount():
            self.insertRow(row)
        self.setCurrentCell(row, 0)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self.next_form()
            return
        super().keyPressEvent(event)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        super().closeEditor(editor, hint)
        if hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache:  # Enter while typing in a box
            self.next_form()

    def _keep_a_blank_row(self, item: QTableWidgetItem) -> None:
        if item.row() == self.rowCount() - 1 and item.text().strip():
            self.insertRow(self.rowCount())


class PaperFormsDialog(KeepsTyping):
    submitted = Signal(object)  # list[Feedback], every row read; the register saves them and calls show_saved

    def __init__(self, plan: LessonPlan, session_uuid: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        self.session_uuid = session_uuid
        self.setWindowTitle("Key in paper forms - Trainer Desk")
        self.setAccessibleName("Key in paper feedback forms")
        aims = "<br>".join(f"<b>Aim {n}</b>: {o.text}" for n, o in enumerate(plan.objectives, start=1))
        intro = QLabel(
            "<p>One row per paper form, in the form's order: <b>y</b> or <b>n</b>, the reason if n, then each "
            "aim's score from 1 to 5, before and after. Leave a blank blank. Tab moves to the next box; Enter "
            f"starts the next form; <b>Ctrl+S</b> saves them.</p><p>{aims}</p>"
        )
        intro.setWordWrap(True)
        headings = columns(plan.objectives)
        self.table = FormsTable(START_ROWS, len(headings))
        self.table.setAccessibleName("Paper forms, one row per form")
        self.table.setHorizontalHeaderLabels([h.removeprefix("Aim ") for h in headings])  # "1 before": narrow
        for column, heading in enumerate(headings):
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(heading)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.AnyKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the reason
        self.table.horizontalHeader().setMinimumSectionSize(70)
        self.table.setCurrentCell(0, 0)
        self.message = QLabel()
        self.message.setAccessibleName("Paper forms message")
        self.message.setWordWrap(True)
        self.save = QPushButton("Save the forms (Ctrl+S)")
        self.save.setAccessibleName("Save the forms")
        # Tab and Enter belong to the grid, so the keyboard reaches Save by its own key.
        QShortcut(QKeySequence.StandardKey.Save, self, self.save.click)
        self.save.setAutoDefault(False)  # Enter belongs to the grid
        self.save.clicked.connect(self._on_save_clicked)
        close = QPushButton("Close")
        close.setAccessibleName("Close")
        close.setAutoDefault(False)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.message, 1)
        buttons.addWidget(self.save)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        fit_to_screen(self, QSize(1100, 580))  # the table scrolls, Save and Close stay on a small screen

    def unsaved(self) -> str:
        """Forms typed here and not saved: a second Escape once threw a pile of keyed-in forms away unasked."""
        typed = sum(1 for row in self.rows() if any(cell.strip() for cell in row))
        return f"{typed} form{'s are' if typed != 1 else ' is'} typed here but not saved." if typed else ""

    def rows(self) -> list[list[str]]:
        def text(row: int, column: int) -> str:
            item = self.table.item(row, column)
            return item.text() if item is not None else ""

        return [[text(r, c) for c in range(self.table.columnCount())] for r in range(self.table.rowCount())]

    def _on_save_clicked(self) -> None:
        forms, problems = read_rows(self.rows(), self.plan.objectives, self.session_uuid)
        if problems:
            more = f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            self.message.setText("Not saved. " + "; ".join(str(p) for p in problems[:3]) + more + ".")
            first = problems[0]
            self.table.setCurrentCell(first.row - 1, columns(self.plan.objectives).index(first.column))
            self.table.setFocus()
            return
        if not forms:
            self.message.setText("Nothing to save: every row is blank.")
            return
        self.save.setEnabled(False)
        self.message.setText("Saving…")
        self.submitted.emit(forms)

    def show_saved(self, saved: int | None, detail: str = "") -> None:
        """After the register has saved them (`saved` forms), or not (None, with why and what to do, in sentences
        of their own): nothing typed is lost."""
        self.save.setEnabled(True)
        if saved is None:
            self.message.setText(f"{detail} The rows are still here.")
            return
        self.table.clearContents()
        self.table.setRowCount(START_ROWS)
        self.table.setCurrentCell(0, 0)
        self.message.setText(f"Saved {counted(saved, 'form')}. They count with this session's feedback.")
