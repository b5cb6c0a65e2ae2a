"""The panels behind the main window's navigation, each showing what the store holds for its area."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from functools import partial
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
)

from trainer_desk.core.booking_clash import PlanLengths
from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.session_text import SessionState
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import exemptions, planning, roster, sessions, unit_correction, units
from trainer_desk.store.connection import Database
from trainer_desk.store.enrollment import enrolled_hq
from trainer_desk.store.roster import RosterChanges
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.exemption_dialog import ExemptionDialog
from trainer_desk.ui.planned_session_dialog import CancelPlannedSessionDialog, ChangePlannedSessionDialog
from trainer_desk.ui.remembered_folders import ROSTER, last_folder, remember_folder
from trainer_desk.ui.roster_import_dialog import FILE_FILTER, RosterImportDialog, RosterImportPlan, plan_roster_import
from trainer_desk.ui.roster_problems_dialog import RosterProblemsDialog
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.unit_repair import ask_to_put_right, refusal_note
from trainer_desk.workspace import Workspace

_STATE = Qt.ItemDataRole.UserRole + 1  # a session's SessionState, as its line shows it


class SessionsPanel(AreaPanel):
    register_requested = Signal(object)  # Session
    start_requested = Signal(object)  # a planned Session, to deliver now
    resume_requested = Signal(object)  # a Session whose delivery stopped part-way, to go on with

    def __init__(
        self,
        db: Database,
        library: PlanLibrary | None = None,
        presenting: Callable[[], Collection[str]] | None = None,
        workspace: Workspace | None = None,
        tasks: TaskRunner | None = None,
        changes: ChangeChannel | None = None,
    ) -> None:
        """`library` gives plan titles (without it, plan ids show). `presenting` gives the sessions with a
        presenter open, so one closed without ending shows as stopped part-way (without it, as running).
        With a workspace, a task runner and the change channel, a planned session can also be changed or
        cancelled here."""
        super().__init__("Sessions", "")
        self.db = db
        self.library = library or PlanLibrary()
        self.presenting = presenting
        self.workspace, self.tasks, self.changes = workspace, tasks, changes
        self.change_dialog: ChangePlannedSessionDialog | None = None
        self.cancel_dialog: CancelPlannedSessionDialog | None = None
        self.list = QListWidget()
        self.list.setAccessibleName("Sessions on this laptop")
        # A session's line is long (date, plan, unit, room, state): wrapped, all of it stays readable.
        self.list.setWordWrap(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.open_register = QPushButton("Register and feedback…")
        self.open_register.setAccessibleName("Open the register and feedback for this session")
        self.open_register.clicked.connect(self._on_open_register_clicked)
        self.start_button = QPushButton("Start this session…")
        self.start_button.setAccessibleName("Start delivering the selected planned session")
        self.start_button.clicked.connect(self._on_start_clicked)
        can_change = workspace is not None and tasks is not None
        self.change_button = QPushButton("Move or reassign…")
        self.change_button.setAccessibleName("Move the selected planned session, or give it to other trainers")
        self.change_button.clicked.connect(self._on_change_clicked)
        self.change_button.setVisible(can_change)
        self.cancel_button = QPushButton("Cancel session…")
        self.cancel_button.setAccessibleName("Cancel the selected planned session")
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.cancel_button.setVisible(can_change)
        # A session HQ refused for its unit: recorded again for the unit this laptop records for, the only one
        # HQ takes from it; without it the session and its register never reached HQ.
        self.unit_button = QPushButton("Put the unit right…")
        self.unit_button.setAccessibleName("Record the selected session, which HQ did not take, for this laptop's unit")
        self.unit_button.clicked.connect(self._on_unit_clicked)
        self.can_change = can_change
        self.unit_button.setVisible(False)  # shown while a session here is for a unit HQ will not take from it
        self.unit_question: QMessageBox | None = None
        self.hq_takes = unit_correction.UnitsHqTakes(None, frozenset())  # read again at each refresh
        self.list.itemActivated.connect(lambda _item: self._on_open_register_clicked())
        self.list.currentItemChanged.connect(self._on_current_changed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.open_register)
        buttons.addWidget(self.change_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.unit_button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.list, 1)
        self.layout_.addLayout(buttons)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        found = sessions.list_sessions(self.db)
        describer = SessionDescriber.read(self.db, self.library, self.presenting() if self.presenting else None)
        refused, self.hq_takes = unit_correction.refused_sessions(self.db), unit_correction.UnitsHqTakes.read(self.db)
        for s in found:
            note = refusal_note(self.hq_takes, s, refused.get(s.uuid), describer.unit_name)
            item = QListWidgetItem(describer.describe(s) + note)
            item.setData(Qt.ItemDataRole.UserRole, s)
            item.setData(_STATE, describer.state(s))
            self.list.addItem(item)
        self.open_register.setEnabled(bool(found))
        self._on_current_changed()
        if found:
            self.list.setCurrentRow(0)
            other = [s for s in found if self.hq_takes.needs_put_right(s)]
            home = describer.unit_name(self.hq_takes.home or "")
            warning = unit_correction.other_units_warning(len(other), home, where=" with Put the unit right…")
            self.unit_button.setVisible(self.can_change and bool(other))
            listed = f"{counted(len(found), 'session')} on this laptop, newest first."
            self.explanation.setText(f"{listed} {warning}".strip())
        else:
            self.unit_button.setVisible(False)
            self.explanation.setText("No sessions on this laptop yet. Start one from a lesson plan in Lesson plans.")

    def _on_open_register_clicked(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.register_requested.emit(item.data(Qt.ItemDataRole.UserRole))

    def _selected_planned(self) -> Session | None:
        item = self.list.currentItem()
        session = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return session if isinstance(session, Session) and session.status is SessionStatus.PLANNED else None

    def _selected_stopped(self) -> Session | None:
        item = self.list.currentItem()
        stopped = item is not None and item.data(_STATE) == SessionState.STOPPED  # stored, it comes back as text
        return item.data(Qt.ItemDataRole.UserRole) if stopped else None

    def _on_current_changed(self, *_: object) -> None:
        """Only a session planned ahead (by this trainer, a lead or HQ) can be started, moved, reassigned or
        cancelled from here; one whose delivery stopped part-way (the app quit or failed mid-session) can be
        resumed with the same button."""
        planned = self._selected_planned() is not None
        for button in (self.change_button, self.cancel_button):
            button.setEnabled(planned)
        self.unit_button.setEnabled(self._selected_to_put_right() is not None)
        stopped = self._selected_stopped() is not None
        self.start_button.setEnabled(planned or stopped)
        if stopped:
            self.start_button.setText("Resume delivery…")
            self.start_button.setAccessibleName("Resume delivering the selected session where it stopped")
        else:
            self.start_button.setText("Start this session…")
            self.start_button.setAccessibleName("Start delivering the selected planned session")

    def _selected_to_put_right(self) -> Session | None:
        item = self.list.currentItem()
        session = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if isinstance(session, Session) and self.hq_takes.needs_put_right(session):
            return session
        return None

    def _on_unit_clicked(self) -> None:
        if (session := self._selected_to_put_right()) is None or self.workspace is None or self.tasks is None:
            return
        describer = SessionDescriber.read(self.db, self.library, None)
        self.unit_question = ask_to_put_right(
            self, self.workspace, self.tasks, session, describer.unit_name, self._on_unit_put_right
        )

    def _on_unit_put_right(self, message: str) -> None:
        if self.changes is not None:
            self.changes.announce(Change.SESSIONS, Change.SYNC)
        else:
            self.refresh()
        self.explanation.setText(message)

    def _on_start_clicked(self) -> None:
        if (session := self._selected_planned()) is not None:
            self.start_requested.emit(session)
        elif (session := self._selected_stopped()) is not None:
            self.resume_requested.emit(session)

    def _on_change_clicked(self) -> None:
        if (session := self._selected_planned()) is None:
            return
        dialog = ChangePlannedSessionDialog(self, session)
        dialog.submitted.connect(partial(self._save_change, session))
        dialog.open()
        self.change_dialog = dialog

    def _save_change(
        self, session: Session, starts: datetime, venue: str, trainers: tuple[str, ...], accepted: tuple[str, ...]
    ) -> None:
        """On the database worker: a move (time or room) and a reassignment, checked and saved as one version."""
        assert self.workspace is not None and self.tasks is not None
        db, now, dialog = self.workspace.writer, self.workspace.clock(), self.change_dialog
        lengths = PlanLengths.of(self.library.plans)
        self.tasks.run_db(
            lambda: planning.change(db, session, starts, venue, trainers, ACTOR, now, lengths, accepted),
            on_success=lambda changed: self._on_planned_changed(dialog, f"Changed: {self._describe(changed)}."),
            on_failure=lambda error: self._on_planned_refused(dialog, "Not changed", error),
        )

    def _on_cancel_clicked(self) -> None:
        if (session := self._selected_planned()) is None:
            return
        dialog = CancelPlannedSessionDialog(self, f"Cancel {self._describe(session)}?")
        dialog.submitted.connect(lambda reason: self._save_cancel(session, reason))
        dialog.open()
        self.cancel_dialog = dialog

    def _save_cancel(self, session: Session, reason: str) -> None:
        assert self.workspace is not None and self.tasks is not None
        db, now, dialog = self.workspace.writer, self.workspace.clock(), self.cancel_dialog
        self.tasks.run_db(
            lambda: planning.cancel(db, session, reason, ACTOR, now),
            on_success=lambda cancelled: self._on_planned_changed(dialog, f"Cancelled: {self._describe(cancelled)}."),
            on_failure=lambda error: self._on_planned_refused(dialog, "Not cancelled", error),
        )

    def _on_planned_refused(
        self, dialog: ChangePlannedSessionDialog | CancelPlannedSessionDialog | None, outcome: str, error: Exception
    ) -> None:
        """Said in the dialog, to put right there; said here when it was closed while the save was on its way."""
        if dialog is not None and dialog.isVisible():
            if isinstance(dialog, ChangePlannedSessionDialog):
                dialog.show_refusal(error)
            else:
                dialog.show_refusal(str(error))
        else:
            self.explanation.setText(f"{outcome}: {error}")

    def _on_planned_changed(self, dialog: QDialog | None, message: str) -> None:
        if dialog is not None and dialog.isVisible():  # closed meanwhile, as the person was told it would be kept
            dialog.accept()
        if self.changes is not None:
            self.changes.announce(Change.SESSIONS, Change.SYNC)
        else:
            self.refresh()
        self.explanation.setText(message)

    def _describe(self, session: Session) -> str:
        return SessionDescriber.read(self.db, self.library, None).describe(session)


ACTOR = "sessions view"  # who changed a planned session, in the audit trail


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
        counts = roster.count_by_unit(self.db)
        known = units.list_units(self.db)
        self.table.setRowCount(len(known))
        for row, unit in enumerate(known):
            self.table.setItem(row, 0, QTableWidgetItem(f"{unit.name} ({unit.kind.value})"))
            count = QTableWidgetItem(str(counts.get(unit.code, 0)))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, 1, count)
        self.explanation.setText(f"{sum(counts.values())} people this laptop can register, by unit.")

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
        dialog = QFileDialog(self)
        dialog.setWindowTitle("Import roster")
        dialog.setAccessibleName("Import roster: choose the HR export")
        dialog.setNameFilter(FILE_FILTER)
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same dialog everywhere, keyboard included
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        assert self.workspace is not None
        paths = self.workspace.paths
        dialog.setDirectory(str(last_folder(paths, ROSTER)))
        dialog.fileSelected.connect(lambda chosen: remember_folder(paths, ROSTER, Path(chosen)))
        dialog.fileSelected.connect(lambda chosen: self.check_file(Path(chosen)))
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
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
        # After the colon, "This laptop takes…" reads as a capital mid-sentence; a name such as HQ stays as it is.
        first = first[0].lower() + first[1:] if first[:2].istitle() else first
        self.explanation.setText("Nothing was imported: " + first)
        box = RosterProblemsDialog(known, fault, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        self.problem_box = box
