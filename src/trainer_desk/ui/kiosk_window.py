"""Self sign-in: attendees type or scan their own staff number and see their name confirmed.

Nothing here lets anyone browse the roster: only an exact staff number gets an answer. The trainer leaves
with the PIN they chose when starting it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout

from trainer_desk.core.people import normalise_staff_number
from trainer_desk.ui.room_window import RoomWindow

# Only the kiosk's own widgets (its children, '>'): the trainer's PIN dialog opens over it as its child too,
# and white letters or 40-point digits there were unreadable on the dialog's light grey.
_STYLE = """
QWidget#kiosk { background: #0b1f3a; }
QWidget#kiosk > QLabel { color: #ffffff; }
QWidget#kiosk > QLineEdit { font-size: 40pt; padding: 12px; }
QWidget#kiosk > QLabel#reply { font-size: 30pt; }
QWidget#kiosk > QPushButton {
    font-size: 12pt; padding: 6px 14px; color: #0b1f3a; background: #e8edf5;
    border: 4px solid #0b1f3a; border-radius: 6px;
}
QWidget#kiosk > QPushButton:focus { border-color: #ffd400; }
"""
# The way out has a ring a trainer sees from across the room when Tab reaches it: the system's own focus frame,
# a one-pixel tint, did not show on the dark background.


class KioskWindow(RoomWindow):
    number_entered = Signal(str)  # the register answers with show_reply

    def __init__(self, pin: str, heading: str) -> None:
        super().__init__(pin, "leave sign-in")
        self.setObjectName("kiosk")
        self.setWindowTitle("Trainer Desk - sign in")
        self.setAccessibleName("Self sign-in")
        self.setStyleSheet(_STYLE)
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
        self.reply.setTextFormat(Qt.TextFormat.PlainText)  # it names people: a name is never markup
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addSpacing(30)
        layout.addWidget(self.entry)
        layout.addWidget(self.reply)
        layout.addStretch(2)
        layout.addWidget(self.leave, 0, Qt.AlignmentFlag.AlignRight)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
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
