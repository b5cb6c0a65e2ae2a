"""Enter presses the focused button in every window, as Space does.

Qt lets Enter press a button only inside a dialog; in the main window, the presenter, the register and the
windows handed to the room it did nothing, which a keyboard user (and anyone used to Windows) reads as a
broken button. One filter on the application sees the key where it lands: only a press that reaches the
button itself presses it (the Enter that a search box answers by moving focus to a button does not)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QPushButton

ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class EnterPressesButtons(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QPushButton)
            and isinstance(event, QKeyEvent)
            and event.key() in ENTER
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            and watched.isEnabled()
            and not isinstance(watched.window(), QDialog)  # a dialog's own rules: its default button
        ):
            watched.click()
            return True
        return False


def press_buttons_with_enter(app: QApplication) -> None:
    """Once per application (calling again changes nothing)."""
    if app.findChild(EnterPressesButtons) is None:
        app.installEventFilter(EnterPressesButtons(app))
