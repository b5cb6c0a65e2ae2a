"""Drop-down lists that fit the space they are given, rather than widening it to their longest entry."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox


def fit_to_column(box: QComboBox, letters: int = 12) -> None:
    """A list whose entries are long ("Audience on PROJECTOR (1024x768)", a session's plan, day and venue)
    narrows to its column rather than widening the window: the presenter's Sound list pushed the film's Captions
    box past the column's edge at 1280 pixels, and Reports' list of sessions made the main window wider than a
    1366-pixel laptop's screen. The open list still shows each entry whole; the chosen one is in its tooltip."""
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(letters)
    box.currentTextChanged.connect(box.setToolTip)
