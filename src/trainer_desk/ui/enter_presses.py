"""Enter presses the focused button in every window, as Space does.

Qt lets Enter press a button only inside a dialog; in the main window, the presenter, the register and the
windows handed to the room it did nothing, which a keyboard user (and anyone used to Windows) reads as a
broken button. A button marked auto-default takes Enter itself, when Enter lands on it: so only a press that
reaches the focused button presses it (the Enter a search box answers by moving focus to a button does not),
and no Python runs for any other key or event, which an application-wide filter cost at every start-up."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QPushButton, QWidget


def press_with_enter(root: QWidget) -> None:
    """Every push button now in `root` takes Enter as it takes Space."""
    for button in root.findChildren(QPushButton):
        button.setAutoDefault(True)


class EnterPressesButtons:
    """Mixed into each top-level window that is not a dialog (a dialog's buttons take Enter already), ahead
    of its Qt class. A window that puts in buttons after it is shown calls `press_with_enter` for them."""

    def showEvent(self, event: QShowEvent) -> None:
        if isinstance(self, QWidget):
            press_with_enter(self)
        super().showEvent(event)  # type: ignore[misc]
