"""Taking the register: the window that puts together the search (people found as you type, a card scanned),
the table of attendees, walk-ins, removal with undo, the handover to self sign-in and the feedback form, and
closing the session (with scanned people still waiting for an answer: `register_waiting`); and the writes each
of them makes.

Reads come from the UI's connection (each search is an index range scan, well under a frame); every write
goes to the database worker and the table is refreshed from what was committed, so 'saved' means saved.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.attendance import Attendance, AttendanceStatus
from trainer_desk.core.errors import UserFacingError, WriteFailedError
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.people import Person
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.register_rows import STATUSES, is_booked, line_cells, place_of, status_word, totals_text
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.report_jobs import ExportRequest
from trainer_desk.store import attendance, sessions, units
from trainer_desk.store.attendance import RegisterLine
from trainer_desk.ui.attendees_table import STATUS_COLUMN, AttendeesTable
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.correction_dialog import ask_for_correction
from trainer_desk.ui.enter_presses import EnterPressesButtons
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.file_export import FileExport
from trainer_desk.ui.flow_row import FlowRow
from trainer_desk.ui.kiosk_window import KioskWindow
from trainer_desk.ui.not_saved_banner import NotSavedBanner, Unsaved, arrival_key
from trainer_desk.ui.register_removal import RegisterRemoval
from trainer_desk.ui.register_search import RegisterSearch
from trainer_desk.ui.register_waiting import PeopleWaiting
from trainer_desk.ui.register_walk_ins import RegisterWalkIns
from trainer_desk.ui.room_handover import RoomHandover
from trainer_desk.ui.screen_fit import WORKING_WINDOW, ScrollingBody, fit_to_screen
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.shortcuts import CLOSE_REGISTER_KEY
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

__all__ = ["STATUS_COLUMN", "RegisterWindow"]  # the column tests and other windows read a status from


class RegisterWindow(EnterPressesButtons, QMainWindow):
    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        session: Session,
        plan: LessonPlan | None,
        changes: ChangeChannel | None = None,
    ) -> None:
        super().__init__()
        self.changes = changes or ChangeChannel()
        self.workspace = workspace
        self.tasks = tasks
        self.session = session
        self.plan = plan
        self.recorded_by = session.trainers[0] if session.trainers else "unknown"
        self.lines: list[RegisterLine] = []
        self.unit_names: dict[str, str] = {}  # by code: the register shows units by name, as the printed sheet does
        self._announcing = False
        title = plan.title if plan else session.plan.plan_id
        self.setWindowTitle(f"Register: {title} - Trainer Desk")
        self.setAccessibleName("Register")
        fit_to_screen(self, WORKING_WINDOW)  # the buttons below the table wrap onto a second line to fit

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.finder = RegisterSearch(self)
        self.search, self.results, self.notice = self.finder.search, self.finder.results, self.finder.notice
        self.question, self.add_anyway = self.finder.question, self.finder.add_anyway  # about someone scanned
        self.dont_add = self.finder.dont_add
        self.walk_ins = RegisterWalkIns(self)
        self.removal = RegisterRemoval(self)
        self.undo = self.removal.undo
        self.handover = RoomHandover(self)
        self.waiting = PeopleWaiting(self)  # scanned people waiting for an answer, and closing with them
        # Every write that fails, named, until saved or dismissed.
        self.not_saved = NotSavedBanner(tasks, lambda error, unsaved: self.show_write_failed(error, unsaved))

        self.table = AttendeesTable()
        self.table.status_chosen.connect(self._on_table_status_chosen)
        self.totals = QLabel()
        self.totals.setAccessibleName("Totals")
        # A new count must not re-lay out (and so repaint) the whole window on every mark.
        self.totals.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        # Said on the window, not only in a tooltip: a first-time trainer looked for how to mark someone late.
        self.status_hint = QLabel(
            "Late, or leaving early? Select their line and press 2 (late) or 3 (left early); 1 is present, 4 absent."
            " Or double-click their status."
        )
        self.status_hint.setAccessibleName("How to change someone's status")
        self.status_hint.setWordWrap(True)

        buttons = FlowRow()
        self.commands: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("all", "Mark all present", self.mark_all_present),
            ("walk_in", "Add a walk-in…", self.walk_ins.open_form),
            ("remove", "Remove…", self.removal.remove_selected),
            ("kiosk", "Self sign-in…", self.handover.start_kiosk),
            ("feedback", "Feedback form…", self.handover.open_feedback),
            ("paper", "Paper forms…", self.handover.open_paper_forms),
            ("close", "Close session…", self.waiting.close_session),
            ("sheet", "Attendance sheet…", self.save_attendance_sheet),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            button.clicked.connect(lambda _checked=False, act=slot: act())  # `checked` never reaches a slot
            buttons.addWidget(button)
            self.commands[key] = button
        self.commands["paper"].setAccessibleName("Key in paper feedback forms")
        self.commands["paper"].setToolTip("Type in the printed feedback forms the room filled in, one row per form")
        self.commands["sheet"].setAccessibleName("Save the attendance sheet as a PDF")
        self.commands["sheet"].setToolTip("The register as the unit keeps it: print it, or keep the PDF")
        # Saved where the Reports view saves it, in the same way, and kept in the audit trail as there.
        self.exporter = FileExport(self, workspace, tasks, PlanLibrary(plans=(plan,) if plan else ()), "register")
        self.exporter.started.connect(lambda: self.commands["sheet"].setEnabled(False))
        self.exporter.finished.connect(lambda _said: self.commands["sheet"].setEnabled(True))
        self.exporter.finished.connect(self.statusBar().showMessage)  # it stays: it says where the file is
        self.commands["remove"].setAccessibleName("Remove the selected attendee")
        self.commands["remove"].setToolTip("Take someone added by mistake off the register (Delete)")

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.not_saved)
        layout.addWidget(self.search)
        layout.addLayout(self.finder.notice_row(self.undo))  # what the search found, right under what was typed
        layout.addWidget(self.results)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.status_hint)
        layout.addLayout(buttons)
        # Scrolls as a whole where the screen is too short for it all (the Not saved banner on a small laptop):
        # squeezed instead, the banner's lines overlapped and the window grew past the screen's foot.
        body = ScrollingBody(central, "Register")
        body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the search keeps the keys: the page itself takes none
        self.setCentralWidget(body)

        QShortcut(QKeySequence("Ctrl+L"), self, lambda: self.search.setFocus())
        remove_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.removal.remove_selected)
        remove_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self.removal.bring_back)
        QShortcut(QKeySequence(CLOSE_REGISTER_KEY), self, self.waiting.close_from_keys)
        self.changes.changed.connect(self._on_data_changed)
        self.refresh()

    @property
    def kiosk(self) -> KioskWindow | None:
        """Self sign-in, once handed to the room."""
        return self.handover.kiosk

    @property
    def feedback_form(self) -> FeedbackWindow | None:
        """The feedback form, once handed to the room."""
        return self.handover.feedback_form

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.session = sessions.get_session(self.workspace.db, self.session.uuid) or self.session
        closed = self.session.status is SessionStatus.CLOSED
        cancelled = self.session.status is SessionStatus.CANCELLED  # it never ran: its register says who was booked
        describer = SessionDescriber.read(self.workspace.db, PlanLibrary(plans=(self.plan,) if self.plan else ()))
        self.heading.setText(
            f"<h2>{html.escape(self.windowTitle().split(' - ')[0])}</h2>{html.escape(describer.describe(self.session))}"
            + ("<br><b>Closed</b>: changes are corrections and need a reason" if closed else "")
            + (
                "<br><b>Cancelled</b>: it did not run, and nothing can be recorded here. The people below were "
                "booked on it: book them on another session."
                if cancelled
                else ""
            )
        )
        for key, button in self.commands.items():
            button.setEnabled(not cancelled and not (closed and key in ("all", "kiosk", "close")))
        self.finder.set_cancelled(cancelled)
        self.status_hint.setVisible(not cancelled)
        if cancelled:
            self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        shown = [(line.attendance.uuid, line.attendance.version) for line in self.lines]
        self.unit_names = {unit.code: unit.name for unit in units.list_units(self.workspace.db)}
        self.lines = attendance.register(self.workspace.db, self.session.uuid)
        self._fit_columns()
        self.table.show_row_count(len(self.lines))
        for row, line in enumerate(self.lines):
            unchanged = row < len(shown) and shown[row] == (line.attendance.uuid, line.attendance.version)
            if not unchanged or self.table.item(row, STATUS_COLUMN) is None:
                self._show_line(row, line)  # only new and changed lines are redrawn: marking stays instant
        self._show_totals()

    def _fit_columns(self) -> None:
        self.table.fit_columns(
            [line.attendance.staff_number for line in self.lines],
            self.unit_names.values(),
            [status_word(s, self.session.status) for s in STATUSES],
        )

    def changeEvent(self, event: QEvent) -> None:
        """Larger type (a setting, or the desktop's scaling) widens the columns to match."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):  # not while being built
            self._fit_columns()

    def _show_line(self, row: int, line: RegisterLine) -> None:
        record = line.attendance
        unit = self.unit_names.get(record.unit_code, record.unit_code)
        self.table.show_cells(row, line_cells(record, line.name, unit, self.session.status))

    def _show_committed(self, record: Attendance, name: str) -> None:
        """Put one committed line in its place: replacing the row that shows it, or added in the order the
        register reads (by the time marked: a new line goes at the end, one brought back by Undo where it was).
        A line written without its name is named as the register reads it, never by its number."""
        row = next((i for i, line in enumerate(self.lines) if line.attendance.uuid == record.uuid), len(self.lines))
        name = name or (self.lines[row].name if row < len(self.lines) else "")
        if not name:
            stored = attendance.register_line(self.workspace.db, record.uuid)
            if stored is None or not stored.name:  # gone again, or nameless: what the database holds is shown
                self.refresh()
                return
            name = stored.name
        line = RegisterLine(record, name)
        if row < len(self.lines):
            self.lines[row] = line
        else:
            row = place_of(record.marked_at, [shown.attendance.marked_at for shown in self.lines])
            self.lines.insert(row, line)
            self.table.insert_line_row(row)
        self._show_line(row, line)
        self._show_totals()

    def _show_totals(self) -> None:
        self.totals.setText(totals_text((line.attendance.status for line in self.lines), self.session.status))

    def _on_data_changed(self, changed: frozenset[Change]) -> None:
        """A sync brought roster changes, another window changed this session: show what is there now."""
        if changed & {Change.ATTENDANCE, Change.SESSIONS, Change.ROSTER} and not self._announcing:
            self.refresh()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def line_of(self, staff_number: str) -> RegisterLine | None:
        return next((line for line in self.lines if line.attendance.staff_number == staff_number), None)

    def is_booked(self, line: RegisterLine) -> bool:
        """Booked ahead and not yet arrived: arriving marks them present rather than counting as there."""
        return is_booked(line.attendance.status, self.session.status)

    def save_attendance_sheet(self) -> QFileDialog:
        """Ask where to save this session's attendance sheet (PDF), then write it in the background."""
        return self.exporter.ask_where(ExportRequest(kind="attendance", session=self.session.uuid))

    # --- writing --------------------------------------------------------------------------------
    def arrival(
        self, person: Person, line: RegisterLine | None, by: str, walk_in: bool = False, reason: str = ""
    ) -> Callable[[], Any]:
        """The one write for someone arriving, from the search, a scan or self sign-in: a booked line becomes
        present, anyone else is added present (with `reason` once the session is closed). The caller has
        checked they are not already signed in."""
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        if line is not None:
            record = line.attendance
            return lambda: attendance.change_status(db, session, record, AttendanceStatus.PRESENT, by, now)
        return lambda: attendance.add_attendee(
            db, session, person, AttendanceStatus.PRESENT, by, now, walk_in=walk_in, reason=reason
        )

    def add_person(self, person: Person, walk_in: bool = False, checked: bool = False) -> None:
        line = self.line_of(person.staff_number)
        if line is not None and not self.is_booked(line):
            self.finder.reset()
            self.finder.say(f"{person.full_name} is already on the register.")
            return
        if not checked and self.waiting.waits_for_answer(person, line):
            return
        if self.session.status is SessionStatus.CLOSED:  # adding to a closed register is a correction
            ask_for_correction(
                self,
                f"Why is {person.full_name} being added now?",
                lambda reason: self._add(person, line, walk_in, reason),
            )
            self.finder.reset()
            return
        self._add(person, line, walk_in)
        self.finder.reset()

    def _add(self, person: Person, line: RegisterLine | None, walk_in: bool, reason: str = "") -> None:
        self.finder.found(person.staff_number)
        self.write(
            self.arrival(person, line, self.recorded_by, walk_in, reason),
            f"Saved: {person.full_name} present.",
            name=person.full_name,
            what=f"{person.full_name} ({person.staff_number})",
            key=arrival_key(person.staff_number),
        )

    def _on_table_status_chosen(self, row: int, status: AttendanceStatus) -> None:
        if 0 <= row < len(self.lines):
            self.choose_status(self.lines[row].attendance, status)

    def choose_status(self, record: Attendance, status: AttendanceStatus) -> None:
        """A status chosen for a line: set at once while the session is open, a correction with a reason after."""
        if self.session.status is SessionStatus.CLOSED and status != record.status:
            line = self.line_of(record.staff_number)
            who = f"{line.name} ({record.staff_number})" if line is not None else record.staff_number
            question = (
                f"Correct {who} from {record.status.label.lower()} to {status.label.lower()}.\n\n"
                "Why is this being corrected?"
            )  # named: on a long register, the wrong line chosen is caught here
            ask_for_correction(self, question, lambda reason: self.set_status(record, status, reason))
            return
        self.set_status(record, status)

    def set_status(self, record: Attendance, status: AttendanceStatus, reason: str = "") -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        line = self.line_of(record.staff_number)
        who = line.name if line is not None else record.staff_number  # named: a slip of the arrow keys shows
        self.write(
            lambda: attendance.change_status(db, session, record, status, self.recorded_by, now, reason),
            f"Saved: {who}, {status_word(status, self.session.status).lower()}.",
        )

    def mark_all_present(self) -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self.write(
            lambda: attendance.mark_all(db, session, AttendanceStatus.PRESENT, self.recorded_by, now),
            "Saved: everyone marked present.",
        )

    def write(self, work: Callable[[], object], saved: str, name: str = "", what: str = "", key: str = "") -> None:
        """Run `work` on the database worker. When it answers with the one line it committed, only that row is
        redrawn (re-reading a full register would make every mark wait on it); anything else re-reads. If it
        fails, it is kept, named by `what` (by default what `saved` says was saved), to be tried again; once a
        write about `key` saves, what failed before about it leaves the banner."""
        unsaved = Unsaved(
            what or saved.removeprefix("Saved: ").rstrip("."),
            work,
            lambda result: self.show_written(saved, result, name),
            key,
        )

        def written(result: object) -> None:
            self.not_saved.saved(unsaved.about)
            self.show_written(saved, result, name)

        self.tasks.run_db(
            work, on_success=written, on_failure=lambda error: self.show_write_failed(error, unsaved), owner=self
        )

    def show_written(self, saved: str, result: object = None, name: str = "") -> None:
        """What a write committed, on screen, with `saved` said; the other views are told."""
        if isinstance(result, Attendance) and result.session_uuid == self.session.uuid:
            self._show_committed(result, name)
        else:
            self.refresh()
        self.show_message(saved)
        self._announcing = True  # the other views refresh; this one is up to date already
        try:
            self.changes.announce(Change.ATTENDANCE, Change.SESSIONS, Change.SYNC)
        finally:
            self._announcing = False

    def show_write_failed(self, error: Exception, unsaved: Unsaved) -> None:
        """The one way a failed write is said: on the banner, named, kept to be tried again. A refusal by the
        rules (someone found on the register after all, scanned twice with the first write saved; a cancelled
        session) is said as such, not as a failure: tried again, it would be refused again."""
        self.refresh()
        if isinstance(error, UserFacingError) and not isinstance(error, WriteFailedError):
            if isinstance(error, attendance.AlreadyRegisteredError):  # on it after all: nothing left to save
                self.not_saved.saved(unsaved.about)
            self.show_message(error.message)
            return
        self.not_saved.add(unsaved, error)

    # --- closing --------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing handed to the room outlives the register (the app is closing, or the trainer is done). The
        window's close button with scanned people still waiting for an answer asks first, naming them, Keep it
        open by default: they were scanned, and closing would leave them off the register unsaid."""
        lost = self.waiting.lost_on_closing()
        if event.spontaneous() and lost:
            event.ignore()
            self.waiting.ask_to_close_with_people_waiting(lost)
            return
        self.handover.close_all()
        super().closeEvent(event)
