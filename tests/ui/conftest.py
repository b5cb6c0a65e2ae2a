"""What the window tests share: the app's background work, its main window, and the launcher that opens
presenters and registers as the main window does."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from trainer_desk.app import build_main_window
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


@pytest.fixture
def laptop_clock_on_utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The laptop's own clock set to UTC, as a machine imaged without a zone or a trainer's own laptop may be."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def tasks() -> Iterator[TaskRunner]:
    runner = TaskRunner()
    yield runner
    runner.wait()


@pytest.fixture
def launcher(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> Iterator[DeliveryLauncher]:
    made = DeliveryLauncher(workspace, tasks, LIBRARY)
    yield made
    made.close_all()  # as quitting the app does
    tasks.wait()


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    """The app's main window, shown, as a trainer starts it; a file whose tests drive another window as
    `window` defines its own."""
    tasks = TaskRunner()
    win = build_main_window(workspace, tasks)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    tasks.wait()
