"""Why a closed session's register is being corrected: a reason is required, and a reason left empty is said
beside the Reason field with the box kept open, so what the trainer chose (the line, late or left early) is
not thrown away and chosen again from the start."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

NEEDS_A_REASON = "A correction needs a reason: say why the register is being changed, as it is kept with it."


class CorrectionDialog(QDialog):
    """Asks `question` and hands the reason, trimmed, to `then` once one is given; Cancel changes nothing."""

    def __init__(self, parent: QWidget | None, question: str, then: Callable[[str], None]) -> None:
        super().__init__(parent)
        self.then = then
        self.setWindowTitle("Correct the register")
        self.setAccessibleName("Correct the register")
        self.question = QLabel(question)
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.TextFormat.PlainText)  # it names people: a name is never markup
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setMaxLength(500)
        self.error = QLabel()
        self.error.setAccessibleName("Problem with the reason")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")  # as the other dialogs show a problem
        self.error.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.question)
        reason_label = QLabel("&Reason")
        reason_label.setBuddy(self.reason)
        form.addRow(reason_label, self.reason)
        form.addRow("", self.error)  # right under the field it is about
        form.addRow(buttons)
        self.reason.textChanged.connect(self._on_reason_text_changed)

    def accept(self) -> None:
        reason = self.reason.text().strip()
        if not reason:
            self.error.setText(NEEDS_A_REASON)
            self.error.show()
            self.adjustSize()
            self.reason.setFocus()
            return
        super().accept()
        self.then(reason)

    def _on_reason_text_changed(self, text: str) -> None:
        if text.strip():
            self.error.hide()


def ask_for_correction(parent: QWidget, question: str, then: Callable[[str], None]) -> CorrectionDialog:
    """Open the box without blocking the app (the register runs on while it is asked)."""
    dialog = CorrectionDialog(parent, question, then)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    dialog.reason.setFocus()
    return dialog
