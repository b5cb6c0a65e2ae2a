"""The register's table of attendees: one row per line, a status changed from the keyboard (1 to 4) or by
double-clicking it, and columns as wide as what they can hold."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.register_rows import STATUSES
from trainer_desk.ui.table_columns import widen_to_fit

STATUS_COLUMN = 3
HEADERS = ["Staff number", "Name", "Unit", "Status", "Marked", "Walk-in"]
STATUS_TIP = "Double-click, or press 1 present, 2 late, 3 left early, 4 absent"


class StatusDelegate(QStyledItemDelegate):
    """A status is plain text in the table (cheap to draw on every mark) and a list only while edited."""

    def __init__(self, table: AttendeesTable) -> None:
        super().__init__(table)
        self.table = table

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QWidget:
        editor = QComboBox(parent)
        editor.setAccessibleName("Status")
        for choice in STATUSES:
            editor.addItem(choice.label, choice.value)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        labels = [s.label for s in STATUSES]
        text = index.data()
        editor.setCurrentIndex(labels.index(text) if text in labels else 0)
        editor.showPopup()

    def setModelData(
        self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        """Said once the list has closed: said while it closes, the correction box a closed session asks opened
        behind the table, which took the focus back, and what the trainer typed never reached the Reason."""
        assert isinstance(editor, QComboBox)
        row, status = index.row(), STATUSES[editor.currentIndex()]
        QTimer.singleShot(0, self.table, lambda: self.table.status_chosen.emit(row, status))


class AttendeesTable(QTableWidget):
    """Shows the lines it is given; what a chosen status means (a correction once closed) is the window's."""

    status_chosen = Signal(int, object)  # row, AttendanceStatus: from the list or the keys 1 to 4

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(HEADERS), parent)
        self.setAccessibleName("Attendees")
        self.setTabKeyNavigation(False)  # Tab goes on to the buttons; the arrow keys move within it
        self.setHorizontalHeaderLabels(HEADERS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QTableWidget.EditTrigger.DoubleClicked | QTableWidget.EditTrigger.EditKeyPressed)
        self.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(self))
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for number, status in enumerate(STATUSES, start=1):
            status_key = QShortcut(QKeySequence(str(number)), self, lambda s=status: self._on_status_key(s))
            status_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self._inserted_from: int | None = None  # the first row put in since the view last laid itself out

    def show_row_count(self, count: int) -> None:
        """As many rows as lines: rows may go, so the view lays itself out and repaints whole, as Qt does."""
        self._inserted_from = None
        self.setRowCount(count)

    def insert_line_row(self, row: int) -> None:
        """A row for one new line. Qt would then lay the view out again and repaint every row on screen, which
        the next scan paid for (a millisecond); only the rows from this one down have changed."""
        self._inserted_from = row if self._inserted_from is None else min(self._inserted_from, row)
        self.insertRow(row)

    def doItemsLayout(self) -> None:
        """Qt's relayout after rows change: after a line is put in, only the rows it moved are drawn again."""
        inserted_from, self._inserted_from = self._inserted_from, None
        # Rows taken off (a refresh) are Qt's to lay out: it holds back the header's updates until then.
        if inserted_from is None or inserted_from >= self.rowCount() or not self.verticalHeader().updatesEnabled():
            super().doItemsLayout()
            return
        offset = self.verticalHeader().offset()
        self.updateGeometries()  # the scroll bar's range, for the new row
        viewport = self.viewport()
        # Scrolled to the end, the rows on screen move up to make room: then all of them are drawn again.
        top = 0 if self.verticalHeader().offset() != offset else max(self.rowViewportPosition(inserted_from), 0)
        if top < viewport.height():
            viewport.update(0, top, viewport.width(), viewport.height() - top)

    def _on_status_key(self, status: AttendanceStatus) -> None:
        for row in self.selected_rows():
            self.status_chosen.emit(row, status)

    def selected_rows(self) -> list[int]:
        return sorted({index.row() for index in self.selectionModel().selectedRows()})

    def fit_columns(self, staff_numbers: Iterable[str], unit_names: Iterable[str], statuses: Iterable[str]) -> None:
        """Every column but the name as wide as its header and what it can hold: every unit and status, so a
        new line never cuts one, and the staff numbers shown."""
        widen_to_fit(self, 0, staff_numbers)
        widen_to_fit(self, 2, unit_names)
        widen_to_fit(self, STATUS_COLUMN, statuses)
        widen_to_fit(self, 4, ["00:00"])
        widen_to_fit(self, 5, ["walk-in"])

    def show_cells(self, row: int, cells: tuple[str, ...]) -> None:
        """Draw one line in `row`; only its status can be edited."""
        widen_to_fit(self, 0, [cells[0]])
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == STATUS_COLUMN:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setToolTip(STATUS_TIP)
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.setItem(row, column, item)
