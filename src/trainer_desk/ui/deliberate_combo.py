"""A drop-down list whose choice changes only when the person opens it and picks from it.

A closed QComboBox takes a new entry from Up, Down, Home, End, Page Up/Down, a typed letter or the mouse wheel:
a stray key or scroll while it had the focus changed the session's unit to another BCU, unseen, and HQ then
refused the session. Here those keys and the wheel leave the choice as it was; Space, Alt+Down and F4 still
open the list, where the arrow keys and Enter (or a click) pick an entry, which `activated` then reports."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox

_STEPS = frozenset(
    {Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End, Qt.Key.Key_PageUp, Qt.Key.Key_PageDown}
)
_COMMANDS = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier


class DeliberateComboBox(QComboBox):
    def keyPressEvent(self, event: QKeyEvent) -> None:
        commanded = bool(event.modifiers() & _COMMANDS)
        stepping = event.key() in _STEPS and not commanded  # Alt+Down opens the list, as it should
        typing = bool(event.text().strip()) and event.text().isprintable() and not commanded
        if stepping or typing:
            event.accept()  # taken here, so it neither changes the choice nor reaches the dialog
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.ignore()  # the form around it scrolls, if it can; the choice stays
