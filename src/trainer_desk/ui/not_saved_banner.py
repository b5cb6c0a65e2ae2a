"""What could not be saved, said on the trainer's screen until the trainer deals with it: the one place every
failed write of a register goes.

A line in the status bar that went after 8 seconds and named nobody once lost five people scanned while the disk
was full. Here each write that failed is kept, with its work, named ("Ann Bee (600002)", "closing the
session"), with what to do about it; Try again runs them all once space is freed, and only a write that saves
leaves the list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.sentences import listed, sentence
from trainer_desk.ui.tasks import TaskRunner

BANNER_STYLE = "QFrame#notSaved { background: #fdecea; border: 2px solid #a4262c; } QLabel { color: #5c0d0d; }"


@dataclass(frozen=True)
class Unsaved:
    """One write that failed: `what` names it for the trainer; `work` writes it again (None when it cannot be
    written from here, such as a feedback form still on the room's screen); `on_saved` takes what it committed."""

    what: str
    work: Callable[[], object] | None = None
    on_saved: Callable[[object], None] | None = None


def failure_words(error: Exception) -> tuple[str, str]:
    """What went wrong and what to do about it, as the trainer reads them."""
    if isinstance(error, UserFacingError):
        return sentence(error.message), sentence(error.hint)
    return sentence(f"Not saved: {error}"), "Try again."


class NotSavedBanner(QFrame):
    """Hidden until a write fails; then it stays, naming everything not saved, until saved or dismissed."""

    def __init__(
        self,
        tasks: TaskRunner,
        on_failure: Callable[[Exception, Unsaved], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`on_failure` hears of a write tried again that failed again (by default it is listed again): the
        register tells someone already on it (scanned twice, the first saved) from a write that failed."""
        super().__init__(parent)
        self.tasks = tasks
        self.on_failure = on_failure or (lambda error, unsaved: self.add(unsaved, error))
        self.unsaved: list[Unsaved] = []
        self.setObjectName("notSaved")
        self.setStyleSheet(BANNER_STYLE)
        self.setAccessibleName("Not saved")
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What went wrong")
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.who.setAccessibleName("Not saved yet")
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName("What to do")
        self.try_again = QPushButton("Try again")
        self.try_again.setAccessibleName("Try again to save them")
        self.try_again.clicked.connect(lambda _checked=False: self.retry())
        self.dismiss = QPushButton("Dismiss")
        self.dismiss.setAccessibleName("Dismiss without saving them")
        self.dismiss.clicked.connect(lambda _checked=False: self.clear())
        buttons = QHBoxLayout()
        buttons.addWidget(self.try_again)
        buttons.addWidget(self.dismiss)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        for label in (self.problem, self.who, self.advice):
            layout.addWidget(label)
        layout.addLayout(buttons)
        self.hide()

    def add(self, unsaved: Unsaved, error: Exception) -> None:
        """Keep `unsaved` and say why it failed. Listed once: someone scanned twice is one person not saved,
        and the first write tried again adds them."""
        if unsaved.what not in self.named():
            self.unsaved.append(unsaved)
        problem, advice = failure_words(error)
        self.problem.setText(f"<b>{problem}</b>")
        self.advice.setText(advice)
        self._show_list()

    def retry(self) -> None:
        """Write every kept write again; each that saves leaves the list, each that fails stays on it."""
        retrying, self.unsaved = self.unsaved, []  # notes with no work have been read; what fails comes back
        for unsaved in retrying:
            if unsaved.work is not None:
                self.tasks.run_db(
                    unsaved.work,
                    on_success=partial(self._on_saved, unsaved),
                    on_failure=partial(self._on_failed_again, unsaved),
                )
        self._show_list()

    def clear(self) -> None:
        self.unsaved = []
        self._show_list()

    def in_words(self, register: str) -> str:
        """What closing `register` now would lose, for the question asked before it closes ('' when nothing)."""
        return sentence(f"Not saved on {register}: {listed(self.named())}") if self.unsaved else ""

    def named(self) -> list[str]:
        return [unsaved.what for unsaved in self.unsaved]

    def _on_failed_again(self, unsaved: Unsaved, error: Exception) -> None:
        self.on_failure(error, unsaved)

    def _on_saved(self, unsaved: Unsaved, result: object) -> None:
        if unsaved.on_saved is not None:
            unsaved.on_saved(result)

    def _show_list(self) -> None:
        self.who.setText(sentence(f"Not saved yet: {listed(self.named())}") if self.unsaved else "")
        self.try_again.setVisible(any(unsaved.work is not None for unsaved in self.unsaved))
        self.setVisible(bool(self.unsaved))
