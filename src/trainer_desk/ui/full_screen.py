"""Windows that cover a whole screen: the audience view on the projector, and what is handed to the room (self
sign-in, the feedback form)."""

from __future__ import annotations

from PySide6.QtGui import QScreen
from PySide6.QtWidgets import QWidget


def show_full_screen(window: QWidget, screen: QScreen) -> None:
    """Full screen on `screen`, sized to it first: where no window manager honours a full-screen request (a
    kiosk set-up, a bare X session), the window still covers everything behind it, names and numbers included."""
    window.setScreen(screen)
    window.setGeometry(screen.geometry())
    window.showFullScreen()
