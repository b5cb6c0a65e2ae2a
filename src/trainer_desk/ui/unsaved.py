"""Dialogs that ask before throwing away what was typed in them.

Escape, Cancel and the window's close box all reject a dialog, and Escape is pressed for other reasons too: to
clear a search, or to leave a drop-down. A start dialog half filled in, a walk-in's details or an exemption's
reason went without a word. A `KeepsTyping` dialog compares what its fields hold with what they held when it
opened, and asks first when they differ, "Keep typing" being the answer Enter and Escape give.

Once the person has pressed Save or Enroll, what they typed is on its way (to the database worker or to HQ) and
closing cannot call it back: "Close without saving" would be untrue, and the change was made with nobody told.
Until the answer comes, closing says instead that it is already sent and will be kept.
"""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

Fields = tuple[object, ...]


def what_is_filled_in(root: QWidget) -> Fields:
    """Everything a person can type or choose in `root`, as plain values to compare: text, choices, ticks, and
    the items of lists built up in it (the trainers chosen)."""
    values: list[object] = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and not widget.isReadOnly():
            values.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit) and not widget.isReadOnly():
            values.append(widget.toPlainText())
        elif isinstance(widget, QComboBox):
            values.append((widget.currentIndex(), widget.currentText()))
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QListWidget):
            values.append(tuple(widget.item(row).text() for row in range(widget.count())))
    return tuple(values)


class KeepsTyping(QDialog):
    """A dialog that asks before closing on what the person has typed since it opened, and says so when what
    they asked for is already on its way."""

    _opened_with: Fields | None = None
    _on_its_way = ""  # while a request the dialog handed on is unanswered: what closing cannot stop, in words
    _asking: QMessageBox | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:  # filled in by the caller before it was shown: not the person's typing
            self._opened_with = what_is_filled_in(self)

    def unsaved(self) -> str:
        """What would be lost, in words, or '' when nothing would be."""
        if self._opened_with is None or what_is_filled_in(self) == self._opened_with:
            return ""
        return "What you typed here is not saved yet."

    def sending(self, said: str) -> None:
        """The request is handed on, to be saved or sent: until `answered`, closing says `said` (that it goes on
        and will be kept) rather than offering to close without saving."""
        self._on_its_way = said

    def answered(self) -> None:
        """The request came back refused, and what is typed is again the person's to keep or throw away."""
        self._on_its_way = ""

    def reject(self) -> None:
        if self._on_its_way:
            said = f"{self._on_its_way} Close this window?"
            self._ask("already sent", said, "Close this window?", ("Close this window", "Keep it open"))
            return
        lost = self.unsaved()
        if not lost:
            super().reject()
            return
        said = f"{lost} Close without saving?"
        self._ask("not saved", said, "Close without saving?", ("Close without saving", "Keep typing"))

    def _ask(self, state: str, question: str, name: str, answers: tuple[str, str]) -> None:
        """Asks `question` without blocking, "Keep" (the second answer) being what Enter and Escape give."""
        ask = QMessageBox(
            QMessageBox.Icon.Question,
            f"{self.windowTitle()}: {state} - Trainer Desk",
            question,
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        ask.setAccessibleName(name)
        ask.button(QMessageBox.StandardButton.Discard).setText(answers[0])
        ask.button(QMessageBox.StandardButton.Cancel).setText(answers[1])
        ask.setDefaultButton(QMessageBox.StandardButton.Cancel)
        ask.setEscapeButton(QMessageBox.StandardButton.Cancel)
        ask.button(QMessageBox.StandardButton.Discard).clicked.connect(lambda: QDialog.reject(self))
        self._asking = ask
        ask.open()

    def done(self, result: int) -> None:
        """Closed, by the person or by the answer arriving: a question still open about closing goes too."""
        asking, self._asking = self._asking, None
        if asking is not None and asking.isVisible():
            asking.close()
        super().done(result)

    def close_without_asking(self) -> None:
        """Closed by the app itself (nothing left to do), not by the person: nothing is asked."""
        QDialog.reject(self)
