"""Taking the register: find people as you type, scan a card, add walk-ins, set statuses, hand over to
self sign-in and the feedback form, and close the session.

Reads come from the UI's connection (each search is an index range scan, well under a frame); every write
goes to the database worker and the table is refreshed from what was committed, so 'saved' means saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.feedback import Feedback
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.people import Person, normalise_staff_number
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import attendance, delivery, feedback, roster, sessions, units
from trainer_desk.store.attendance import RegisterLine
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.kiosk_window import KioskWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.walk_in_dialog import WalkInDialog
from trainer_desk.workspace import Workspace

STATUSES = list(AttendanceStatus)
STATUS_COLUMN = 3


class StatusDelegate(QStyledItemDelegate):
    """A status is plain text in the table (cheap to draw on every mark) and a list only while edited."""

    def __init__(self, window: RegisterWindow) -> None:
        super().__init__(window.table)
        self.window = window

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
        assert isinstance(editor, QComboBox)
        self.window._on_status_edited(index.row(), STATUSES[editor.currentIndex()])


class RegisterWindow(QMainWindow):
    register_changed = Signal()

    def __init__(self, workspace: Workspace, tasks: TaskRunner, session: Session, plan: LessonPlan | None) -> None:
        super().__init__()
        self.workspace = workspace
        self.tasks = tasks
        self.session = session
        self.plan = plan
        self.recorded_by = session.trainers[0] if session.trainers else "unknown"
        self.lines: list[RegisterLine] = []
        self.kiosk: KioskWindow | None = None
        self.feedback_form: FeedbackWindow | None = None
        title = plan.title if plan else session.plan.plan_id
        self.setWindowTitle(f"Register: {title} - Trainer Desk")
        self.setAccessibleName("Register")
        self.resize(1100, 720)

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.search = QLineEdit()
        self.search.setAccessibleName("Find a person or scan a staff number")
        self.search.setPlaceholderText("Type a name or staff number, or scan a card; Enter adds the person")
        self.search.setStyleSheet("font-size: 15pt; padding: 6px;")
        self.results = QListWidget()
        self.results.setAccessibleName("People found")
        self.results.setMaximumHeight(220)
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.notice.hide()
        self.add_anyway = QPushButton("Add anyway")
        self.add_anyway.setAccessibleName("Add this person anyway")
        self.dont_add = QPushButton("Don't add")
        self.dont_add.setAccessibleName("Do not add this person")
        for button in (self.add_anyway, self.dont_add):
            button.hide()
        self.pending: Person | None = None

        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName("Attendees")
        self.table.setHorizontalHeaderLabels(["Staff number", "Name", "Unit", "Status", "Marked", "Walk-in"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.DoubleClicked | QTableWidget.EditTrigger.EditKeyPressed)
        self.table.setItemDelegateForColumn(STATUS_COLUMN, StatusDelegate(self))
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.totals = QLabel()
        self.totals.setAccessibleName("Totals")
        # A new count must not re-lay out (and so repaint) the whole window on every mark.
        self.totals.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

        buttons = QHBoxLayout()
        self.commands: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("all", "Mark all present", self.mark_all_present),
            ("walk_in", "Add a walk-in…", self.add_walk_in),
            ("kiosk", "Self sign-in…", self.start_kiosk),
            ("feedback", "Feedback form…", self.open_feedback),
            ("close", "Close session…", self.close_session),
        ):
            button = QPushButton(text)
            button.setAccessibleName(text.rstrip("…"))
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.commands[key] = button

        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.add_anyway)
        notice_row.addWidget(self.dont_add)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addWidget(self.results)
        layout.addLayout(notice_row)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.results.itemActivated.connect(lambda item: self.add_person(item.data(Qt.ItemDataRole.UserRole)))
        self.add_anyway.clicked.connect(self._on_add_anyway_clicked)
        self.dont_add.clicked.connect(self._clear_notice)
        QShortcut(QKeySequence("Ctrl+L"), self, lambda: self.search.setFocus())
        QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, lambda: self.results.setFocus())
        for number, status in enumerate(STATUSES, start=1):
            status_key = QShortcut(QKeySequence(str(number)), self.table, lambda s=status: self._on_status_key(s))
            status_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    # --- reading --------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.session = sessions.get_session(self.workspace.db, self.session.uuid) or self.session
        closed = self.session.status is SessionStatus.CLOSED
        self.heading.setText(
            f"<h2>{self.windowTitle().split(' - ')[0]}</h2>{self.session.starts_at:%a %d %b %Y %H:%M} · "
            f"{self.session.venue} · {self.session.unit_code}"
            + (" · <b>closed</b>: changes are corrections and need a reason" if closed else "")
        )
        for key in ("all", "kiosk", "close"):
            self.commands[key].setEnabled(not closed)
        shown = [(line.attendance.uuid, line.attendance.version) for line in self.lines]
        self.lines = attendance.register(self.workspace.db, self.session.uuid)
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            unchanged = row < len(shown) and shown[row] == (line.attendance.uuid, line.attendance.version)
            if not unchanged or self.table.item(row, STATUS_COLUMN) is None:
                self._show_line(row, line)  # only new and changed lines are redrawn: marking stays instant
        counts = {s: sum(1 for line in self.lines if line.attendance.status is s) for s in STATUSES}
        self.totals.setText(
            f"{len(self.lines)} on the register: " + ", ".join(f"{counts[s]} {s.label.lower()}" for s in STATUSES)
        )

    def _show_line(self, row: int, line: RegisterLine) -> None:
        record = line.attendance
        cells = (
            record.staff_number,
            line.name,
            record.unit_code,
            record.status.label,
            f"{record.marked_at.astimezone():%H:%M}",
            "walk-in" if record.walk_in else "",
        )
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column == STATUS_COLUMN:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                item.setToolTip("Double-click, or press 1 present, 2 late, 3 left early, 4 absent")
            else:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, column, item)

    def _on_status_edited(self, row: int, status: AttendanceStatus) -> None:
        if 0 <= row < len(self.lines):
            self._on_status_chosen(self.lines[row].attendance, status)

    def _on_status_key(self, status: AttendanceStatus) -> None:
        for index in self.table.selectionModel().selectedRows():
            self._on_status_edited(index.row(), status)

    def _on_search_text_changed(self, text: str) -> None:
        self.results.clear()
        on_register = {line.attendance.staff_number for line in self.lines}
        for person in roster.search_people(self.workspace.db, text):
            here = " (on the register)" if person.staff_number in on_register else ""
            item = QListWidgetItem(f"{person.full_name} · {person.staff_number} · {person.unit_code}{here}")
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def _on_search_return_pressed(self) -> None:
        """A scanner types the number and Enter: an exact staff number is marked present in one step."""
        typed = normalise_staff_number(self.search.text())
        exact = roster.get_person(self.workspace.db, typed) if typed else None
        if exact is not None:
            self.add_person(exact)
        elif self.results.currentItem() is not None:
            self.add_person(self.results.currentItem().data(Qt.ItemDataRole.UserRole))
        elif typed:
            self.show_message(f"No one with staff number {typed} is on the roster. Add them as a walk-in?")

    # --- writing --------------------------------------------------------------------------------
    def add_person(self, person: Person, walk_in: bool = False, checked: bool = False) -> None:
        if any(line.attendance.staff_number == person.staff_number for line in self.lines):
            self.show_message(f"{person.full_name} is already on the register.")
            self._reset_search()
            return
        if not checked:
            done = attendance.previous_completion(
                self.workspace.db, person.staff_number, self.session.plan.programme_id, self.session.uuid
            )
            if done is not None:
                self.pending = person
                self.notice.setText(
                    f"{person.full_name} already completed this programme on {done:%d %b %Y}. Add them again?"
                )
                for widget in (self.notice, self.add_anyway, self.dont_add):
                    widget.show()
                self.add_anyway.setFocus()
                return
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: attendance.add_attendee(
                db, session, person, AttendanceStatus.PRESENT, self.recorded_by, now, walk_in=walk_in
            ),
            f"Saved: {person.full_name} present.",
        )
        self._reset_search()

    def _on_add_anyway_clicked(self) -> None:
        if self.pending is not None:
            self.add_person(self.pending, checked=True)
        self._clear_notice()

    def _clear_notice(self) -> None:
        self.pending = None
        for widget in (self.notice, self.add_anyway, self.dont_add):
            widget.hide()
        self.search.setFocus()

    def _on_status_chosen(self, record: Any, status: AttendanceStatus) -> None:
        reason = ""
        if self.session.status is SessionStatus.CLOSED and status != record.status:
            reason, ok = QInputDialog.getText(self, "Correct the register", "Why is this being corrected?")
            if not ok or not reason.strip():
                self.refresh()
                return
        self.set_status(record, status, reason)

    def set_status(self, record: Any, status: AttendanceStatus, reason: str = "") -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: attendance.change_status(db, session, record, status, self.recorded_by, now, reason),
            f"Saved: {status.label.lower()}.",
        )

    def mark_all_present(self) -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: attendance.mark_all(db, session, AttendanceStatus.PRESENT, self.recorded_by, now),
            "Saved: everyone marked present.",
        )

    def add_walk_in(self) -> WalkInDialog:
        dialog = WalkInDialog(self, units.list_units(self.workspace.db), normalise_staff_number(self.search.text()))
        dialog.accepted.connect(lambda: self._on_walk_in_accepted(dialog))
        dialog.open()
        return dialog

    def _on_walk_in_accepted(self, dialog: WalkInDialog) -> None:
        if dialog.person is not None:
            self.add_person(dialog.person, walk_in=True, checked=True)

    def _write(self, work: Callable[[], object], saved: str) -> None:
        self.tasks.run_db(work, on_success=lambda _r: self._on_written(saved), on_failure=self._on_write_failed)

    def _on_written(self, saved: str) -> None:
        self.refresh()
        self.show_message(saved)
        self.register_changed.emit()

    def _on_write_failed(self, error: Exception) -> None:
        self.refresh()
        text = error.message if isinstance(error, UserFacingError) else f"Not saved: {error}"
        self.show_message(text)

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _reset_search(self) -> None:
        self.search.clear()
        self.search.setFocus()

    # --- kiosk, feedback, closing ---------------------------------------------------------------
    def start_kiosk(self, pin: str | None = None) -> KioskWindow | None:
        if pin is None:
            pin, ok = QInputDialog.getText(
                self, "Self sign-in", "Choose a PIN (4 or more digits) to leave sign-in:", QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
        if len(pin) < 4 or not pin.isdigit():
            self.show_message("The PIN must be 4 or more digits.")
            return None
        heading = self.plan.title if self.plan else "Training session"
        self.kiosk = KioskWindow(pin, heading)
        self.kiosk.number_entered.connect(self._on_kiosk_number_entered)
        self.kiosk.unlocked.connect(self.refresh)
        self.kiosk.showFullScreen()
        self.kiosk.entry.setFocus()
        return self.kiosk

    def _on_kiosk_number_entered(self, number: str) -> None:
        kiosk = self.kiosk
        if kiosk is None:
            return
        person = roster.get_person(self.workspace.db, number)
        if person is None:
            kiosk.show_reply("That number was not found. Please see the trainer.", good=False)
            return
        shown = f"{person.forename} {person.surname[:1]}."
        if any(line.attendance.staff_number == number for line in self.lines):
            kiosk.show_reply(f"You're already signed in, {shown}", good=True)
            return
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()

        def signed_in(_record: object) -> None:
            kiosk.show_reply(f"Welcome, {shown} You're signed in.", good=True)
            self._on_written("Saved.")

        self.tasks.run_db(
            lambda: attendance.add_attendee(db, session, person, AttendanceStatus.PRESENT, "self sign-in", now),
            on_success=signed_in,
            on_failure=lambda error: kiosk.show_reply(f"Not saved ({error}). Please see the trainer.", good=False),
        )

    def open_feedback(self) -> FeedbackWindow | None:
        if self.plan is None:
            self.show_message("This session's lesson plan is not on this laptop, so its feedback form cannot open.")
            return None
        self.feedback_form = FeedbackWindow(self.plan, self.session.uuid)
        self.feedback_form.submitted.connect(self._on_feedback_submitted)
        self.feedback_form.show()
        return self.feedback_form

    def _on_feedback_submitted(self, form: Feedback) -> None:
        db, now, window = self.workspace.writer, self.workspace.clock(), self.feedback_form
        assert window is not None
        self.tasks.run_db(
            lambda: feedback.save_feedback(db, form, now),
            on_success=lambda _r: window.show_saved(True),
            on_failure=lambda error: window.show_saved(False, str(error)),
        )

    def close_session(self, confirm: bool = True) -> None:
        section_ids = [s.id for s in self.plan.sections] if self.plan else []
        checklist = delivery.checklist_for(self.workspace.db, self.session, section_ids)
        if confirm:
            tick = {True: "✔", False: "✘"}
            text = (
                f"{tick[checklist.register_complete]} Register: {checklist.attendees} attendee(s)\n"
                f"{tick[checklist.feedback_collected]} Feedback: {checklist.feedback_forms} form(s)\n"
                f"{tick[checklist.timing_complete]} Timing log: {checklist.sections_timed} of "
                f"{len(section_ids)} section(s)\n\nClose the session and queue it for HQ?"
            )
            answer = QMessageBox.question(self, "Close the session", text)
            if answer != QMessageBox.StandardButton.Yes:
                return
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: delivery.close_session(db, session, checklist, self.recorded_by, now),
            "Session closed and queued for HQ.",
        )
