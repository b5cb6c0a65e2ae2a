"""The count of phones that have answered the session's feedback form, for the trainer at the close: asked of
HQ every few seconds on the network pool while the close is on, never holding up the presenter, and saying so
plainly when the laptop is offline (the answers still arrive at HQ; the count waits)."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from trainer_desk import hq_link
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

EVERY_MS = 10_000


class PhoneAnswersCount(QLabel):
    def __init__(self, workspace: Workspace, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Answers from phones")
        self.setWordWrap(True)
        self.workspace, self.tasks = workspace, tasks
        self.session_uuid = ""
        self.asking = False
        self.timer = QTimer(self)
        self.timer.setInterval(EVERY_MS)
        self.timer.timeout.connect(self.ask)
        self.hide()

    def start(self, session_uuid: str) -> None:
        if self.timer.isActive() and session_uuid == self.session_uuid:
            return
        self.session_uuid = session_uuid
        self.setText("Answers from phones: asking HQ…")
        self.show()
        self.timer.start()
        self.ask()

    def stop(self) -> None:
        self.timer.stop()
        self.hide()

    def ask(self) -> None:
        if self.asking or self.workspace.closed or not self.session_uuid:
            return
        self.asking = True
        workspace, session_uuid, quitting = self.workspace, self.session_uuid, self.tasks.quitting
        self.tasks.run_network(
            lambda: hq_link.phone_answers(workspace, session_uuid, quitting),
            on_success=self._on_count,
            on_failure=self._on_failure,
        )

    def _on_count(self, count: int) -> None:
        self.asking = False
        if self.timer.isActive():
            self.setText(f"Answers from phones so far: {count}")

    def _on_failure(self, _error: Exception) -> None:
        self.asking = False
        if self.timer.isActive():
            self.setText("Answers from phones reach HQ; the count shows when this laptop is online.")
