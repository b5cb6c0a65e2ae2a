"""Playing a section's film as the trainer does, and waiting until the next key will reach the presenter."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from trainer_desk.ui.presenter_window import PresenterWindow


def play_film(qtbot: QtBot, presenter: PresenterWindow, timeout: int = 15000) -> None:
    """Press K and wait until the film plays and the keyboard is the presenter's again.

    Some platforms (the offscreen one among them) make the audience window active when the film first shows
    on it; the app hands the keyboard straight back, one turn of the event loop later. A key pressed before
    that would go to the audience window, as it would for a trainer pressing it in that instant.
    """
    qtbot.keyClick(presenter, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: presenter.video_controls.play_button.text() == "Pause video", timeout=timeout)
    qtbot.waitUntil(presenter.isActiveWindow, timeout=5000)
