"""What the main window has to tell a person in its status bar ("Some records have waited 53 days to reach
HQ…", "The session was not started: …"), on a line of its own beside the data folder and the sync state.

Said through the status bar's own message, it was painted over the "Data: …" label (which Qt hides for a
message only if the label is already on screen) and ran under the sync state on a small screen. Here the notice
is a label the bar lays out like any other: where it has not the room, it is cut short with an ellipsis, and
its whole words are in its tooltip and given to a screen reader."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class StatusNotice(QLabel):
    """One line that gives way to its neighbours: never wider than it is given, never widening its window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.whole = ""
        self.setAccessibleName("Message")
        self.setContentsMargins(12, 0, 0, 0)  # apart from the data folder before it
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.expiry = QTimer(self)
        self.expiry.setSingleShot(True)
        self.expiry.timeout.connect(lambda: self.say(""))
        self.hide()

    def say(self, text: str, for_ms: int = 0) -> None:
        """Show `text` (for `for_ms` milliseconds; until something else is said, when 0); "" clears it."""
        self.expiry.stop()
        self.whole = text
        self.setToolTip(text)
        self.setAccessibleDescription(text)
        self._fit()
        self.setVisible(bool(text))
        if text and for_ms:
            self.expiry.start(for_ms)

    def sizeHint(self) -> QSize:
        margins = self.contentsMargins()
        wanted = self.fontMetrics().horizontalAdvance(self.whole) + margins.left() + margins.right()
        return QSize(wanted, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("Some…"), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """What fits the width it has now, an ellipsis ending what does not."""
        room = self.contentsRect().width()
        self.setText(self.fontMetrics().elidedText(self.whole, Qt.TextElideMode.ElideRight, room))
