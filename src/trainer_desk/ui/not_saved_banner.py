"""What could not be saved, said on the trainer's screen until the trainer deals with it: the one place every
failed write of a register goes.

A line in the status bar that went after 8 seconds and named nobody once lost five people scanned while the disk
was full. Here each write that failed is kept, with its work, named ("Ann Bee (600002)", "closing the
session"), with what to do about it; Try again runs them all once space is freed, and only a write that saves
leaves the list. A later write of the same thing that saves (the card scanned again once space was freed) takes
it off as well: by its `key`, what the entry is about, so the banner never names someone already on the register.
Nothing is dropped unsaved without the trainer answering a question that names it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.sentences import listed, sentence
from trainer_desk.ui.question import ask
from trainer_desk.ui.tasks import TaskRunner

BANNER_STYLE = "QFrame#notSaved { background: #fdecea; border: 2px solid #a4262c; } QLabel { color: #5c0d0d; }"
MOST_LINES_SHOWN = 4  # names past these scroll, so the table below keeps its room


@dataclass(frozen=True)
class Unsaved:
    """One write that failed: `what` names it for the trainer; `work` writes it again (None when it cannot be
    written from here, such as a feedback form still on the room's screen); `on_saved` takes what it committed;
    `key` says what it is about (an arrival: the staff number), so a later save of the same thing takes it off."""

    what: str
    work: Callable[[], object] | None = None
    on_saved: Callable[[object], None] | None = None
    key: str = ""

    @property
    def about(self) -> str:
        return self.key or self.what


def arrival_key(staff_number: str) -> str:
    """What an arrival's entry is about, however it was written (the search, a scan, self sign-in)."""
    return f"arrival {staff_number}"


def removal_key(staff_number: str) -> str:
    return f"removal {staff_number}"


FEEDBACK_FORM_KEY = "feedback form on the room's screen"


def failure_words(error: Exception) -> tuple[str, str]:
    """What went wrong and what to do about it, as the trainer reads them."""
    if isinstance(error, UserFacingError):
        return sentence(error.message), sentence(error.hint)
    return sentence(f"Not saved: {error}".replace("Not saved: Not saved: ", "Not saved: ")), "Try again."


class NotSavedBanner(QFrame):
    """Hidden until a write fails; then it stays, naming everything not saved, until saved or dropped."""

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
        # Never squeezed below what it needs: the table under it gives way instead. Crushed on a small screen,
        # its lines overlapped and its buttons were 12 pixels high.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("What went wrong")
        self.who = QLabel("Not saved yet:")
        self.who.setAccessibleName("Not saved yet")
        self.entries = QWidget()
        self.entries.setObjectName("notSavedEntries")
        self.entry_rows = QVBoxLayout(self.entries)
        self.entry_rows.setContentsMargins(0, 0, 0, 0)
        self.names = QScrollArea()  # very many names scroll, a few fit whole
        self.names.setWidget(self.entries)
        self.names.setWidgetResizable(True)
        self.names.setFrameShape(QFrame.Shape.NoFrame)
        self.names.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.names.setAccessibleName("Not saved yet")
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.advice.setAccessibleName("What to do")
        self.try_again = QPushButton("Try again")
        self.try_again.setAccessibleName("Try again to save them")
        self.try_again.clicked.connect(lambda _checked=False: self.retry())
        self.dismiss = QPushButton("Dismiss…")
        self.dismiss.setAccessibleName("Dismiss all of them without saving")
        self.dismiss.clicked.connect(lambda _checked=False: self.ask_to_drop(list(self.unsaved)))
        self.asking: QMessageBox | None = None
        what_to_do = QHBoxLayout()  # the advice beside its buttons: one line less on a short screen
        what_to_do.addWidget(self.advice, 1)
        what_to_do.addWidget(self.try_again, 0, Qt.AlignmentFlag.AlignTop)
        what_to_do.addWidget(self.dismiss, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        for widget in (self.problem, self.who, self.names):
            layout.addWidget(widget)
        layout.addLayout(what_to_do)
        self.hide()

    def add(self, unsaved: Unsaved, error: Exception) -> None:
        """Keep `unsaved` and say why it failed. Listed once: someone scanned twice is one person not saved,
        and the latest write of them is the one tried again."""
        at = next((i for i, kept in enumerate(self.unsaved) if kept.about == unsaved.about), None)
        if at is None:
            self.unsaved.append(unsaved)
        else:
            self.unsaved[at] = unsaved
        problem, advice = failure_words(error)
        self.problem.setText(f"<b>{problem}</b>")
        self.advice.setText(advice)
        self._show_list()

    def saved(self, key: str) -> None:
        """What is about `key` was saved after all (or is no longer to be saved): it leaves the list."""
        if any(unsaved.about == key for unsaved in self.unsaved):
            self.unsaved = [unsaved for unsaved in self.unsaved if unsaved.about != key]
            self._show_list()

    def holds(self, key: str) -> bool:
        return any(unsaved.about == key for unsaved in self.unsaved)

    def retry(self) -> None:
        """Write every kept write again; each that saves leaves the list, each that fails stays on it."""
        retrying = [unsaved for unsaved in self.unsaved if unsaved.work is not None]
        self.unsaved = [unsaved for unsaved in self.unsaved if unsaved.work is None]  # saved elsewhere, or dropped
        for unsaved in retrying:
            self.tasks.run_db(
                unsaved.work,  # type: ignore[arg-type]  # kept only with its work
                on_success=partial(self._on_saved, unsaved),
                on_failure=partial(self._on_failed_again, unsaved),
            )
        self._show_list()

    def ask_to_drop(self, dropping: list[Unsaved]) -> QMessageBox | None:
        """Drop `dropping` unsaved, once the trainer has read what goes ("Keep them" is the default)."""
        if not dropping:
            return None
        names = listed([unsaved.what for unsaved in dropping])
        self.asking = ask(
            self,
            "Not saved: drop without saving",
            f"Drop without saving: {names}? They will not be saved, and this cannot be undone.",
            "Drop without saving",
            "Keep them",
            lambda: self.drop(dropping),
            name="Drop without saving?",
        )
        return self.asking

    def drop(self, dropping: list[Unsaved]) -> None:
        self.unsaved = [unsaved for unsaved in self.unsaved if unsaved not in dropping]
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
        self.saved(unsaved.about)
        if unsaved.on_saved is not None:
            unsaved.on_saved(result)

    def _show_list(self) -> None:
        """One line for each, with its own Drop button (a cross), so one can be dropped and the others kept."""
        while (item := self.entry_rows.takeAt(0)) is not None:
            if (old := item.widget()) is not None:
                old.hide()
                old.deleteLater()
        for unsaved in self.unsaved:
            row = self._entry(unsaved)
            self.entry_rows.addWidget(row)
            row.show()  # at once, not when the layout next runs: what the banner says is said now
        self.entry_rows.addStretch(1)
        line = self.fontMetrics().lineSpacing()
        shown = min(max(len(self.unsaved), 1), MOST_LINES_SHOWN)
        self.names.setFixedHeight(shown * max(line, self.dismiss.sizeHint().height()) + (shown - 1) * 6)
        self.try_again.setVisible(any(unsaved.work is not None for unsaved in self.unsaved))
        self.setVisible(bool(self.unsaved))

    def _entry(self, unsaved: Unsaved) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        name = QLabel(f"• {unsaved.what}")
        name.setWordWrap(True)
        name.setAccessibleName(f"Not saved yet: {unsaved.what}")
        drop = QPushButton("\u00d7")  # a cross
        drop.setAccessibleName(f"Drop without saving: {unsaved.what}")
        drop.setToolTip(f"Drop {unsaved.what} without saving (asks first)")
        drop.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        drop.clicked.connect(lambda _checked=False, one=unsaved: self.ask_to_drop([one]))
        layout.addWidget(name, 1)
        layout.addWidget(drop, 0, Qt.AlignmentFlag.AlignTop)
        return row
