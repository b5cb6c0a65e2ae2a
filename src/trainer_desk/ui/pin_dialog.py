"""The trainer's PIN, asked before leaving a window that is passed round the room (self sign-in, feedback).

Non-blocking on purpose: the window `open()`s it and listens for `pin_accepted`, so nothing waits in a nested
event loop and a test can type into it like a person. A wrong PIN is said in the dialog itself, which stays
open for another try; Cancel or Escape closes it and leaves the window locked.
"""

from __future__ import annotations

import hmac

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget


class PinDialog(QDialog):
    pin_accepted = Signal()  # the right PIN was entered; the dialog has closed

    def __init__(self, parent: QWidget, prompt: str, pin: str) -> None:
        super().__init__(parent)
        self._pin = pin
        self.setWindowTitle("Trainer PIN")
        self.setAccessibleName("Trainer PIN")
        label = QLabel(prompt)
        label.setWordWrap(True)
        self.entry = QLineEdit()
        self.entry.setEchoMode(QLineEdit.EchoMode.Password)
        self.entry.setAccessibleName("Trainer PIN")
        label.setBuddy(self.entry)
        self.problem = QLabel()
        self.problem.setAccessibleName("PIN message")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setAccessibleName("Leave (check the PIN)")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setAccessibleName("Cancel: stay here")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.entry)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.entry.setFocus()

    def _on_buttons_accepted(self) -> None:
        entered = self.entry.text()
        self.entry.clear()
        if not hmac.compare_digest(entered.encode(), self._pin.encode()):
            self.problem.setText("That PIN is not right.")
            self.entry.setFocus()
            return
        self.problem.clear()
        self.accept()
        self.pin_accepted.emit()
