"""A question that waits for the person without stopping the app: two answers named for what they do, the
cautious one the default (Enter or Escape takes it), and only the other one acts; or a line to type in."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


def ask(
    parent: QWidget, title: str, text: str, act: str, hold_back: str, on_act: Callable[[], object], name: str = ""
) -> QMessageBox:
    """Show `text` with a button `act`, which calls `on_act`, and `hold_back`, the default, which does nothing;
    `name` is the question's accessible name where its title is not enough. Open, not exec: the event loop
    (a sync, the register) runs on while it is asked."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent
    )
    if name:
        box.setAccessibleName(name)
    box.button(QMessageBox.StandardButton.Yes).setText(act)
    box.button(QMessageBox.StandardButton.No).setText(hold_back)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.accepted.connect(on_act)
    box.open()
    return box


def ask_text(
    parent: QWidget, title: str, label: str, then: Callable[[str], None], secret: bool = False, field: str = "PIN"
) -> QInputDialog:
    """A question answered in words that does not block the app: `then` gets the answer, Cancel does nothing.
    `field`: the answer box's name for a screen reader (a reason, a PIN)."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setLabelText(label)
    dialog.setAccessibleName(title)
    if secret:  # seen while typed, to be sure of it (a slip locked the trainer out), and hidden after
        dialog.setTextEchoMode(QLineEdit.EchoMode.PasswordEchoOnEdit)
    dialog.textValueSelected.connect(then)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    for entry in dialog.findChildren(QLineEdit):  # made by open(): Qt gives it no name of its own
        entry.setAccessibleName(field)
    return dialog
