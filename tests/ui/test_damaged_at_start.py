"""The app's window does not wait for SQLite's page-by-page check, yet a damaged database is still found at
once: the check runs first thing on the database worker, and the app explains and closes before writing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from tests.damaged_database import damage_one_page
from trainer_desk.app import build_main_window
from trainer_desk.paths import AppPaths
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace


def unencrypted_data_folder(paths: AppPaths) -> None:
    """A data folder whose database SQLite itself can read and damage (as a failing disk would)."""
    paths.config_dir.mkdir(parents=True)
    paths.user_config.write_text("encrypt_database = false\n")
    open_workspace(paths).close()


def test_damage_found_just_after_the_window_is_up_is_explained_and_the_app_closes(
    qtbot: QtBot, paths: AppPaths
) -> None:
    unencrypted_data_folder(paths)
    workspace = open_workspace(paths, check_pages=False)  # as the app opens it: the window first
    tasks = TaskRunner()
    hold = threading.Event()
    tasks.run_db(hold.wait)  # the database worker is busy while the window is built
    window = build_main_window(workspace, tasks)
    qtbot.addWidget(window)
    window.show()
    damage_one_page(paths.database)  # the disk fails under the open window, before the check has run
    before = paths.database.read_bytes()
    hold.set()

    qtbot.waitUntil(lambda: window.closing_notice is not None, timeout=15_000)
    notice = window.closing_notice
    assert notice is not None
    assert f"The database {paths.database} is damaged and cannot be used." in notice.text()
    assert "No good backup was found" in notice.text() and "will now close" in notice.text()
    assert not window.navigation.isEnabled()  # nothing more can be recorded into the damaged file
    assert window.exit_code == 1  # what the app ends with, for whoever started it
    qtbot.mouseClick(notice.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)
    tasks.wait()
    workspace.close()
    assert paths.database.read_bytes() == before  # no backup taken, no purge: the file is as it was found


def test_a_database_too_damaged_to_build_the_window_gets_the_same_explanation(paths: AppPaths) -> None:
    unencrypted_data_folder(paths)
    damage_one_page(paths.database)  # the first such page holds the units every view lists
    result = subprocess.run(
        [sys.executable, "-m", "trainer_desk", "--data-dir", str(paths.data_dir), "--exit-after", "0.5"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 1
    assert f"trainer-desk: The database {paths.database} is damaged and cannot be used." in result.stderr
    assert "Traceback" not in result.stderr
