"""The Sync view: where this laptop sends its records, what is waiting (per session), what needs attention,
when the last sync succeeded; 'Sync now' and enrollment."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from trainer_desk import hq_link
from trainer_desk.core.enrollment_link import read_link
from trainer_desk.core.plan_library import PlanLibrary
from trainer_desk.store import enrollment, outbox, sessions
from trainer_desk.sync.protocol import CLOCK_WARNING_SECONDS, clock_note
from trainer_desk.ui.area_panel import AreaPanel
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
GROUP BY s.uuid ORDER BY s.starts_at IS NULL, s.starts_at
"""


class EnrollDialog(QDialog):
    def __init__(self, parent: QWidget | None, url: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Enroll with HQ")
        self.setAccessibleName("Enroll with HQ")
        self.url = QLineEdit(url)
        self.url.setAccessibleName("HQ address")
        self.url.setPlaceholderText("https://hq.example.police.uk")
        self.code = QLineEdit()
        self.code.setAccessibleName("Enrollment code")
        self.code.setPlaceholderText("e.g. 8F9A-76F5-0E99-793D")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Enroll")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        told = QLabel(
            "Your training lead or HQ gives you a one-time code. If they show you a QR code, scan it with the"
            " camera app and paste what it reads into either field."
        )
        told.setWordWrap(True)
        form.addRow(told)
        form.addRow("HQ address", self.url)
        form.addRow("Code", self.code)
        form.addRow(buttons)
        self.url.textChanged.connect(self._split_link)
        self.code.textChanged.connect(self._split_link)

    def _split_link(self, text: str) -> None:
        """An enrollment link pasted into either field (from the console's QR code) fills in both."""
        found = read_link(text)
        if found is not None:
            self.url.setText(found[0])
            self.code.setText(found[1])


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
        self.flagged = QLabel()
        self.flagged.setAccessibleName("Records that need attention")
        self.flagged.setWordWrap(True)
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
        self.layout_.addWidget(self.flagged)
        self.sync_button.clicked.connect(controller.sync_now)
        self.enroll_button.clicked.connect(self.ask_to_enroll)
        controller.state_changed.connect(lambda _text: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        if self.workspace.closed:
            return
        db = self.workspace.db
        url = hq_link.hq_url(db, self.workspace.settings)
        last = self.controller.last_success()
        clock = enrollment.clock_difference_s(db)
        lines = [
            f"HQ: {url}" if url else "Not enrolled with HQ yet: records are kept safely on this laptop until it is.",
            f"Last successful sync: {last.astimezone():%a %d %b %Y %H:%M}" if last else "No successful sync yet.",
            f"Now: {self.controller.describe()}.",
        ]
        if self.controller.offline:
            lines.append(self.controller.last_error)
        if clock is not None and abs(clock) > CLOCK_WARNING_SECONDS:
            lines.append(clock_note(clock))
        self.explanation.setText(f"{outbox.waiting_count(db)} record(s) waiting to be sent.")
        self.state.setText("\n".join(lines))
        rows = db.execute(_BACKLOG).fetchall()
        waiting = {s.uuid: s for s in sessions.list_sessions(db)} if any(uuid for uuid, _ in rows) else {}
        describer = SessionDescriber.read(db, self.library)
        self.backlog.setRowCount(len(rows))
        for row, (session_uuid, count) in enumerate(rows):
            session = waiting.get(session_uuid)
            text = describer.describe(session) if session else "Other records"
            for column, cell in enumerate((text, str(count))):
                item = QTableWidgetItem(cell)
                item.setToolTip(cell)
                self.backlog.setItem(row, column, item)
        problems = db.execute(
            "SELECT entity, last_error FROM outbox WHERE last_error != '' ORDER BY seq LIMIT 20"
        ).fetchall()
        self.flagged.setText(
            "Need attention (kept here, not sent again until resolved):\n"
            + "\n".join(f"• {e}: {m}" for e, m in problems)
            if problems
            else ""
        )
        self.sync_button.setEnabled(bool(url) and not self.controller.running)

    def ask_to_enroll(self) -> EnrollDialog:
        dialog = EnrollDialog(self, hq_link.hq_url(self.workspace.db, self.workspace.settings))
        dialog.accepted.connect(lambda: self.enroll(dialog.url.text(), dialog.code.text()))
        dialog.open()
        return dialog

    def enroll(self, url: str, code: str) -> None:
        """Talks to HQ on the network pool, never the database worker: the register keeps saving meanwhile."""
        workspace = self.workspace
        self.explanation.setText("Enrolling…")
        write = self.tasks.writer(workspace.writer)

        def job() -> str:
            return hq_link.enroll(workspace, url, code, write)

        self.tasks.run_network(
            job,
            on_success=self._on_enrolled,
            on_failure=lambda error: self.explanation.setText(f"Not enrolled: {error}"),
        )

    def _on_enrolled(self, unit: str) -> None:
        self.controller.forget_error()
        self.refresh()
        self.explanation.setText(f"Enrolled for unit {unit}. Syncing now.")
        self.controller.sync_now()
