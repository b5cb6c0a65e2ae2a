"""Helpers for driving windows as a person does: find the visible button by its words, click it."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot


def button(root: QWidget, text: str) -> QAbstractButton:
    """The one visible button that reads `text` (ignoring '&' and the ◀ ▶ … decorations)."""

    def plain(words: str) -> str:
        return words.replace("&", "").strip("◀▶… ")

    found = [b for b in root.findChildren(QAbstractButton) if b.isVisible() and plain(b.text()) == plain(text)]
    assert len(found) == 1, f"{len(found)} visible buttons read {text!r} in {root.windowTitle()!r}"
    return found[0]


def click(qtbot: QtBot, root: QWidget, text: str) -> None:
    target = button(root, text)
    assert target.isEnabled(), f"the button {text!r} is greyed out"
    qtbot.mouseClick(target, Qt.MouseButton.LeftButton)


def open_dialog(qtbot: QtBot) -> QDialog:
    """The dialog that is asking the person something now."""
    # A bound, not a target: a first file dialog on a loaded machine has taken over five seconds to open.
    qtbot.waitUntil(lambda: isinstance(QApplication.activeModalWidget(), QDialog), timeout=20000)
    dialog = QApplication.activeModalWidget()
    assert isinstance(dialog, QDialog)
    return dialog


def answer(qtbot: QtBot, text: str) -> str:
    """Click `text` in the message box that is asking now; return what it said."""
    box = open_dialog(qtbot)
    said = box.text() if isinstance(box, QMessageBox) else box.windowTitle()
    click(qtbot, box, text)
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=3000)
    return said


def type_through_input_method(widget: QWidget, text: str) -> None:
    """How Arabic, Chinese or Korean reaches a text box: an input method commits the composed text (QTest's key
    clicks can only type Latin-1)."""
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def gone(window: QWidget) -> bool:
    """Whether `window` is gone from the screen: hidden, or closed and already deleted (a window closed once its
    last write is saved may be deleted before the test looks again)."""
    return not shiboken6.isValid(window) or not window.isVisible()
