"""Importing a roster from the Roster view: the file is read and checked off the UI thread, the summary is
shown (added, updated, left, padded numbers, anything worth a look), and nothing changes until the trainer
confirms, with a plain warning first when the import would mark more than a fifth of the roster as left. A laptop
enrolled with HQ takes its roster from HQ, so there the file is refused before it is read."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from trainer_desk.core.roster_guard import SHRINK_SHARE
from trainer_desk.core.roster_import import RosterRead, read_roster
from trainer_desk.store import roster, units
from trainer_desk.store.connection import as_database
from trainer_desk.store.roster import RosterChanges
from trainer_desk.workspace import Workspace

FILE_FILTER = "HR exports (*.xlsx *.csv *.txt *.tsv);;All files (*)"


@dataclass(frozen=True, slots=True)
class RosterImportPlan:
    """A file read and checked, and what importing it would change (nothing has changed yet)."""

    path: Path
    read: RosterRead
    changes: RosterChanges

    def summary(self) -> str:
        c = self.changes
        return (
            f"{len(self.read.people)} people read: {len(c.added)} would be added, {len(c.updated)} updated, "
            f"{len(c.left)} marked as left, {c.unchanged} unchanged."
        )


def plan_roster_import(workspace: Workspace, path: Path) -> RosterImportPlan:
    """Read and check `path` and plan the change, on a worker with its own read-only connection."""
    db = as_database(workspace.connector.connect(workspace.paths.database, read_only=True))
    try:
        roster.check_file_import_allowed(db)
        read = read_roster(
            path, {u.code: u.name for u in units.list_units(db)}, roster.staff_number_holders(db), shown_as=path.name
        )
        return RosterImportPlan(path, read, roster.plan_changes(db, read.people))
    finally:
        db.conn.close()


class RosterImportDialog(QMessageBox):
    """The summary and the question. Non-blocking: `confirmed` says the trainer chose to import."""

    confirmed = Signal(object)  # RosterImportPlan

    def __init__(self, plan: RosterImportPlan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plan = plan
        shrink = plan.changes.shrink
        self.setWindowTitle("Import roster")
        self.setAccessibleName("Import roster: check the changes")
        self.setText(f"Replace the roster with {plan.path.name}?")
        lines = [plan.summary(), *plan.read.notes]
        lines += [f"Worth a look: {warning}" for warning in plan.read.warnings]
        if shrink.needs_confirmation:
            self.setIcon(QMessageBox.Icon.Warning)
            lines.append(
                f"Warning: {shrink.describe()}. That is more than the {round(SHRINK_SHARE * 100)}% an import "
                "normally removes: is this the whole roster?"
            )
            label = f"Import and mark {shrink.leaving} as left"
        else:
            self.setIcon(QMessageBox.Icon.Question if not plan.read.warnings else QMessageBox.Icon.Warning)
            label = "Import"
        self.setInformativeText("\n\n".join(lines))
        self.import_button: QPushButton = self.addButton(label, QMessageBox.ButtonRole.AcceptRole)
        self.import_button.setAccessibleName("Import the roster")
        cancel = self.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel: leave the roster as it is")
        self.setDefaultButton(cancel)  # Enter never replaces a roster by accident
        self.setEscapeButton(cancel)
        self.buttonClicked.connect(self._on_button_clicked)

    def _on_button_clicked(self, button: object) -> None:
        if button is self.import_button:
            self.confirmed.emit(self.plan)
