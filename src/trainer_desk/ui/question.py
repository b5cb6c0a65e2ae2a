"""A question that waits for the person without stopping the app: two answers named for what they do, the
cautious one the default (Enter or Escape takes it), and only the other one acts."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


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
