"""The Roster view: how many people this laptop can register, by unit; importing HR's export of the roster
(on a laptop not enrolled with HQ, which sends it otherwise), and recording an exemption from a programme."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.sentences import after_colon
from trainer_desk.store import exemptions, roster
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import enrolled_hq
from trainer_desk.store.roster import RosterChanges
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.exemption_dialog import ExemptionDialog
from trainer_desk.ui.file_chooser import file_chooser
from trainer_desk.ui.remembered_folders import ROSTER, last_folder, remember_folder
from trainer_desk.ui.roster_import_dialog import FILE_FILTER, RosterImportDialog, RosterImportPlan, plan_roster_import
from trainer_desk.ui.roster_problems_dialog import RosterProblemsDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

_INDENT = "\u2003\u2003"  # a team set in under its BCU, as the reports set it


class RosterPanel(AreaPanel):
    """People by unit; with a workspace and a task runner, also "Import roster…" from an HR export."""

    roster_imported = Signal(object)  # RosterChanges, once committed

    def __init__(
        self,
        db: Database,
        workspace: Workspace | None = None,
        tasks: TaskRunner | None = None,
        changes: ChangeChannel | None = None,
    ) -> None:
        super().__init__("Roster", "People this laptop can register, by unit.")
        self.db = db
        self.workspace = workspace
        self.tasks = tasks
        self.changes = changes
        self.file_dialog: QFileDialog | None = None
        self.confirm_dialog: RosterImportDialog | None = None
        self.problem_box: RosterProblemsDialog | None = None
        self.table = QTableWidget(0, 2)
        self.table.setAccessibleName("People on the roster by unit")
        self.table.setHorizontalHeaderLabels(["Unit", "People"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; the arrow keys move within it
        self.layout_.addWidget(self.table, 1)
        self.import_button = QPushButton("Import roster…")
        self.import_button.setAccessibleName("Import the roster from an HR export")
        self.import_button.clicked.connect(self._on_import_clicked)
        self.import_button.setVisible(workspace is not None and tasks is not None)
        self.exempt_button = QPushButton("Exempt from a programme…")
        self.exempt_button.setAccessibleName("Exempt someone from a programme, or record another way they did it")
        self.exempt_button.clicked.connect(self._on_exempt_clicked)
        self.exempt_button.setVisible(workspace is not None and tasks is not None)
        self.exemption_dialog: ExemptionDialog | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.exempt_button)
        buttons.addStretch(1)
        self.layout_.addLayout(buttons)
        self.import_note = QLabel()
        self.import_note.setAccessibleName("Why there is no roster to import here")
        self.import_note.setWordWrap(True)
        self.import_note.hide()
        self.layout_.addWidget(self.import_note)
        self._stale = True  # counted when first seen: over a force's roster that takes a while, and the app
        # opens on another view

    def refresh_when_seen(self) -> None:
        """Re-count now if the view is on screen, else when it is next shown."""
        if self.isVisible():
            self.refresh()
        else:
            self._stale = True

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self.refresh()
        self._show_whether_a_file_may_be_imported()  # enrolling, in the Sync view, changes it
        super().showEvent(event)

    def _show_whether_a_file_may_be_imported(self) -> None:
        """On a laptop enrolled with HQ the roster comes from HQ: said before a file is chosen, with the button
        greyed out, rather than after the trainer has found the file and had it refused."""
        hq = enrolled_hq(self.db) if self.workspace is not None else None
        self.import_button.setEnabled(hq is None)
        self.import_note.setVisible(hq is not None)
        if hq is not None:
            self.import_note.setText(
                f"This laptop takes its roster from HQ ({hq}), so there is no roster file to import here: HR's "
                "file is imported at HQ, in the console's Roster page, and reaches this laptop at its next sync."
            )
        self.import_button.setAccessibleDescription(self.import_note.text() if hq else "")

    def refresh(self) -> None:
        self._stale = False
        self._show_whether_a_file_may_be_imported()
        rows = roster.headcount_by_unit(self.db)
        self.table.setRowCount(len(rows))
        for row, unit in enumerate(rows):
            level = f" ({unit.level})" if unit.level else ""
            self.table.setItem(row, 0, QTableWidgetItem(f"{_INDENT * unit.depth}{unit.name}{level}"))
            count = QTableWidgetItem(str(unit.people))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, count)
        total = roster.count_people(self.db)
        self.explanation.setText(f"{total} people this laptop can register, by unit.")

    def _on_exempt_clicked(self) -> None:
        assert self.workspace is not None
        from trainer_desk.lesson_content import load_plans

        programmes = {p.programme.id: p.programme.name for p in load_plans(self.workspace.paths).plans}
        dialog = ExemptionDialog(self, programmes)
        dialog.submitted.connect(self._save_exemption)
        dialog.open()
        self.exemption_dialog = dialog

    def _save_exemption(self, number: str, programme_id: str, kind: ExemptionKind, reason: str) -> None:
        """On the database worker; the dialog closes once it is saved, or says why it was not."""
        assert self.workspace is not None and self.tasks is not None
        db, now, dialog = self.workspace.writer, self.workspace.clock(), self.exemption_dialog
        actor = "roster view"
        self.tasks.run_db(
            lambda: exemptions.record(db, number, programme_id, kind, reason, actor, now),
            on_success=lambda _uuid: self._on_exemption_saved(number, kind),
            on_failure=lambda error: dialog.show_refusal(str(error)) if dialog else None,
        )

    def _on_exemption_saved(self, number: str, kind: ExemptionKind) -> None:
        if self.exemption_dialog is not None:
            self.exemption_dialog.accept()
        if self.changes is not None:  # reports count them apart now; the record waits to go to HQ
            self.changes.announce(Change.ROSTER, Change.SYNC)
        self.explanation.setText(f"Recorded: {number} {kind.label}.")

    def _on_import_clicked(self) -> None:
        dialog = file_chooser(
            self, "Import roster", "Import roster: choose the HR export", FILE_FILTER, QFileDialog.AcceptMode.AcceptOpen
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        assert self.workspace is not None
        paths = self.workspace.paths
        dialog.setDirectory(str(last_folder(paths, ROSTER)))
        dialog.fileSelected.connect(lambda chosen: remember_folder(paths, ROSTER, Path(chosen)))
        dialog.fileSelected.connect(lambda chosen: self.check_file(Path(chosen)))
        dialog.open()
        self.file_dialog = dialog

    def check_file(self, path: Path) -> None:
        """Read and check the file on a worker; the summary and the question follow on the UI thread."""
        assert self.workspace is not None and self.tasks is not None
        workspace = self.workspace
        self.import_button.setEnabled(False)
        self.explanation.setText(f"Checking {path.name}…")
        self.tasks.run_io(
            lambda: plan_roster_import(workspace, path), on_success=self._on_checked, on_failure=self._on_failed
        )

    def _on_checked(self, plan: RosterImportPlan) -> None:
        self.explanation.setText(f"Checked {plan.path.name}: {plan.summary()} Nothing has changed yet.")
        dialog = RosterImportDialog(plan, self)
        dialog.confirmed.connect(self.apply)
        dialog.finished.connect(lambda _result: self._show_whether_a_file_may_be_imported())
        dialog.open()
        self.confirm_dialog = dialog

    def apply(self, plan: RosterImportPlan) -> None:
        """Write the import on the database worker; the shrink the trainer confirmed is the one allowed."""
        assert self.workspace is not None and self.tasks is not None
        writer, now = self.workspace.writer, self.workspace.clock()
        allow = plan.changes.shrink.needs_confirmation
        self.import_button.setEnabled(False)
        self.explanation.setText(f"Importing {plan.path.name}…")
        self.tasks.run_db(
            lambda: roster.replace_roster(writer, plan.read.people, now=now, actor="roster view", allow_shrink=allow),
            on_success=self._on_imported,
            on_failure=self._on_failed,
        )

    def _on_imported(self, changes: RosterChanges) -> None:
        self._show_whether_a_file_may_be_imported()
        self.refresh()
        if self.changes is not None:  # the register and Reports show the roster too
            self.changes.announce(Change.ROSTER)
        self.explanation.setText(
            f"Roster imported: {len(changes.added)} added, {len(changes.updated)} updated, "
            f"{len(changes.left)} marked as left, {changes.unchanged} unchanged. " + self.explanation.text()
        )
        self.roster_imported.emit(changes)

    def _on_failed(self, error: Exception) -> None:
        self._show_whether_a_file_may_be_imported()
        fault = "Something went wrong inside Trainer Desk; this is a fault in the program, not in the file."
        known = error if isinstance(error, UserFacingError) else None  # a fault is logged with its traceback
        first = (str(known) if known else fault).splitlines()[0]
        self.explanation.setText("Nothing was imported: " + after_colon(first))
        box = RosterProblemsDialog(known, fault, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.problem_box = box
