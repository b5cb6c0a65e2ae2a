"""The panels behind the main window's navigation, each showing what the store holds for its area."""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlite_utils import Database

from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.store import roster, sessions, units
from trainer_desk.ui.session_text import SessionDescriber


class AreaPanel(QWidget):
    """A titled area with a one-line explanation, so every screen says what it is for."""

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(f"<h1>{title}</h1>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.layout_.addWidget(heading)
        self.layout_.addWidget(self.explanation)

    def refresh(self) -> None:
        """Re-read what this panel shows; panels with data override it."""


class SessionsPanel(AreaPanel):
    register_requested = Signal(object)  # Session

    def __init__(
        self,
        db: Database,
        library: PlanLibrary | None = None,
        presenting: Callable[[], Collection[str]] | None = None,
    ) -> None:
        """`library` gives plan titles (without it, plan ids show). `presenting` gives the sessions with a
        presenter open, so one closed without ending shows as stopped part-way (without it, as running)."""
        super().__init__("Sessions", "")
        self.db = db
        self.library = library or PlanLibrary()
        self.presenting = presenting
        self.list = QListWidget()
        self.list.setAccessibleName("Sessions on this laptop")
        self.open_register = QPushButton("Register and feedback…")
        self.open_register.setAccessibleName("Open the register and feedback for this session")
        self.open_register.clicked.connect(self._on_open_register_clicked)
        self.list.itemActivated.connect(lambda _item: self._on_open_register_clicked())
        self.layout_.addWidget(self.list, 1)
        self.layout_.addWidget(self.open_register, 0, Qt.AlignmentFlag.AlignLeft)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = sessions.list_sessions(self.db)
        describer = SessionDescriber.read(self.db, self.library, self.presenting() if self.presenting else None)
        for s in found:
            item = QListWidgetItem(describer.describe(s))
            item.setData(Qt.ItemDataRole.UserRole, s)
            self.list.addItem(item)
        self.open_register.setEnabled(bool(found))
        if found:
            self.list.setCurrentRow(0)
            self.explanation.setText(f"{len(found)} session(s) on this laptop, newest first.")
        else:
            self.explanation.setText("No sessions on this laptop yet. Start one from a lesson plan in Lesson plans.")

    def _on_open_register_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.register_requested.emit(item.data(Qt.ItemDataRole.UserRole))


class RosterPanel(AreaPanel):
    def __init__(self, db: Database) -> None:
        super().__init__("Roster", "People this laptop can register, by unit.")
        self.db = db
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("People on the roster by unit")
        self.table.setHorizontalHeaderLabels(["Unit", "People"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.layout_.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        counts = roster.count_by_unit(self.db)
        known = units.list_units(self.db)
        self.table.setRowCount(len(known))
        for row, unit in enumerate(known):
            self.table.setItem(row, 0, QTableWidgetItem(f"{unit.name} ({unit.kind.value})"))
            count = QTableWidgetItem(str(counts.get(unit.code, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, count)
        self.explanation.setText(f"{sum(counts.values())} people this laptop can register, by unit.")
