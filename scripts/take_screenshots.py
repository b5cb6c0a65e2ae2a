"""Render the app's windows offscreen to PNG for the README: `python scripts/take_screenshots.py`.

Uses a throw-away data folder, so the pictures show the embedded defaults a new user sees.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QWidget

from trainer_desk.app import application, build_main_window
from trainer_desk.paths import AppPaths
from trainer_desk.ui.audience_window import AudienceWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def settle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def save_video_frame(audience: AudienceWindow, name: str) -> None:
    """The offscreen platform cannot capture a video surface, so draw the frame the player delivered to the
    audience screen, with the caption label over it as the room sees it."""
    frame = audience.video.videoSink().videoFrame().toImage()
    picture = audience.grab().toImage()
    painter = QPainter(picture)
    video_area = audience.video.geometry()
    painter.drawImage(video_area, frame.scaled(video_area.size(), Qt.AspectRatioMode.KeepAspectRatio))
    caption = audience.caption
    painter.drawPixmap(caption.geometry().topLeft(), caption.grab())
    painter.end()
    picture.save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    app = application()
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        workspace = open_workspace(AppPaths.resolve(Path(folder) / "data"))
        tasks = TaskRunner()
        window = build_main_window(workspace, tasks)
        window.show()
        settle(app, 0.3)
        save(window, "main-window.png")
        window.navigation.setCurrentRow(2)
        settle(app, 0.1)
        save(window, "roster.png")
        window.navigation.setCurrentRow(0)

        assert window.launcher is not None
        plan = window.launcher.library.get("signa-core")
        assert plan is not None
        presenter = window.launcher.rehearse(plan)
        presenter.audience.setGeometry(0, 0, 1280, 720)
        presenter.move(0, 0)
        presenter.go_to(3)
        presenter.faq.search.setText("banter")
        settle(app, 0.5)
        save(presenter, "presenter.png")
        save(presenter.audience, "audience.png")
        presenter.go_to(1)
        presenter.toggle_video()
        settle(app, 12)
        presenter.toggle_video()
        settle(app, 0.3)
        save_video_frame(presenter.audience, "audience-video.png")
        presenter.close()
        window.close()
        tasks.wait()
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
