"""Render the app's windows offscreen to PNG for the README: `python scripts/take_screenshots.py`.

Uses a throw-away data folder, so the pictures show the embedded defaults a new user sees.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QWidget

from trainer_desk.app import application, build_main_window
from trainer_desk.paths import AppPaths
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def save(widget: QWidget, name: str) -> None:
    widget.grab().save(str(OUT / name))
    print(OUT / name)


def main() -> int:
    app = application()
    with tempfile.TemporaryDirectory() as folder:
        workspace = open_workspace(AppPaths.resolve(Path(folder) / "data"))
        tasks = TaskRunner()
        window = build_main_window(workspace, tasks)
        window.show()
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.navigation.setCurrentRow(2)
        app.processEvents()
        save(window, "main-window.png")
        window.close()
        tasks.wait()
        workspace.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
