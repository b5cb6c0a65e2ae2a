"""The row of buttons along the bottom of the presenter's window, each also a key (F1 lists them)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QWidget

# Pressed in while the room sees what they show, as the presentation's view says.
_SHOWS_THE_ROOM = {"Blank screen", "Signposting"}


class PresenterButtons(QWidget):
    def __init__(self, actions: Sequence[tuple[str, Callable[[], object]]]) -> None:
        """One button for each (text, action), in order; the last ends the delivery."""
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # a row of the window, not a box of its own
        made: dict[str, QPushButton] = {}
        for text, action in actions:
            button = QPushButton(text)
            button.setAccessibleName(text.strip("◀▶ "))
            button.clicked.connect(lambda _checked=False, act=action: act())  # `checked` never reaches a slot
            button.setCheckable(text in _SHOWS_THE_ROOM)
            layout.addWidget(button)
            made[text] = button
        self.pause, self.blank, self.signposting = made["Pause clock"], made["Blank screen"], made["Signposting"]
        self.end = made[actions[-1][0]]
