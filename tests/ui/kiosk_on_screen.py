"""Run by a test in a child process started on two screens (a laptop and a projector): hand self sign-in to the
room on each screen in turn, as the register does, and print as JSON where its staff-number box and its words
are and how large they are set (see `test_kiosk_measure`)."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QLabel, QWidget

from trainer_desk.app import application

app = application()  # the app's own, with its larger type

from trainer_desk.ui.full_screen import show_full_screen  # noqa: E402
from trainer_desk.ui.kiosk_window import KioskWindow  # noqa: E402


def box(widget: QWidget, window: QWidget) -> list[int]:
    return list(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size()).getRect())


found: dict[str, Any] = {}
for screen in app.screens():
    kiosk = KioskWindow("2468", "Signa: sexism, misogyny and sexual harassment")
    show_full_screen(kiosk, screen)
    kiosk.show_reply("Welcome, Siobhán O. You're signed in.", good=True)
    app.processEvents()
    title = next(label for label in kiosk.findChildren(QLabel) if "Sign in:" in label.text())
    found[screen.name()] = {
        "window": list(kiosk.geometry().getRect()),
        "entry": box(kiosk.entry, kiosk),
        "entry_px": QFontInfo(kiosk.entry.font()).pixelSize(),
        "reply_px": QFontInfo(kiosk.reply.font()).pixelSize(),
        "title": box(title, kiosk),
        "title_needs": title.heightForWidth(title.width()),
        "reply": box(kiosk.reply, kiosk),
        "reply_needs": kiosk.reply.heightForWidth(kiosk.reply.width()),
    }
    kiosk.force_close()
print(json.dumps(found))
