"""No error vanishes: a fault in a slot, in background work nobody handles, or in the plan loader reaches the
log with its stack, and the trainer sees a plain sentence saying where the log is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from trainer_desk.app import build_main_window
from trainer_desk.core.plan_loader import load_plan
from trainer_desk.logs import LOG_FILE_NAME, configure_logging
from trainer_desk.ui.error_reporting import ErrorReporter
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@pytest.fixture
def log_file(tmp_path: Path) -> Path:
    return configure_logging(tmp_path / "logs")


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace, log_file: Path) -> Iterator[tuple[MainWindow, TaskRunner]]:
    reporter = ErrorReporter(log_file)
    restore = reporter.install()
    tasks = TaskRunner(reporter)
    made = build_main_window(workspace, tasks)
    reporter.reported.connect(made.show_problem)
    qtbot.addWidget(made)
    made.show()
    try:
        yield made, tasks
    finally:
        made.close()
        tasks.wait()
        restore()


def shown_problem(qtbot: QtBot, window: MainWindow) -> str:
    qtbot.waitUntil(lambda: window.problem_box is not None and window.problem_box.isVisible(), timeout=5000)
    box = window.problem_box
    assert isinstance(box, QMessageBox)
    text = box.text()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Ok), Qt.MouseButton.LeftButton)
    return text


def test_a_fault_in_a_slot_is_logged_with_its_stack_and_said_on_screen(
    qtbot: QtBot, window: tuple[MainWindow, TaskRunner], log_file: Path
) -> None:
    main, _tasks = window

    person = " ".join(("Siobhán", "O'Brien"))  # as data, not source text (the stack quotes source lines)

    def broken_action() -> None:
        raise ZeroDivisionError(person)  # a message that must not reach the log

    button = QPushButton("Do it", main)
    button.clicked.connect(broken_action)
    button.show()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    text = shown_problem(qtbot, main)
    assert "fault in the program" in text and str(log_file) in text
    logged = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in logged and "broken_action" in logged  # the stack, down to the function
    assert "Siobhán" not in logged


def test_background_work_without_a_handler_is_not_lost(
    qtbot: QtBot, window: tuple[MainWindow, TaskRunner], log_file: Path
) -> None:
    main, tasks = window

    def nightly_tidy() -> None:
        {}["missing"]  # a bug in work nobody waits for

    tasks.run_db(nightly_tidy)
    text = shown_problem(qtbot, main)
    assert "background work" in text and str(log_file) in text
    logged = log_file.read_text(encoding="utf-8")
    assert "KeyError" in logged and "nightly_tidy" in logged


def test_a_fault_in_the_plan_loader_is_named_and_logged(tmp_path: Path, log_file: Path) -> None:
    loop = tmp_path / "plans" / "looped-plan"
    loop.parent.mkdir()
    loop.symlink_to(loop)  # a folder that points at itself: resolving it fails inside the loader
    plan, problems = load_plan(loop)
    assert plan is None
    assert "fault in Trainer Desk (RuntimeError)" in problems[0].message and "log" in problems[0].message
    logged = (log_file.parent / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "looped-plan could not be checked" in logged and "RuntimeError" in logged and "load_plan" in logged


def test_what_qt_warns_of_is_logged_but_not_a_platform_plugins_notice_about_itself(
    qtbot: QtBot, window: tuple[MainWindow, TaskRunner], log_file: Path
) -> None:
    """Shown offscreen, the window makes the platform plugin say it cannot pass size hints: nothing a support
    team could act on, so the log does not carry it; a warning Qt gives about the app still reaches it."""
    from PySide6.QtCore import qWarning

    main, _tasks = window
    qtbot.waitExposed(main)
    qWarning("QFont::setPointSize: Point size <= 0 (0), must be greater than 0")
    written = log_file.read_text(encoding="utf-8")
    assert "WARNING trainer_desk.qt: QFont::setPointSize: Point size <= 0" in written
    assert "propagateSizeHints" not in written
