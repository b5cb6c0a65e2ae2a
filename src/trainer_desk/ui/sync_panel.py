"""The Sync view: where this laptop sends its records, what is waiting (per session), what needs attention,
when the last sync succeeded; 'Sync now' and enrollment."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
)

from trainer_desk import hq_link
from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.core.refusals import refusal_lines, short_session_name
from trainer_desk.core.sentences import sentence
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.store import enrollment, outbox, sessions, unit_correction, units
from trainer_desk.store.connection import Database
from trainer_desk.sync.clock_check import clock_warning
from trainer_desk.sync.failure_words import enroll_refusal
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.enroll_dialog import EnrollDialog
from trainer_desk.ui.session_text import SessionDescriber
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

_BACKLOG = """
SELECT s.uuid, count(*) FROM outbox o
LEFT JOIN attendance a ON o.entity = 'attendance' AND a.uuid = o.entity_uuid
LEFT JOIN feedback f ON o.entity = 'feedback' AND f.uuid = o.entity_uuid
LEFT JOIN section_timings t ON o.entity = 'section_timing' AND t.uuid = o.entity_uuid
LEFT JOIN sessions s ON s.uuid = coalesce(a.session_uuid, f.session_uuid, t.session_uuid,
                                          CASE WHEN o.entity = 'session' THEN o.entity_uuid END)
WHERE o.last_error = ''
GROUP BY s.uuid ORDER BY s.starts_at IS NULL, s.starts_at
"""


class SyncPanel(AreaPanel):
    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        controller: SyncController,
        library: PlanLibrary | None = None,
    ) -> None:
        """`library` gives the backlog's plan titles (without it, plan ids show)."""
        super().__init__("Sync", "")
        self.workspace = workspace
        self.library = library or PlanLibrary()
        self.tasks = tasks
        self.controller = controller
        self.state = QLabel()
        self.state.setAccessibleName("Sync state")
        self.state.setWordWrap(True)
        self.backlog = QTableWidget(0, 2)
        self.backlog.setAccessibleName("Records waiting, by session")
        self.backlog.setTabKeyNavigation(False)  # Tab goes on to Sync now; the arrow keys move within it
        self.backlog.setHorizontalHeaderLabels(["Session", "Waiting"])
        header = self.backlog.horizontalHeader()
        # The count stays in view; a long session line is shortened (its tooltip has it whole).
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.backlog.verticalHeader().hide()
        self.backlog.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.held_back_note = QLabel()
        self.held_back_note.setAccessibleName("Records HQ did not take")
        self.held_back_note.setWordWrap(True)
        self.held_back_note.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.held_back = QTableWidget(0, 1)
        self.held_back.setAccessibleName("Records HQ did not take, with HQ's answer")
        self.held_back.setTabKeyNavigation(False)
        self.held_back.setHorizontalHeaderLabels(["What HQ did not take, and why"])
        # One line per refused session or answer, the width of the view and wrapped, so HQ's answer is read
        # in full (a narrow column of its own wrapped it a word a line, and cut it off).
        self.held_back.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.held_back.horizontalHeader().sectionResized.connect(lambda *_: self.held_back.resizeRowsToContents())
        self.held_back.setWordWrap(True)
        self.held_back.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)  # a tall line is not skipped
        self.held_back.verticalHeader().hide()
        self.held_back.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.send_again_button = QPushButton("Send them again")
        self.send_again_button.setAccessibleName("Send the records HQ did not take again")
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setAccessibleName("Sync now")
        self.enroll_button = QPushButton("Enroll with HQ…")
        self.enroll_button.setAccessibleName("Enroll this laptop with HQ")
        buttons = QHBoxLayout()
        buttons.addWidget(self.sync_button)
        buttons.addWidget(self.enroll_button)
        buttons.addStretch(1)
        self.layout_.addWidget(self.state)
        self.layout_.addLayout(buttons)
        self.layout_.addWidget(self.backlog, 1)
        self.layout_.addWidget(self.held_back_note)
        self.layout_.addWidget(self.held_back, 1)
        # Takes the room the two tables leave when both are hidden (nothing waiting, nothing refused), so the
        # lines above stay together under the heading instead of being spread down the view.
        self.layout_.addStretch(0)
        again = QHBoxLayout()
        again.addWidget(self.send_again_button)
        again.addStretch(1)
        self.layout_.addLayout(again)
        self.sync_button.clicked.connect(controller.sync_now)
        self.send_again_button.clicked.connect(self._on_send_again_clicked)
        self.enroll_button.clicked.connect(self.ask_to_enroll)
        controller.state_changed.connect(lambda _text: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if self.workspace.closed:
            return
        db = self.workspace.db
        url = hq_link.hq_url(db, self.workspace.settings)
        last = self.controller.last_success()
        clock = clock_warning(db, self.workspace.clock())
        unit = enrollment.enrolled_unit(db)
        names = {u.code: u.name for u in units.list_units(db)} if unit else {}
        lines = [
            f"HQ: {url}" + (f" · this laptop records for {unit_for_people(unit, names)}" if unit else "")
            if url
            else "Not enrolled with HQ yet: records are kept safely on this laptop until it is.",
            f"Last successful sync: {force_clock.local(last):%a %d %b %Y %H:%M}" if last else "No successful sync yet.",
            sentence(f"Now: {self.controller.describe()}"),
        ]
        if self.controller.brief:  # the status bar's phrase, said in full here
            lines.append(self.controller.last_error)
        if self.controller.sync_notes:
            lines.append(f"The last sync: {self.controller.sync_notes}")
        if clock is not None:
            lines.append(clock)
        self.explanation.setText(outbox.counts(db).sentence())
        self.state.setText("\n".join(lines))
        rows = db.execute(_BACKLOG).fetchall()
        waiting = {s.uuid: s for s in sessions.list_sessions(db)} if any(uuid for uuid, _ in rows) else {}
        describer = SessionDescriber.read(db, self.library)
        self.backlog.setRowCount(len(rows))
        self.backlog.setVisible(bool(rows))  # an empty table said nothing the line above does not; its room is lent
        for row, (session_uuid, count) in enumerate(rows):
            session = waiting.get(session_uuid)
            text = describer.describe(session) if session else "Other records"
            for column, cell in enumerate((text, str(count))):
                item = QTableWidgetItem(cell)
                item.setToolTip(cell)
                self.backlog.setItem(row, column, item)
        self._show_held_back(db, describer)
        # Not greyed out while it runs: a greyed-out button passes the keys on, to "Enroll with HQ…", and the
        # trainer's next Space opened the enrollment. Pressed meanwhile, it does nothing (one sync at a time).
        self.sync_button.setEnabled(bool(url))
        # Enrolling again (another HQ, another unit) stays possible, but is not offered as if never done.
        self.enroll_button.setText("Enroll again…" if url else "Enroll with HQ…")
        self.sync_button.setText("Syncing…" if self.controller.running else "Sync now")
        self.send_again_button.setEnabled(bool(url) and not self.controller.running)

    def _show_held_back(self, db: Database, describer: SessionDescriber) -> None:
        """What HQ refused or found in conflict, a line per refused session (with what waits on it) and per
        other answer, so the trainer can tell HQ's learning team what it is; once they have put the cause right
        at HQ, 'Send them again' lets HQ decide again."""
        held = outbox.held_back(db)
        for widget in (self.held_back_note, self.held_back, self.send_again_button):
            widget.setVisible(bool(held))
        if not held:
            self.held_back.setRowCount(0)
            return
        # One line, under the counts above it: wrapped, the layout squeezed its second line out of sight.
        self.held_back_note.setText(
            "Kept on this laptop. Tell your training lead or HQ's learning team what HQ answered; once it is put "
            "right, press Send them again."
        )
        here = {s.uuid: s for s in sessions.list_sessions(db)}

        def name(uuid: str | None) -> str:
            session = here.get(uuid or "")
            if session is None:
                return ""
            title = describer.plan_title(session.plan)
            return short_session_name(title, session.starts_at, describer.unit_name(session.unit_code))

        takes = unit_correction.UnitsHqTakes.read(db)

        def remedy(uuid: str) -> str:
            """A session for a unit this laptop does not record for, the trainer puts right themselves."""
            session = here.get(uuid)
            if session is None or not takes.needs_put_right(session):
                return ""
            return " Put its unit right in Sessions (Put the unit right…), and it goes with the next sync."

        lines = refusal_lines(held, name, remedy)
        self.held_back.setRowCount(len(lines))
        for row, line in enumerate(lines):
            item = QTableWidgetItem(line)
            item.setToolTip(line)
            self.held_back.setItem(row, 0, item)
        self.held_back.resizeRowsToContents()

    def _on_send_again_clicked(self) -> None:
        db = self.workspace.writer
        self.tasks.run_db(lambda: outbox.send_again(db), on_success=self._on_sending_again)

    def _on_sending_again(self, count: int) -> None:
        self.refresh()
        self.explanation.setText(f"Sending {counted(count, 'record')} to HQ again.")
        self.controller.sync_now()

    def ask_to_enroll(self) -> EnrollDialog:
        dialog = EnrollDialog(self, hq_link.hq_url(self.workspace.db, self.workspace.settings))
        dialog.enroll_requested.connect(lambda url, code: self.enroll(url, code, dialog))
        dialog.code_typed.connect(lambda url, code: self._check_code(url, code, dialog))
        dialog.said.connect(self.explanation.setText)  # the view behind says where enrolling stands now
        dialog.open()
        return dialog

    def _check_code(self, url: str, code: str, dialog: EnrollDialog) -> None:
        """Asks HQ which unit a code typed in the dialog enrolls for, and has the dialog name the sessions HQ
        will then refuse. Nothing is said when HQ cannot tell (the code mistyped, HQ unreachable or older):
        pressing Enroll says why."""
        workspace, stop = self.workspace, self.tasks.quitting

        def job() -> tuple[str, str] | None:
            return hq_link.unit_of_code(workspace, url, code, stop)

        def answered(found: tuple[str, str] | None) -> None:
            if found is None or workspace.closed or not dialog.asked_about(url, code):
                return
            unit, in_words = found
            describer = SessionDescriber.read(workspace.db, self.library)
            named = [
                short_session_name(describer.plan_title(s.plan), s.starts_at, describer.unit_name(s.unit_code))
                for s in unit_correction.for_other_units(workspace.db, unit)
            ]
            dialog.warn_of_other_units(unit_correction.enrolling_warning(in_words, named))

        self.tasks.run_network(job, on_success=answered, on_failure=lambda _error: None)

    def enroll(self, url: str, code: str, dialog: EnrollDialog | None = None) -> None:
        """Talks to HQ on the network pool, never the database worker: the register keeps saving meanwhile.
        From the dialog, a refusal is said in it, with what was typed still there to put right."""
        workspace, stop = self.workspace, self.tasks.quitting
        self.explanation.setText("Enrolling…")
        write = self.tasks.writer(workspace.writer)

        def job() -> str:
            return hq_link.enroll(workspace, url, code, write, stop)

        def refused(error: Exception) -> None:
            from trainer_desk.sync.client import SyncError

            said = enroll_refusal(error.kind if isinstance(error, SyncError) else "", str(error))
            self.explanation.setText(said)  # said here too: the dialog may have been closed meanwhile
            if dialog is not None and dialog.isVisible():
                dialog.answered()
                dialog.enroll_button.setEnabled(True)
                dialog.say(said, dialog.code)

        def enrolled(unit: str) -> None:
            if dialog is not None and dialog.isVisible():
                dialog.accept()
            self._on_enrolled(unit)

        self.tasks.run_network(job, on_success=enrolled, on_failure=refused)

    def _on_enrolled(self, unit: str) -> None:
        self.controller.forget_error()
        self.refresh()
        self.explanation.setText(f"Enrolled for unit {unit}. Syncing now.")
        self.controller.sync_now()
