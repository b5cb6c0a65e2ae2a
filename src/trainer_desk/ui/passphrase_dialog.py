"""Ask for the start-up passphrase in a window, when the computer has no keyring and IT allows it.

The dialog checks what it can itself (length, the two copies matching) and stays open to say what was wrong;
whether a passphrase opens the data is decided below, and the dialog is shown again with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QWidget

from trainer_desk.key_store import EMPTY, MIN_LENGTH, chosen_passphrase_problem

TITLE = "Trainer Desk"
CHOOSING = (
    "This computer has no keyring, so Trainer Desk's data will be locked with a passphrase you choose. "
    f"Use at least {MIN_LENGTH} characters, not a common password nor a run like abcdefghij. It cannot be "
    "recovered if forgotten, and records not yet sent to HQ would be lost."
)
OPENING = "Type the passphrase that locks Trainer Desk's data on this computer."


class PassphraseDialog(QDialog):
    """One passphrase field to open the data, two to choose a new passphrase; Cancel gives up."""

    def __init__(self, creating: bool, problem: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.creating = creating
        self.setWindowTitle(TITLE)
        self.setAccessibleName("Choose a passphrase" if creating else "Passphrase")
        self.explanation = QLabel(CHOOSING if creating else OPENING)
        self.explanation.setWordWrap(True)
        self.passphrase = _password_field("Passphrase")
        self.again = _password_field("Passphrase again") if creating else None
        self.problem = QLabel(problem)
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color: #b00020;")
        self.problem.setAccessibleName("Problem")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Use this passphrase" if creating else "Open")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Quit")
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(self.explanation)
        form.addRow("Choose a passphrase" if creating else "Passphrase", self.passphrase)
        if self.again is not None:
            form.addRow("Type it again", self.again)
        form.addRow(self.problem)
        form.addRow(self.buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 64)  # the explanation reads as sentences
        self.passphrase.setFocus()

    def text(self) -> str:
        return self.passphrase.text()

    def _on_buttons_accepted(self) -> None:
        first = self.passphrase.text()
        if self.again is not None:
            problem = chosen_passphrase_problem(first, self.again.text())
        else:
            problem = "" if first else EMPTY
        if not problem:
            self.accept()
            return
        self.problem.setText(problem)
        self.passphrase.clear()
        if self.again is not None:
            self.again.clear()
        self.passphrase.setFocus()


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(name)
    return field


def ask_in_window(
    creating: bool, problem: str = "", over: QWidget | None = None, give_up_after_ms: int | None = None
) -> str | None:
    """The passphrase typed, or None when the person chose Quit (or closed the window); asked over the window
    `over` when there is one. With `give_up_after_ms` (an installation check, which nobody answers) the
    question is withdrawn after that long, as Quit would."""
    dialog = PassphraseDialog(creating, problem, over)
    if give_up_after_ms is not None:
        QTimer.singleShot(give_up_after_ms, dialog.reject)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text()
