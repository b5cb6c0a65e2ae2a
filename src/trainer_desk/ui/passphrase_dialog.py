"""Ask for the start-up passphrase in a window, when the computer has no keyring and IT allows it."""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

MIN_LENGTH = 10


def ask_in_window(creating: bool) -> str | None:
    if not creating:
        text, ok = QInputDialog.getText(
            None, "Trainer Desk", "Passphrase for Trainer Desk's data:", QLineEdit.EchoMode.Password
        )
        return text if ok and text else None
    QMessageBox.information(
        None,
        "Trainer Desk",
        "This computer has no keyring, so Trainer Desk's data will be locked with a passphrase you choose. "
        f"Use at least {MIN_LENGTH} characters. It cannot be recovered if forgotten, and records not yet sent "
        "to HQ would be lost.",
    )
    first, ok = QInputDialog.getText(None, "Trainer Desk", "Choose a passphrase:", QLineEdit.EchoMode.Password)
    if not ok or len(first) < MIN_LENGTH:
        return None
    again, ok = QInputDialog.getText(None, "Trainer Desk", "Type it again:", QLineEdit.EchoMode.Password)
    return first if ok and again == first else None
