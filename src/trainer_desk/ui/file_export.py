"""Saving a report to a file, wherever it is asked for (the Reports view, a register's Attendance sheet button):
where to save it is asked in one dialog that works from the keyboard, the file is built and written on a
worker with a connection of its own, and each export is kept in the audit trail."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget
from shiboken6 import isValid

from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.lesson_content import load_programme_rules
from trainer_desk.report_jobs import ExportRequest, build_and_write, default_name, find_session
from trainer_desk.store import audit
from trainer_desk.store.connection import as_database
from trainer_desk.ui.file_chooser import file_chooser
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


class FileExport(QObject):
    started = Signal()
    saved = Signal(str)  # the file written
    finished = Signal(str)  # what to tell the trainer: where it was saved, or why it was not

    def __init__(self, parent: QWidget, workspace: Workspace, tasks: TaskRunner, library: PlanLibrary, by: str):
        """`by`: where the export was asked for, as the audit trail names it."""
        super().__init__(parent)
        self.parent_widget = parent
        self.workspace = workspace
        self.tasks = tasks
        self.library = library
        self.by = by

    def ask_where(self, request: ExportRequest) -> QFileDialog:
        """Ask where to save `request`, suggesting its usual name in the home folder; exports once chosen."""
        session = (
            find_session(self.workspace.db, request.session)
            if request.session and request.kind != "compliance"
            else None
        )
        suggested = str(Path.home() / default_name(request, session, self.workspace.settings.protective_marking))
        kind = "PDF (*.pdf)" if request.format == "pdf" else "CSV (*.csv)"
        save = QFileDialog.AcceptMode.AcceptSave
        dialog = file_chooser(self.parent_widget, "Export", "Export: choose where to save", kind, save)
        dialog.selectFile(suggested)
        dialog.fileSelected.connect(lambda chosen: self.export(replace(request, output=Path(chosen))))
        dialog.open()  # the app keeps running (and syncing) while the trainer picks a folder
        return dialog

    def export(self, request: ExportRequest) -> None:
        """Build and write the file on a worker with its own connection; record it in the audit trail. The
        audit entry does not depend on this object: a register closed while its sheet is written still has the
        sheet's export in the trail."""
        workspace, library, tasks, by = self.workspace, self.library, self.tasks, self.by

        def job() -> tuple[Path, str]:
            db = as_database(workspace.connector.connect(workspace.paths.database, read_only=True))
            try:
                rules = load_programme_rules(workspace.paths)
                return build_and_write(db, workspace.settings, library, request, Path.home(), rules)
            finally:
                db.conn.close()

        def written(result: tuple[Path, str]) -> None:
            target, detail = result
            db, now = workspace.writer, workspace.clock()
            tasks.run_db(lambda: audit.record(db, "export", by, detail, now))
            if isValid(self):
                self.finished.emit(f"Saved to {target}.")
                self.saved.emit(str(target))

        def failed(error: Exception) -> None:
            if isValid(self):
                self.finished.emit(f"Not exported: {error}")

        self.started.emit()
        tasks.run_io(job, on_success=written, on_failure=failed)
