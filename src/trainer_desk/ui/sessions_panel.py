"""The Sessions view: the sessions on this laptop, newest first, each said as a person reads it, with what can
be done to the one selected: open its register, start or resume it, move, reassign or cancel one planned ahead,
or record one HQ refused for its unit again for this laptop's unit."""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QListWidget, QListWidgetItem, QMessageBox, QPushButton

from trainer_desk.core.booking_clash import PlanLengths
from trainer_desk.core.counted import counted
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.session_text import SessionState
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import planning, sessions, unit_correction
from trainer_desk.store.connection import Database
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.planned_session_dialog import CancelPlannedSessionDialog, ChangePlannedSessionDialog
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.unit_repair import ask_to_put_right, refusal_note
from trainer_desk.workspace import Workspace

_STATE = Qt.ItemDataRole.UserRole + 1  # a session's SessionState, as its line shows it
ACTOR = "sessions view"  # who changed a planned session, in the audit trail


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
        if (session := self._selected()) is not None:
            self.register_requested.emit(session)

    def _selected(self) -> Session | None:
        item = self.list.currentItem()
        session = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        return session if isinstance(session, Session) else None

    def _selected_planned(self) -> Session | None:
        session = self._selected()
        return session if session is not None and session.status is SessionStatus.PLANNED else None

    def _selected_stopped(self) -> Session | None:
        item = self.list.currentItem()
        stopped = item is not None and item.data(_STATE) == SessionState.STOPPED  # stored, it comes back as text
        return self._selected() if stopped else None

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
        session = self._selected()
        return session if session is not None and self.hq_takes.needs_put_right(session) else None

    def _on_unit_clicked(self) -> None:
        if (session := self._selected_to_put_right()) is None or self.workspace is None or self.tasks is None:
            return
        describer = SessionDescriber.read(self.db, self.library, None)
        self.unit_question = ask_to_put_right(
            self, self.workspace, self.tasks, session, describer.unit_name, self._on_unit_put_right
        )

    def _on_unit_put_right(self, message: str) -> None:
        self._show_changed(message)

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
        self._show_changed(message)

    def _show_changed(self, message: str) -> None:
        """A session changed here: every view showing sessions (and Sync's count of what waits for HQ) reads
        it again, this one too, and this one says what was done."""
        if self.changes is not None:
            self.changes.announce(Change.SESSIONS, Change.SYNC)
        else:
            self.refresh()
        self.explanation.setText(message)

    def _describe(self, session: Session) -> str:
        return SessionDescriber.read(self.db, self.library, None).describe(session)
