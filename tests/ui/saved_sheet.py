"""The register's attendance sheet as a trainer saves it: the button, the file dialog's Save, the status line
saying where it went; then the PDF read back as one line of text."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QFileDialog, QMainWindow
from pytestqt.qtbot import QtBot

from tests.ui.clicks import click, open_dialog


def saved_sheet(qtbot: QtBot, register: QMainWindow, home: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str]:
    """Saves the sheet under `home` (the folder the dialog suggests) with the name suggested; its path and its
    text, every run of white space made one space."""
    monkeypatch.setenv("HOME", str(home))
    click(qtbot, register, "Attendance sheet…")
    chooser = open_dialog(qtbot)
    assert isinstance(chooser, QFileDialog)
    click(qtbot, chooser, "Save")
    qtbot.waitUntil(lambda: register.statusBar().currentMessage().startswith("Saved to"), timeout=15000)
    [sheet] = home.glob("*.pdf")
    return sheet, " ".join(" ".join(page.extract_text() for page in PdfReader(sheet).pages).split())
