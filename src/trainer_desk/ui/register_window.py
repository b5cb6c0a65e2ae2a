"""Taking the register: find people as you type, scan a card, add walk-ins, set statuses, hand over to
self sign-in and the feedback form, and close the session.

Reads come from the UI's connection (each search is an index range scan, well under a frame); every write
goes to the database worker and the table is refreshed from what was committed, so 'saved' means saved.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
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

from trainer_desk.core.attendance import Attendance, AttendanceStatus
from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.feedback import Feedback
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.people import Person, normalise_staff_number
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.sessions import Session, SessionStatus, refuse_if_cancelled, was_delivered
from trainer_desk.report_jobs import ExportRequest
from trainer_desk.store import attendance, delivery, feedback, roster, sessions, units
from trainer_desk.store.attendance import RegisterLine
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.enter_presses import EnterPressesButtons
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.file_export import FileExport
from trainer_desk.ui.full_screen import show_full_screen
from trainer_desk.ui.kiosk_window import KioskWindow
from trainer_desk.ui.paper_forms_dialog import PaperFormsDialog
from trainer_desk.ui.people_list import show_people, typing_goes_to
from trainer_desk.ui.question import ask
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.table_columns import widen_to_fit
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.walk_in_dialog import WalkInDialog
from trainer_desk.workspace import Workspace

STATUSES = list(AttendanceStatus)
STATUS_COLUMN = 3
COLLAPSE_AFTER_MS = 1500  # the list of people found stays this long after a mark empties it, for the next scan
RESULT_LINES = 6  # the list of people found, when shown: a name shared by several people, with room to choose


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
        self.results.hide()  # no room taken until someone is found: the register below shows more lines
        # Emptied by a mark, the list goes once the scanning stops, not at each scan: the register under it would
        # jump up and back at every person, and each jump redraws all of it (a scan took 9 ms, not 3).
        self._collapse = QTimer(self, singleShot=True, interval=COLLAPSE_AFTER_MS)
        self._collapse.timeout.connect(self._collapse_results)
        self.notice = QLabel()
        self.notice.setAccessibleName("Notice")
        self.notice.setWordWrap(True)
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # it names people: a name is never markup
        self.notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.notice.hide()
        self.add_anyway = QPushButton("&Add anyway")  # Alt+A, from the search box where the keys stay
        self.add_anyway.setAccessibleName("Add this person anyway")
        self.dont_add = QPushButton("Don't add")
        self.dont_add.setAccessibleName("Do not add this person")
        for button in (self.add_anyway, self.dont_add):
            button.hide()
        self.pending: Person | None = None
        self.offer_walk_in = QPushButton("Add as a walk-in…")
        self.offer_walk_in.setAccessibleName("Add them as a walk-in")
        self.offer_walk_in.hide()

        self.table = QTableWidget(0, 6)
        self.table.setAccessibleName("Attendees")
        self.table.setTabKeyNavigation(False)  # Tab goes on to the buttons; the arrow keys move within it
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
        # Said on the window, not only in a tooltip: a first-time trainer looked for how to mark someone late.
        self.status_hint = QLabel(
            "Late, or leaving early? Select their line and press 2 (late) or 3 (left early); 1 is present, 4 absent."
            " Or double-click their status."
        )
        self.status_hint.setAccessibleName("How to change someone's status")
        self.status_hint.setWordWrap(True)

        buttons = QHBoxLayout()
        self.commands: dict[str, QPushButton] = {}
        for key, text, slot in (
            ("all", "Mark all present", self.mark_all_present),
            ("walk_in", "Add a walk-in…", self.add_walk_in),
            ("remove", "Remove…", self.remove_selected),
            ("kiosk", "Self sign-in…", self.start_kiosk),
            ("feedback", "Feedback form…", self.open_feedback),
            ("paper", "Paper forms…", self.open_paper_forms),
            ("close", "Close session…", self.close_session),
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
        self.undo = QPushButton("Undo")
        self.undo.setAccessibleName("Undo the removal")
        self.undo.hide()
        self.undo.clicked.connect(self._on_undo_clicked)
        self.removed: RegisterLine | None = None  # the line last removed, as it was, for Undo to bring back
        self.walk_in_forenames: dict[str, str] = {}  # by staff number, as typed in this window (else the whole name)

        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.add_anyway)
        notice_row.addWidget(self.dont_add)
        notice_row.addWidget(self.undo)
        notice_row.addWidget(self.offer_walk_in)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.heading)
        layout.addWidget(self.search)
        layout.addLayout(notice_row)  # what the search found, right under what was typed
        layout.addWidget(self.results)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.totals)
        layout.addWidget(self.status_hint)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self.results.itemActivated.connect(lambda item: self.add_person(item.data(Qt.ItemDataRole.UserRole)))
        typing_goes_to(self.results, self.search)
        self.add_anyway.clicked.connect(self._on_add_anyway_clicked)
        self.offer_walk_in.clicked.connect(lambda _checked=False: self.add_walk_in())
        self.dont_add.clicked.connect(self._clear_notice)
        QShortcut(QKeySequence("Ctrl+L"), self, lambda: self.search.setFocus())
        remove_key = QShortcut(QKeySequence(Qt.Key.Key_Delete), self.table, self.remove_selected)
        remove_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        QShortcut(QKeySequence.StandardKey.Undo, self, self._on_undo_clicked)
        # Down goes from the search box to the people found, and only from there: window-wide, it took Down
        # from the list itself (the arrows never moved) and from the attendees table.
        to_results = QShortcut(QKeySequence(Qt.Key.Key_Down), self.search, lambda: self.results.setFocus())
        to_results.setContext(Qt.ShortcutContext.WidgetShortcut)
        # Escape in the search box starts again: what was typed, the people found and any question about them go.
        # A shortcut, not an event filter: a filter would run Python for every key typed there.
        start_again = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self._start_search_again)
        start_again.setContext(Qt.ShortcutContext.WidgetShortcut)
        for number, status in enumerate(STATUSES, start=1):
            status_key = QShortcut(QKeySequence(str(number)), self.table, lambda s=status: self._on_status_key(s))
            status_key.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.changes.changed.connect(self._on_data_changed)
        self.refresh()

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
        self.search.setEnabled(not cancelled)
        self._show_results()
        self.status_hint.setVisible(not cancelled)
        if cancelled:
            self.search.setPlaceholderText("Cancelled: nothing can be recorded here")
            self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        shown = [(line.attendance.uuid, line.attendance.version) for line in self.lines]
        self.unit_names = {unit.code: unit.name for unit in units.list_units(self.workspace.db)}
        self.lines = attendance.register(self.workspace.db, self.session.uuid)
        self._fit_columns()
        self.table.setRowCount(len(self.lines))
        for row, line in enumerate(self.lines):
            unchanged = row < len(shown) and shown[row] == (line.attendance.uuid, line.attendance.version)
            if not unchanged or self.table.item(row, STATUS_COLUMN) is None:
                self._show_line(row, line)  # only new and changed lines are redrawn: marking stays instant
        self._show_totals()

    def _fit_columns(self) -> None:
        """Every column but the name as wide as its header and what it can hold: every unit and status, so a
        new line never cuts one, and the staff numbers shown."""
        widen_to_fit(self.table, 0, [line.attendance.staff_number for line in self.lines])
        widen_to_fit(self.table, 2, self.unit_names.values())
        widen_to_fit(self.table, STATUS_COLUMN, [self._status_word(s) for s in STATUSES])
        widen_to_fit(self.table, 4, ["00:00"])
        widen_to_fit(self.table, 5, ["walk-in"])

    def changeEvent(self, event: QEvent) -> None:
        """Larger type (a setting, or the desktop's scaling) widens the columns to match."""
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and hasattr(self, "table"):  # not while being built
            self._fit_columns()

    def _show_line(self, row: int, line: RegisterLine) -> None:
        record = line.attendance
        cells = (
            record.staff_number,
            line.name,
            self.unit_names.get(record.unit_code, record.unit_code),
            self._status_word(record.status),
            # No time for someone not (yet) there: it is when they were booked or marked absent, and read as an
            # arrival, as the printed sheet leaves it out too.
            "" if record.status is AttendanceStatus.ABSENT else f"{record.marked_at.astimezone():%H:%M}",
            "walk-in" if record.walk_in else "",
        )
        widen_to_fit(self.table, 0, [record.staff_number])
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
        if self.pending is None:  # what was said about the last search goes; a question waits for its answer
            self.notice.hide()
            self.offer_walk_in.hide()
        on_register = {line.attendance.staff_number for line in self.lines}
        found = roster.search_people(self.workspace.db, text)
        show_people(self.results, found, on_register, "on the register", self.unit_names)
        self._show_results()

    def _show_results(self) -> None:
        """The people found take room only while there are some: an empty box 200 pixels high left 8 lines of
        the register in view at 1100x720. Shown, the list is always `RESULT_LINES` high, whatever each keystroke
        finds, and emptied it goes `COLLAPSE_AFTER_MS` later, once no scan has filled it again: the register
        under it moves when scanning starts and stops, not at each key or person."""
        if self.session.status is SessionStatus.CANCELLED:
            self._collapse_results()
        elif self.results.count():
            self._collapse.stop()
            if not self.results.isVisible():
                rows = RESULT_LINES * max(self.results.sizeHintForRow(0), 1)
                self.results.setFixedHeight(rows + 2 * self.results.frameWidth())
                self.results.show()
        elif self.results.isVisible() and not self._collapse.isActive():
            self._collapse.start()

    def _collapse_results(self) -> None:
        self._collapse.stop()
        if self.results.count() == 0 or self.session.status is SessionStatus.CANCELLED:
            self.results.hide()

    def _on_search_return_pressed(self) -> None:
        """A scanner types the number and Enter: an exact staff number is marked present in one step. A name
        adds on Enter only when one person matches; with several, the trainer picks (three O'Briens)."""
        typed = normalise_staff_number(self.search.text())
        exact = roster.get_person(self.workspace.db, typed) if typed else None
        if exact is not None:
            self.add_person(exact)
        elif self.results.count() == 1:
            self.add_person(self.results.item(0).data(Qt.ItemDataRole.UserRole))
        elif self.results.count() > 1:  # the keys stay here: the next name typed replaces this search
            self.search.selectAll()
            self._say(
                f"{self.results.count()} people match “{' '.join(self.search.text().split())}”: press Down to "
                "choose one, then Enter. Typing starts a new search."
            )
        elif typed and _looks_like_staff_number(typed):
            self._say(f"No one with staff number {typed} is on the roster. Add them as a walk-in?", walk_in=True)
        elif typed:
            name = " ".join(self.search.text().split())  # as typed: a name is not shouted back in capitals
            self._say(f"No one called {name} was found on the roster. Add them as a walk-in?", walk_in=True)

    def _say(self, text: str, walk_in: bool = False) -> None:
        """What the search found, beside the search box where the trainer is looking, until they search again:
        in the status bar it was small, far below, and gone in eight seconds. A walk-in is offered as a button."""
        self.pending = None
        for widget in (self.add_anyway, self.dont_add):
            widget.hide()
        self.notice.setText(text)
        self.notice.show()
        self.offer_walk_in.setVisible(walk_in)

    # --- writing --------------------------------------------------------------------------------
    def _line_of(self, staff_number: str) -> RegisterLine | None:
        return next((line for line in self.lines if line.attendance.staff_number == staff_number), None)

    def _booked(self, line: RegisterLine) -> bool:
        """On the register ahead of time (a planned session's booking is an absent line) and the session still
        open: arriving marks them present rather than counting as already there."""
        return line.attendance.status is AttendanceStatus.ABSENT and self.session.status is not SessionStatus.CLOSED

    def _arrival(
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
        line = self._line_of(person.staff_number)
        if line is not None and not self._booked(line):
            self._reset_search()
            self._say(f"{person.full_name} is already on the register.")
            return
        if line is None and not checked:  # someone booked ahead is marked present without asking again
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
                # The keys stay in the search, its text chosen, so the next name or scan replaces it: with them on
                # Add anyway, the next number went nowhere and its Enter added this person after all.
                self.search.selectAll()
                return
        if self.session.status is SessionStatus.CLOSED:  # adding to a closed register is a correction

            def corrected(reason: str) -> None:
                if reason.strip():
                    self._add(person, line, walk_in, reason)
                else:
                    self.show_message("Not added: a correction needs a reason.")

            self._ask_text(
                "Correct the register", f"Why is {person.full_name} being added now?", corrected, field="Reason"
            )
            self._reset_search()
            return
        self._add(person, line, walk_in)
        self._reset_search()

    def _add(self, person: Person, line: RegisterLine | None, walk_in: bool, reason: str = "") -> None:
        self._write(
            self._arrival(person, line, self.recorded_by, walk_in, reason),
            f"Saved: {person.full_name} present.",
            name=person.full_name,
        )

    def _on_add_anyway_clicked(self) -> None:
        if self.pending is not None:
            self.add_person(self.pending, checked=True)
        self._clear_notice()

    def _clear_notice(self) -> None:
        self.pending = None
        for widget in (self.notice, self.add_anyway, self.dont_add, self.offer_walk_in):
            widget.hide()
        self.search.setFocus()

    def _status_word(self, status: AttendanceStatus) -> str:
        return status.shown(was_delivered(self.session.status))  # "Booked" before the session has happened

    def _start_search_again(self) -> None:
        self._clear_notice()
        self._reset_search()
        self._collapse_results()  # Escape takes the list away at once
        self.statusBar().clearMessage()  # its question was about what was typed

    def _on_status_chosen(self, record: Any, status: AttendanceStatus) -> None:
        if self.session.status is SessionStatus.CLOSED and status != record.status:

            def corrected(reason: str) -> None:
                if reason.strip():
                    self.set_status(record, status, reason)
                else:
                    self.show_message("Not changed: a correction needs a reason.")

            line = self._line_of(record.staff_number)
            who = f"{line.name} ({record.staff_number})" if line is not None else record.staff_number
            question = (
                f"Correct {who} from {record.status.label.lower()} to {status.label.lower()}.\n\n"
                "Why is this being corrected?"
            )  # named: on a long register, the wrong line chosen is caught here
            self._ask_text("Correct the register", question, corrected, field="Reason")
            return
        self.set_status(record, status)

    def set_status(self, record: Any, status: AttendanceStatus, reason: str = "") -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        line = self._line_of(record.staff_number)
        who = line.name if line is not None else record.staff_number  # named: a slip of the arrow keys shows
        self._write(
            lambda: attendance.change_status(db, session, record, status, self.recorded_by, now, reason),
            f"Saved: {who}, {self._status_word(status).lower()}.",
        )

    def mark_all_present(self) -> None:
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: attendance.mark_all(db, session, AttendanceStatus.PRESENT, self.recorded_by, now),
            "Saved: everyone marked present.",
        )

    def add_walk_in(self) -> WalkInDialog:
        typed = normalise_staff_number(self.search.text())
        number = typed if _looks_like_staff_number(typed) else ""  # a name typed in the search is not a number
        name = "" if number or any(c.isdigit() for c in self.search.text()) else self.search.text().strip()
        db = self.workspace.db
        dialog = WalkInDialog(
            self,
            units.list_units(db),
            lambda typed: roster.get_person(db, typed),
            number,
            name,
            lambda forename, surname: roster.people_named(db, forename, surname),
            {line.attendance.staff_number for line in self.lines},
            roster.staff_number_lengths(db),
        )
        dialog.accepted.connect(lambda: self._on_walk_in_accepted(dialog))
        dialog.open()
        return dialog

    def _on_walk_in_accepted(self, dialog: WalkInDialog) -> None:
        if dialog.person is not None:
            # Greeted at self sign-in by the forename as typed: the register keeps the name whole, and its
            # first word is not a forename in every culture ("عبد الله" is one name; "عبد" alone is not).
            self.walk_in_forenames[dialog.person.staff_number] = _greeting_name(dialog.person)
            self.add_person(dialog.person, walk_in=True, checked=True)

    def _write(self, work: Callable[[], object], saved: str, name: str = "") -> None:
        """Run `work` on the database worker. When it answers with the one line it committed, only that row is
        redrawn (re-reading a full register would make every mark wait on it); anything else re-reads."""
        self.tasks.run_db(
            work, on_success=lambda result: self._on_written(saved, result, name), on_failure=self._on_write_failed
        )

    def _on_written(self, saved: str, result: object = None, name: str = "") -> None:
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
            later = (i for i, shown in enumerate(self.lines) if shown.attendance.marked_at > record.marked_at)
            row = next(later, len(self.lines))
            self.lines.insert(row, line)
            self.table.insertRow(row)
        self._show_line(row, line)
        self._show_totals()

    def _show_totals(self) -> None:
        counts = {s: sum(1 for line in self.lines if line.attendance.status is s) for s in STATUSES}
        self.totals.setText(
            f"{len(self.lines)} on the register: "
            + ", ".join(f"{counts[s]} {self._status_word(s).lower()}" for s in STATUSES)
        )

    def _on_data_changed(self, changed: frozenset[Change]) -> None:
        """A sync brought roster changes, another window changed this session: show what is there now."""
        if changed & {Change.ATTENDANCE, Change.SESSIONS, Change.ROSTER} and not self._announcing:
            self.refresh()

    def _on_write_failed(self, error: Exception) -> None:
        self.refresh()
        text = error.message if isinstance(error, UserFacingError) else f"Not saved: {error}"
        self.show_message(text)

    def save_attendance_sheet(self) -> QFileDialog:
        """Ask where to save this session's attendance sheet (PDF), then write it in the background."""
        return self.exporter.ask_where(ExportRequest(kind="attendance", session=self.session.uuid))

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text, 8000)

    def _reset_search(self) -> None:
        self.search.clear()
        self.search.setFocus()

    # --- removing ---------------------------------------------------------------------------------
    def remove_selected(self) -> None:
        """Before closing, a line added by mistake goes (with an undo); after, it is a correction with a reason."""
        try:  # said at once, not after a question about the booking
            refuse_if_cancelled(self.session.status)
        except UserFacingError as error:
            self.show_message(error.message)
            return
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows or rows[0] >= len(self.lines):
            self.show_message("Select the attendee to remove first.")
            return
        line = self.lines[rows[0]]
        if self.session.status is SessionStatus.CLOSED:
            self._on_status_chosen(line.attendance, AttendanceStatus.ABSENT)
            return
        if self._booked(line) and line.attendance.version == 1:  # as booked, not marked absent here since
            self._ask_to_cancel_booking(line)
            return
        self._remove(line)

    def _ask_to_cancel_booking(self, line: RegisterLine) -> QMessageBox:
        """Someone booked ahead (by the lead, or at HQ) is asked about first: removing the line cancels their
        booking, which the chase lists show; someone who simply did not come stays on as absent."""
        return ask(
            self,
            "Remove a booking",
            f"{line.name} was booked on this session. Remove them, and their booking with them? Someone who did "
            "not come can stay on the register as absent.",
            "Remove the booking",
            "Keep them booked",
            lambda: self._remove(line),
            name="Remove a booking",
        )

    def _remove(self, line: RegisterLine) -> None:
        record, name = line.attendance, line.name
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()

        def removed(_result: object) -> None:
            self.removed = line
            self._on_written(f"Removed: {name}. Undo with Ctrl+Z or the Undo button.")
            self.undo.show()

        self.tasks.run_db(
            lambda: attendance.remove_attendee(db, session, record, self.recorded_by, now),
            on_success=removed,
            on_failure=self._on_write_failed,
        )

    def _on_undo_clicked(self) -> None:
        if self.removed is None:
            return
        line, self.removed = self.removed, None
        self.undo.hide()
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        self._write(
            lambda: attendance.restore_attendee(db, session, line.attendance, line.name, self.recorded_by, now),
            f"Back on the register: {line.name}.",
            name=line.name,
        )

    # --- kiosk, feedback, closing ---------------------------------------------------------------
    def start_kiosk(self) -> QInputDialog:
        """Ask the trainer for a PIN to leave sign-in, then hand the laptop to the room."""
        return self._ask_text(
            "Self sign-in",
            "Choose a PIN (4 or more digits). You will need it to leave sign-in:",
            self._on_kiosk_pin_chosen,
            secret=True,
        )

    def _pin_refused(self, pin: str, ask_again: Callable[[], QInputDialog | None]) -> bool:
        """A PIN too short to keep the room out is asked for again at once, saying why (the feedback form's
        question once closed with a line in the status bar, and the trainer had to open it again)."""
        if len(pin) >= 4 and pin.isdigit():
            return False
        again = ask_again()
        if again is not None:
            again.setLabelText("The PIN must be 4 or more digits (numbers only). Choose a PIN:")
        return True

    def _on_kiosk_pin_chosen(self, pin: str) -> None:
        if self._pin_refused(pin, self.start_kiosk):
            return
        heading = self.plan.title if self.plan else "Training session"
        self.kiosk = KioskWindow(pin, heading)
        self.kiosk.number_entered.connect(self._on_kiosk_number_entered)
        self.kiosk.unlocked.connect(self.refresh)
        show_full_screen(self.kiosk, self.screen())
        self.kiosk.raise_()
        self.kiosk.activateWindow()
        self.kiosk.entry.setFocus()

    def _ask_text(
        self, title: str, label: str, then: Callable[[str], None], secret: bool = False, field: str = "PIN"
    ) -> QInputDialog:
        """A question that does not block the app: `then` gets the answer, Cancel does nothing. `field`: the
        answer box's name for a screen reader (a reason, a PIN)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(title)
        dialog.setLabelText(label)
        dialog.setAccessibleName(title)
        if secret:  # seen while typed, to be sure of it (a slip locked the trainer out), and hidden after
            dialog.setTextEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
        dialog.textValueSelected.connect(then)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        for entry in dialog.findChildren(QLineEdit):  # made by open(): Qt gives it no name of its own
            entry.setAccessibleName(field)
        return dialog

    def _on_kiosk_number_entered(self, number: str) -> None:
        kiosk = self.kiosk
        if kiosk is None:
            return
        person = roster.get_person(self.workspace.db, number)
        if person is None:
            # A walk-in is not on the roster, but is on this register: told so, not sent to the trainer.
            walk_in = self._line_of(normalise_staff_number(number))
            if walk_in is not None and not self._booked(walk_in):
                shown = self.walk_in_forenames.get(walk_in.attendance.staff_number, walk_in.name)
                kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            elif not any(c.isdigit() for c in number):  # a name: the roster is not searched from the room
                kiosk.show_reply("Please type your staff number, not your name, or see the trainer.", good=False)
            else:
                kiosk.show_reply("That number was not found. Please see the trainer.", good=False)
            return
        shown = _greeting_name(person)
        line = self._line_of(number)
        if line is not None and not self._booked(line):
            kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            return

        def signed_in(record: object) -> None:
            kiosk.show_reply(f"Welcome, {shown}. You're signed in.", good=True)
            self._on_written("Saved.", record, person.full_name)

        def not_signed_in(error: Exception) -> None:
            now_on = self._line_of(number)  # a second scan before the first was saved: the first is shown now
            if isinstance(error, attendance.AlreadyRegisteredError) or (now_on and not self._booked(now_on)):
                kiosk.show_reply(f"You're already signed in, {shown}.", good=True)
            else:  # the room sees no detail (it could name someone); the trainer's log has it
                kiosk.show_reply("Not saved. Please see the trainer.", good=False)
                self.show_message(f"Self sign-in not saved: {error}")

        self.tasks.run_db(self._arrival(person, line, "self sign-in"), on_success=signed_in, on_failure=not_signed_in)

    def open_feedback(self) -> QInputDialog | None:
        """Ask the trainer for a PIN to leave the form, then hand the laptop to the room, full screen."""
        if self.plan is None:
            self.show_message("This session's lesson plan is not on this laptop, so its feedback form cannot open.")
            return None
        return self._ask_text(
            "Feedback form",
            "Choose a PIN (4 or more digits). You will need it to leave the feedback form:",
            self._on_feedback_pin_chosen,
            secret=True,
        )

    def open_paper_forms(self) -> PaperFormsDialog | None:
        """The printed forms, keyed in afterwards: the trainer's own screen, not handed to the room."""
        if self.plan is None:
            self.show_message("This session's lesson plan is not on this laptop, so its forms cannot be keyed in.")
            return None
        dialog = PaperFormsDialog(self.plan, self.session.uuid, self)
        dialog.submitted.connect(lambda forms: self._save_paper_forms(dialog, forms))
        dialog.finished.connect(lambda _result: self.refresh())
        dialog.open()
        return dialog

    def _save_paper_forms(self, dialog: PaperFormsDialog, forms: list[Feedback]) -> None:
        db, now = self.workspace.writer, self.workspace.clock()
        self.tasks.run_db(
            lambda: feedback.save_forms(db, forms, now),
            on_success=lambda saved: dialog.show_saved(saved),
            on_failure=lambda error: dialog.show_saved(None, str(error)),
        )

    def _on_feedback_pin_chosen(self, pin: str) -> None:
        if self._pin_refused(pin, self.open_feedback):
            return
        assert self.plan is not None
        self.feedback_form = FeedbackWindow(self.plan, self.session.uuid, pin)
        self.feedback_form.submitted.connect(self._on_feedback_submitted)
        self.feedback_form.unlocked.connect(self.refresh)
        show_full_screen(self.feedback_form, self.screen())
        self.feedback_form.raise_()
        self.feedback_form.activateWindow()

    def _on_feedback_submitted(self, form: Feedback) -> None:
        db, now, window = self.workspace.writer, self.workspace.clock(), self.feedback_form
        assert window is not None
        self.tasks.run_db(
            lambda: feedback.save_feedback(db, form, now),
            on_success=lambda _r: window.show_saved(True),
            on_failure=lambda error: window.show_saved(False, str(error)),
        )

    def close_session(self) -> QMessageBox:
        """Show the checklist first; the session closes only when the trainer says so."""
        section_ids = [s.id for s in self.plan.sections] if self.plan else []
        checklist = delivery.checklist_for(self.workspace.db, self.session, section_ids)
        tick = {True: "✔", False: "✘"}
        text = (
            f"{tick[checklist.register_complete]} Register: {counted(checklist.attendees, 'attendee')}\n"
            f"{tick[checklist.feedback_collected]} Feedback: {counted(checklist.feedback_forms, 'form')}\n"
            f"{tick[checklist.timing_complete]} Timing log: {checklist.sections_timed} of "
            f"{counted(len(section_ids), 'section')}\n\nClose the session and queue it for HQ? After closing, a change "
            "to the register is a correction with a reason."
        )
        db, session, now = self.workspace.writer, self.session, self.workspace.clock()
        return ask(
            self,
            "Close the session",
            text,
            "Close session",
            "Not yet",
            lambda: self._write(
                lambda: delivery.close_session(db, session, checklist, self.recorded_by, now),
                "Session closed and queued for HQ.",
            ),
            name="Close the session: checklist",
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        """Nothing handed to the room outlives the register (the app is closing, or the trainer is done)."""
        for window in (self.kiosk, self.feedback_form):
            if window is not None:
                window.force_close()
        super().closeEvent(event)


def _looks_like_staff_number(typed: str) -> bool:
    """Whether what was typed in the search is a staff number (or the start of one) rather than a name: every
    staff number has a digit and no name does, the rule the roster search itself answers by."""
    return any(ch.isdigit() for ch in typed)


def _greeting_name(person: Person) -> str:
    """How self sign-in greets someone in front of the room: by their forename, whole. A forename and the
    initial of the surname read wrongly across cultures (a Chinese name came out as '小明 王.', an Arabic one
    as the 'a' of 'al-'), and the forename alone still does not name anyone in full to the room."""
    return person.forename.strip() or person.surname.strip()
