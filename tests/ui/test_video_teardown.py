"""Closing the presenter while a film plays must never freeze the app (Qt's media threads and Python's lock)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click
from tests.ui.films import play_film
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


@pytest.fixture
def launcher(qtbot: QtBot, workspace: Workspace) -> Iterator[DeliveryLauncher]:
    tasks = TaskRunner()
    made = DeliveryLauncher(workspace, tasks, LIBRARY)
    yield made
    for presenter in list(made.presenters):
        presenter.close()
    tasks.wait()


def open_on_the_film(qtbot: QtBot, launcher: DeliveryLauncher) -> PresenterWindow:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = launcher.rehearse(plan)
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow, timeout=3000)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # section 2 is a film
    assert presenter.presentation.section.video is not None
    return presenter


def test_open_play_seek_and_close_fifty_times(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    for _round in range(50):
        presenter = open_on_the_film(qtbot, launcher)
        frames: list[QVideoFrame] = []
        presenter.audience.video.videoSink().videoFrameChanged.connect(
            lambda f, seen=frames: seen.append(f) if f.isValid() else None
        )
        qtbot.keyClick(presenter, Qt.Key.Key_K)
        qtbot.waitUntil(lambda seen=frames: len(seen) >= 2, timeout=15000)
        qtbot.waitUntil(lambda p=presenter: p.video_controls.seek.maximum() > 0, timeout=5000)  # its length known
        presenter.video_controls.seek.setFocus()
        qtbot.keyClick(presenter.video_controls.seek, Qt.Key.Key_Right)  # five seconds on, as a trainer seeks
        qtbot.waitUntil(lambda p=presenter: p.video.position >= 4000, timeout=10000)  # the film itself moved
        click(qtbot, presenter, "End rehearsal")
        answer(qtbot, "End rehearsal")
        qtbot.waitUntil(lambda p=presenter: not p.isVisible() and not p.audience.isVisible(), timeout=5000)
        qtbot.wait(10)
    qtbot.waitUntil(lambda: not launcher.presenters, timeout=5000)
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()]


def test_closing_mid_film_with_the_window_button_leaves_nothing_running(
    qtbot: QtBot, launcher: DeliveryLauncher
) -> None:
    presenter = open_on_the_film(qtbot, launcher)
    play_film(qtbot, presenter)
    presenter.close()  # the window's own close button, as a trainer might
    assert not presenter.audience.isVisible()
    qtbot.waitUntil(lambda: not launcher.presenters, timeout=5000)
