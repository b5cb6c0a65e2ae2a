"""Self sign-in: attendees type or scan their own staff number and see their name confirmed.

Nothing here lets anyone browse the roster: only an exact staff number gets an answer. The trainer leaves
with the PIN they chose when starting it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from trainer_desk.core.people import normalise_staff_number
from trainer_desk.ui.pin_dialog import PinDialog

_STYLE = """
QWidget#kiosk { background: #0b1f3a; }
QLabel { color: #ffffff; }
QLineEdit { font-size: 40pt; padding: 12px; }
QLabel#reply { font-size: 30pt; }
QPushButton { font-size: 12pt; }
"""


class KioskWindow(QWidget):
    number_entered = Signal(str)  # the register answers with show_reply
    unlocked = Signal()

    def __init__(self, pin: str, heading: str) -> None:
        super().__init__(None, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setObjectName("kiosk")
        self.setWindowTitle("Trainer Desk - sign in")
        self.setAccessibleName("Self sign-in")
        self.setStyleSheet(_STYLE)
        self._pin = pin
        self._unlocked = False
        self.pin_prompt: PinDialog | None = None
        title = QLabel(
            f"<div style='font-size:34pt;font-weight:bold'>{heading}</div>"
            "<div style='font-size:22pt'>Sign in: type or scan your staff number, then press Enter</div>"
        )
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title.setWordWrap(True)
        self.entry = QLineEdit()
        self.entry.setAccessibleName("Your staff number")
        self.entry.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.entry.setMaxLength(20)
        self.reply = QLabel()
        self.reply.setObjectName("reply")
        self.reply.setAccessibleName("Sign-in reply")
        self.reply.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reply.setWordWrap(True)
        self.leave = QPushButton("Trainer: leave sign-in")
        self.leave.setAccessibleName("Trainer: leave sign-in (needs the PIN)")
        self.leave.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addSpacing(30)
        layout.addWidget(self.entry)
        layout.addWidget(self.reply)
        layout.addStretch(2)
        layout.addWidget(self.leave, 0, Qt.AlignmentFlag.AlignRight)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        self.leave.clicked.connect(self.ask_pin)
        QShortcut(QKeySequence("Ctrl+Shift+Q"), self, self.ask_pin)
        self.clear_reply = QTimer(self)
        self.clear_reply.setSingleShot(True)
        self.clear_reply.setInterval(4000)
        self.clear_reply.timeout.connect(self.reply.clear)

    def _on_entry_return_pressed(self) -> None:
        number = normalise_staff_number(self.entry.text())
        self.entry.clear()
        if number:
            self.number_entered.emit(number)

    def show_reply(self, text: str, good: bool) -> None:
        self.reply.setText(text)
        self.reply.setStyleSheet(f"color: {'#a8f0c0' if good else '#ffd27a'};")
        self.clear_reply.start()
        self.entry.setFocus()

    def ask_pin(self) -> PinDialog:
        """The trainer's way out; the question does not block, so sign-in goes on behind it."""
        if self.pin_prompt is None:
            self.pin_prompt = PinDialog(self, "Enter the PIN to leave sign-in:", self._pin)
            self.pin_prompt.pin_accepted.connect(self._on_pin_accepted)
        self.pin_prompt.problem.clear()
        self.pin_prompt.open()
        self.pin_prompt.entry.setFocus()
        return self.pin_prompt

    def _on_pin_accepted(self) -> None:
        self.force_close()
        self.unlocked.emit()

    def force_close(self) -> None:
        """Leave sign-in without the PIN: only the app itself does this, when the register closes."""
        self._unlocked = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._unlocked:
            super().closeEvent(event)
        else:
            event.ignore()  # only the trainer's PIN ends sign-in
