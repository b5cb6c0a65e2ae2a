"""The frame every area of the main window shares: a title and a line saying what the area is for."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class AreaPanel(QWidget):
    """A titled area with a one-line explanation, so every screen says what it is for."""

    def __init__(self, title: str, explanation: str) -> None:
        super().__init__()
        self.setAccessibleName(title)
        self.layout_ = QVBoxLayout(self)
        heading = QLabel(f"<h1>{title}</h1>")
        heading.setTextFormat(Qt.TextFormat.RichText)
        self.explanation = QLabel(explanation)
        self.explanation.setWordWrap(True)
        self.layout_.addWidget(heading)
        self.layout_.addWidget(self.explanation)

    def refresh(self) -> None:
        """Re-read what this panel shows; panels with data override it."""
