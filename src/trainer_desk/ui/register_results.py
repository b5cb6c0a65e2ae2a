"""The people found, in a list under the register's search box: it takes room only while it has someone to
show, and does not make the register under it jump at every scan."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QListWidget, QWidget

COLLAPSE_AFTER_MS = 1500  # the list of people found stays this long after a mark empties it, for the next scan
RESULT_LINES = 6  # the list of people found, when shown: a name shared by several people, with room to choose


class PeopleFoundList(QListWidget):
    """An empty box 200 pixels high left 8 lines of the register in view at 1100x720, so the list shows only
    while it holds someone. Shown, it is always `RESULT_LINES` high, whatever each keystroke finds, and emptied
    it goes `COLLAPSE_AFTER_MS` later, once no scan has filled it again: the register under it moves when
    scanning starts and stops, not at each key or person (each jump redrew all of it: a scan took 9 ms, not 3)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("People found")
        self.hide()  # no room taken until someone is found: the register below shows more lines
        self.closed_for_good = False  # a cancelled session's register finds no one
        self._collapse = QTimer(self, singleShot=True, interval=COLLAPSE_AFTER_MS)
        self._collapse.timeout.connect(self.collapse)

    def fit_to_found(self) -> None:
        """Show the list for what it now holds, or start the wait before it goes."""
        if self.closed_for_good:
            self.collapse()
        elif self.count():
            self._collapse.stop()
            if not self.isVisible():
                rows = RESULT_LINES * max(self.sizeHintForRow(0), 1)
                self.setFixedHeight(rows + 2 * self.frameWidth())
                self.show()
        elif self.isVisible() and not self._collapse.isActive():
            self._collapse.start()

    def collapse(self) -> None:
        """Take the list away now if it has no one to show (Escape, or the wait after the last scan)."""
        self._collapse.stop()
        if self.count() == 0 or self.closed_for_good:
            self.hide()
