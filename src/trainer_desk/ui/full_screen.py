"""Windows handed to the room (self sign-in, the feedback form) cover the whole screen they are on."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def show_full_screen(window: QWidget, near: QWidget | None = None) -> None:
    """Full screen on the screen of `near` (the trainer's window), sized to it first: where no window manager
    honours a full-screen request (a kiosk set-up, a bare X session), the window still covers everything
    behind it, names and numbers included."""
    screen = (near.screen() if near is not None else None) or QGuiApplication.primaryScreen()
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
    window.raise_()
    window.activateWindow()
