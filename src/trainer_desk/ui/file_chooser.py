"""The file chooser every import and export opens: Qt's own rather than the desktop's, so it is the same on
every laptop and reachable by keyboard, and never blocking (the app keeps running, and syncing, meanwhile)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QWidget


def file_chooser(
    parent: QWidget | None, title: str, accessible_name: str, name_filter: str, mode: QFileDialog.AcceptMode
) -> QFileDialog:
    """A chooser to `open()`, gone once closed; the caller connects what follows the choice."""
    dialog = QFileDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setAccessibleName(accessible_name)
    dialog.setNameFilter(name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)  # the same dialog everywhere, keyboard included
    dialog.setAcceptMode(mode)  # after the option, or a save dialog's button says Open
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog
