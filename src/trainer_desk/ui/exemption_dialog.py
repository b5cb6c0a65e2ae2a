"""Excuse someone from a programme, or record that they completed it another way, with the reason.

The dialog only gathers the answer; the panel that opens it saves it through the database worker and, if the
store refuses it (no one with that number, no reason), shows why in the dialog, which stays open."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from trainer_desk.core.compliance_count import ExemptionKind
from trainer_desk.core.people import normalise_staff_number
from trainer_desk.ui.unsaved import KeepsTyping


class ExemptionDialog(KeepsTyping):
    submitted = Signal(str, str, object, str)  # staff number, programme id, ExemptionKind, reason

    def __init__(self, parent: QWidget | None, programmes: dict[str, str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Exempt from a programme")
        self.setAccessibleName("Exempt from a programme")
        self.number = QLineEdit()
        self.number.setAccessibleName("Staff number")
        self.programme = QComboBox()
        self.programme.setAccessibleName("Programme")
        for programme_id, name in sorted(programmes.items(), key=lambda item: item[1]):
            self.programme.addItem(name, programme_id)
        self.exempt = QRadioButton("Exempt: not expected to complete it")
        self.exempt.setAccessibleName("Exempt")
        self.exempt.setChecked(True)
        self.other_way = QRadioButton("Completed it another way (one to one, say)")
        self.other_way.setAccessibleName("Completed it another way")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason")
        self.reason.setPlaceholderText("Why: kept with the record and in the audit trail")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record")
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Staff number", self.number)
        form.addRow("Programme", self.programme)
        form.addRow(self.exempt)
        form.addRow(self.other_way)
        form.addRow("Reason", self.reason)
        form.addRow(self.error)
        form.addRow(buttons)

    def _on_buttons_accepted(self) -> None:
        number = normalise_staff_number(self.number.text())
        if not number or not self.reason.text().strip():
            self.error.setText("Give the staff number and the reason.")
            return
        kind = ExemptionKind.OTHER_WAY if self.other_way.isChecked() else ExemptionKind.EXEMPT
        self.error.setText("Saving…")
        self.submitted.emit(number, str(self.programme.currentData()), kind, self.reason.text().strip())

    def show_refusal(self, text: str) -> None:
        self.error.setText(text)
