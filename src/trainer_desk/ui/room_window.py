"""A window handed to the room (self sign-in, the feedback form): frameless, full screen, and left only with
the trainer's PIN, so nobody passing the laptop round can reach the register behind it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QPushButton, QWidget

from trainer_desk.ui.enter_presses import EnterPressesButtons
from trainer_desk.ui.pin_dialog import PinDialog

# What the room reads when something it gave was not saved, wherever it gave it: the details (and what to do)
# are the trainer's, on the register.
NOT_SAVED_FOR_THE_ROOM = "Not saved. Please see the trainer."


class RoomWindow(EnterPressesButtons, QWidget):
    unlocked = Signal()  # the trainer entered the PIN; the window has closed

    def __init__(self, pin: str, leaving: str) -> None:
        """`leaving` completes "Trainer: …" on the way-out button, e.g. "leave sign-in"."""
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self._pin = pin
        self._leaving = leaving
        self._unlocked = False
        self.pin_dialog: PinDialog | None = None
        self.leave = QPushButton(f"Trainer: {leaving}")
        self.leave.setAccessibleName(f"Trainer: {leaving} (needs the PIN)")
        self.leave.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # a participant pressing Enter never lands on it
        self.leave.clicked.connect(self._on_leave_clicked)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self, self.ask_pin)

    def _on_leave_clicked(self) -> None:
        self.ask_pin()

    def ask_pin(self) -> PinDialog:
        """The trainer's way out; the question does not block, so the room's window goes on behind it."""
        if self.pin_dialog is None:
            self.pin_dialog = PinDialog(self, f"Enter the trainer's PIN to {self._leaving}:", self._pin)
            self.pin_dialog.pin_accepted.connect(self._on_pin_accepted)
        self.pin_dialog.problem.clear()
        self.pin_dialog.open()
        self.pin_dialog.entry.setFocus()
        return self.pin_dialog

    def _on_pin_accepted(self) -> None:
        self.force_close()
        self.unlocked.emit()

    def force_close(self) -> None:
        """Leave without the PIN: only the app itself does this, when the register closes."""
        self._unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unlocked:
            super().closeEvent(event)
        else:
            event.ignore()  # only the trainer's PIN ends it
