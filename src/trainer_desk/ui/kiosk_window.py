"""Self sign-in: attendees type or scan their own staff number and see their name confirmed.

Nothing here lets anyone browse the roster: only an exact staff number gets an answer. The trainer leaves
with the PIN they chose when starting it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from trainer_desk.core.people import normalise_staff_number
from trainer_desk.ui.room_window import RoomWindow

# Only the kiosk's own widgets (its children and its column's, '>'): the trainer's PIN dialog opens over it as
# its child too, and white letters or 40-point digits there were unreadable on the dialog's light grey.
_STYLE = """
QWidget#kiosk { background: #0b1f3a; }
QWidget#kiosk > QLabel, QWidget#column > QLabel { color: #ffffff; }
QWidget#column > QLineEdit { font-size: 40pt; padding: 12px; }
QWidget#column > QLabel#reply { font-size: 30pt; }
QWidget#kiosk > QPushButton {
    font-size: 12pt; padding: 6px 14px; color: #0b1f3a; background: #e8edf5;
    border: 4px solid #0b1f3a; border-radius: 6px;
}
QWidget#kiosk > QPushButton:focus { border-color: #ffd400; }
"""
# The way out has a ring a trainer sees from across the room when Tab reaches it: the system's own focus frame,
# a one-pixel tint, did not show on the dark background.

INSTRUCTION = "Sign in: type or scan your staff number, then press Enter"
INSTRUCTION_POINTS = 22
# A readable measure: the column is as wide as the instruction on one line, and no wider. On a 1920-wide laptop
# the staff-number box ran from edge to edge, a long way for the eye from the instruction to the box's middle.
MEASURE_SPARE_EM = 2


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
            f"<div style='font-size:{INSTRUCTION_POINTS}pt'>{INSTRUCTION}</div>"
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
        self.column = QWidget()
        self.column.setObjectName("column")
        column = QVBoxLayout(self.column)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(title)
        column.addSpacing(30)
        column.addWidget(self.entry)
        column.addWidget(self.reply)
        self.column.setMaximumWidth(self._measure())
        middle = QHBoxLayout()  # the column centred, the screen's spare width either side of it
        middle.addStretch(1)
        middle.addWidget(self.column, 1000)  # up to its widest before the sides take any
        middle.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(middle)
        layout.addStretch(2)
        layout.addWidget(self.leave, 0, Qt.AlignmentFlag.AlignRight)
        self.entry.returnPressed.connect(self._on_entry_return_pressed)
        self.clear_reply = QTimer(self)
        self.clear_reply.setSingleShot(True)
        self.clear_reply.setInterval(4000)
        self.clear_reply.timeout.connect(self.reply.clear)

    def _measure(self) -> int:
        """The column's widest: the instruction on one line, in its own type size, with a little to spare."""
        font = QFont(self.font())
        font.setPointSize(INSTRUCTION_POINTS)
        metrics = QFontMetrics(font)
        return metrics.horizontalAdvance(INSTRUCTION) + MEASURE_SPARE_EM * metrics.horizontalAdvance("M")

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
