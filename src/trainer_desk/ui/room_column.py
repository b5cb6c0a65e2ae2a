"""The presenter's right-hand column: what the room sees, the phones' answers, the audience screen, the film
and the FAQ, one under the other, scrolling when the screen is too small for them."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QVBoxLayout, QWidget


class RoomColumn(QScrollArea):
    def __init__(self, parts: Sequence[QWidget]) -> None:
        """`parts` from the top; the last (the FAQ) takes the height left over."""
        super().__init__()
        column = QWidget()
        layout = QVBoxLayout(column)
        for part in parts[:-1]:
            layout.addWidget(part)
        layout.addWidget(parts[-1], 1)
        # The film's box and the FAQ are taller than a small laptop's screen has room for beside the buttons:
        # they scroll, rather than push the window (and End session) past the bottom of the screen. At 200%
        # display scaling they are wider than the column too, and scroll sideways rather than being cut off.
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        # A frame around the column, not a control: Tab goes on to what is in it (it took a stop of its own,
        # unnamed and with no focus to see).
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWidget(column)
