"""Dialogs that ask before throwing away what was typed in them.

Escape, Cancel and the window's close box all reject a dialog, and Escape is pressed for other reasons too: to
clear a search, or to leave a drop-down. A start dialog half filled in, a walk-in's details or an exemption's
reason went without a word. A `KeepsTyping` dialog compares what its fields hold with what they held when it
opened, and asks first when they differ, "Keep typing" being the answer Enter and Escape give.
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
    """A dialog that asks before closing on what the person has typed since it opened."""

    _opened_with: Fields | None = None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._opened_with is None:  # filled in by the caller before it was shown: not the person's typing
            self._opened_with = what_is_filled_in(self)

    def unsaved(self) -> str:
        """What would be lost, in words, or '' when nothing would be."""
        if self._opened_with is None or what_is_filled_in(self) == self._opened_with:
            return ""
        return "What you typed here is not saved yet."

    def reject(self) -> None:
        lost = self.unsaved()
        if not lost:
            super().reject()
            return
        ask = QMessageBox(
            QMessageBox.Icon.Question,
            f"{self.windowTitle()}: not saved - Trainer Desk",
            f"{lost} Close without saving?",
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            self,
        )
        ask.setAccessibleName("Close without saving?")
        ask.button(QMessageBox.StandardButton.Discard).setText("Close without saving")
        ask.button(QMessageBox.StandardButton.Cancel).setText("Keep typing")
        ask.setDefaultButton(QMessageBox.StandardButton.Cancel)
        ask.setEscapeButton(QMessageBox.StandardButton.Cancel)
        ask.button(QMessageBox.StandardButton.Discard).clicked.connect(lambda: QDialog.reject(self))
        ask.open()

    def close_without_asking(self) -> None:
        """Closed by the app itself (nothing left to do), not by the person: nothing is asked."""
        QDialog.reject(self)
