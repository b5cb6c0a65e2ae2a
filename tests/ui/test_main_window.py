from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QProcess, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QTableWidget
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import open_dialog
from trainer_desk import __version__
from trainer_desk.__main__ import main
from trainer_desk.app import build_main_window, build_window_before_database, put_database_areas
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, SessionStatus
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import delivery, sessions
from trainer_desk.store.instance_lock import InstanceLock
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.multimedia_check import NO_BACKEND, check_in_child, multimedia_problem, stop_check
from trainer_desk.ui.sessions_panel import SessionsPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@pytest.fixture
def window(qtbot: QtBot, workspace: Workspace) -> Iterator[MainWindow]:
    tasks = TaskRunner()
    win = build_main_window(workspace, tasks)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    tasks.wait()


def test_the_areas_are_reachable_from_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    names = [window.navigation.item(i).text() for i in range(window.navigation.count())]
    assert names == ["Lesson plans", "Sessions", "Roster", "Reports", "Sync"]
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert window.current_panel().accessibleName() == "Roster"
    table = window.current_panel().findChild(QTableWidget)
    assert table is not None
    counts = [int(table.item(r, 1).text()) for r in range(table.rowCount())]
    assert sum(counts) == 260 and table.rowCount() == 13
    window.navigation.setFocus()
    qtbot.keyClick(window.navigation, Qt.Key.Key_Down)
    assert window.current_panel().accessibleName() == "Reports"


def test_a_plan_cannot_be_started_before_the_database_is_open_and_can_be_once_it_is(
    qtbot: QtBot, workspace: Workspace
) -> None:
    """The window shows its plans while the database is still opening (the keyring can take a while): Start and
    Rehearse are greyed out and say why, not clickable and then deaf, and work as soon as the database is open."""
    tasks = TaskRunner()
    win = build_window_before_database(workspace.paths, tasks)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    panel = win.plans_panel
    assert panel is not None and panel.selected_plan() is not None
    assert not panel.start.isEnabled() and not panel.rehearse.isEnabled() and panel.script_pdf.isEnabled()
    assert "Opening this laptop's database" in panel.start.toolTip()

    put_database_areas(win, workspace, tasks)
    assert panel.start.isEnabled() and panel.rehearse.isEnabled() and not panel.start.toolTip()
    qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
    dialog = open_dialog(qtbot)
    assert dialog.windowTitle() == "Start a session"
    dialog.reject()
    win.close()
    tasks.wait()


def test_enter_presses_the_focused_button_as_space_does(qtbot: QtBot, window: MainWindow) -> None:
    """Outside a dialog Qt lets only Space press a button; Enter, which keyboard users press, did nothing."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = window.plans_panel
    assert panel is not None
    panel.start.setFocus()
    qtbot.keyClick(panel.start, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot)
    assert dialog.windowTitle() == "Start a session"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    panel.list.setFocus()  # a widget that takes Enter itself keeps it: here, Enter on a plan starts it too
    qtbot.keyClick(panel.list, Qt.Key.Key_Return)
    dialog = open_dialog(qtbot)
    assert dialog.windowTitle() == "Start a session"
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)


def test_an_area_is_opened_by_clicking_its_name(qtbot: QtBot, window: MainWindow) -> None:
    listing = window.navigation
    for name in ("Sync", "Sessions"):
        item = listing.findItems(name, Qt.MatchFlag.MatchExactly)[0]
        qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
        assert window.current_panel().accessibleName() == name and window.current_panel().isVisible()


def test_the_side_list_is_drawn_on_the_lists_own_background(qtbot: QtBot, window: MainWindow) -> None:
    """Below its last area the side list shows the colour of a list (white), as a list Qt sets up does."""
    viewport = window.navigation.viewport()
    picture = viewport.grab().toImage()
    below_the_areas = picture.pixelColor(viewport.width() // 2, viewport.height() - 5)
    assert below_the_areas == window.navigation.palette().color(QPalette.ColorRole.Base)
    assert below_the_areas != window.palette().color(QPalette.ColorRole.Window)


def test_a_long_data_folder_path_does_not_widen_the_window(qtbot: QtBot, tmp_path: Path) -> None:
    """The status bar names the data folder; a deep one must not stop the window fitting a small screen."""
    deep = AppPaths.resolve(tmp_path.joinpath(*["Training records for the northern division"] * 8))
    made = MainWindow(deep, [], None)
    qtbot.addWidget(made)
    made.show()
    assert str(deep.data_dir) in made.data_label.text() and len(made.data_label.text()) > 300
    assert made.minimumSizeHint().width() < 800
    made.resize(780, 560)
    assert made.width() <= 800


def test_status_bar_shows_where_data_lives_and_the_sync_state(window: MainWindow, paths: AppPaths) -> None:
    bar = window.statusBar()
    assert bar.isVisible() and bar.isAncestorOf(window.data_label) and bar.isAncestorOf(window.sync_label)
    assert window.data_label.isVisible() and window.data_label.text() == f"Data: {paths.data_dir}"
    assert window.sync_label.isVisible() and window.sync_label.text() == "Not connected to HQ"


def test_about_names_the_version(qtbot: QtBot, window: MainWindow) -> None:
    box = window.show_about()
    qtbot.waitExposed(box)
    assert f"Trainer Desk {__version__}" in box.text()
    box.close()


def test_every_interactive_widget_has_an_accessible_name(window: MainWindow) -> None:
    for row in range(window.navigation.count()):
        window.navigation.setCurrentRow(row)
        assert unnamed_interactive_widgets(window) == []


def test_video_playback_is_available_here(qapp: QApplication) -> None:
    assert multimedia_problem() is None


def test_the_app_asks_a_child_of_itself_whether_video_can_play(qtbot: QtBot, window: MainWindow) -> None:
    answers: list[str | None] = []
    check = check_in_child(window, lambda problem: answers.append(problem))
    qtbot.waitUntil(lambda: bool(answers), timeout=30_000)
    assert answers == [None] and check.exitCode() == 0  # `trainer-desk --check-video` found a backend here
    assert window.media_warning.isHidden()


def test_a_computer_whose_check_finds_no_video_is_warned(qtbot: QtBot, window: MainWindow) -> None:
    # This machine has its media libraries; a child answering as one without them stands in for it.
    check_in_child(window, window.show_media_problem, [sys.executable, "-c", f"raise SystemExit({NO_BACKEND})"])
    qtbot.waitUntil(window.media_warning.isVisible, timeout=30_000)
    assert "Video playback is not available" in window.media_warning.text()


def test_a_check_still_running_when_the_app_closes_is_ended_without_a_warning(
    qtbot: QtBot, window: MainWindow, caplog: pytest.LogCaptureFixture
) -> None:
    answers: list[str | None] = []
    slow = [sys.executable, "-c", "import time; time.sleep(60)"]  # a media stack slow to load
    check = check_in_child(window, answers.append, slow)
    qtbot.waitUntil(lambda: check.state() == QProcess.ProcessState.Running, timeout=10_000)
    with caplog.at_level(logging.WARNING):
        stop_check(check)
        qtbot.wait(100)
    assert check.state() == QProcess.ProcessState.NotRunning
    assert answers == [] and window.media_warning.isHidden()
    assert not [r for r in caplog.records if "video" in r.getMessage()]  # not "crashed; videos may not play"


def test_a_daily_backup_is_taken_in_the_background(qtbot: QtBot, window: MainWindow, paths: AppPaths) -> None:
    qtbot.waitUntil(lambda: any(paths.backups_dir.glob("daily-*.sqlite3")), timeout=5000)


def test_main_opens_the_window_in_the_running_application_and_returns(qapp: QApplication, paths: AppPaths) -> None:
    assert main(["--data-dir", str(paths.data_dir), "--exit-after", "0.3"]) == 0
    assert paths.database.exists()


def test_a_second_window_on_the_same_data_says_so(
    qapp: QApplication, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    paths.data_dir.mkdir(parents=True)
    with InstanceLock(paths.lock_file):
        assert main(["--data-dir", str(paths.data_dir), "--exit-after", "0.3"]) == 1
    assert "already running" in capsys.readouterr().err
    assert not paths.database.exists()
    assert not [w for w in qapp.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]


def test_a_computer_that_cannot_play_video_is_told_plainly(qtbot: QtBot, window: MainWindow) -> None:
    from trainer_desk.ui.multimedia_check import NO_VIDEO_MESSAGE

    assert window.media_warning.isHidden()
    window.show_media_problem(NO_VIDEO_MESSAGE)
    assert window.media_warning.isVisible() and "Video playback is not available" in window.media_warning.text()
    assert window.menuBar().isVisible()  # the warning sits above the areas, not in place of the menus


def test_sessions_show_plan_titles_unit_names_and_how_far_each_has_got(qtbot: QtBot, workspace: Workspace) -> None:
    library = load_library(bundled("lesson_plans"))
    db, now = workspace.db, datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
    made = {
        name: sessions.create_session(
            db,
            Session(new_uuid(), PlanRef(plan, "1.0.0", "signa"), "NORTH", name, DeliveryMode.IN_PERSON, when),
            now,
        )
        for name, plan, when in (
            ("Room 1", "signa-core", now),
            ("Room 2", "signa-core", now - timedelta(days=1)),
            ("Room 3", "signa-core", now - timedelta(days=2)),
            ("Room 4", "retired-plan", now - timedelta(days=3)),
            ("Room 5", "signa-core", now - timedelta(days=4)),
        )
    }
    for name in ("Room 1", "Room 2", "Room 3", "Room 5"):
        running = delivery.set_status(db, made[name], SessionStatus.RUNNING, made[name].starts_at)  # started on time
        delivery.section_started(db, running.uuid, "welcome", now)
        if name == "Room 2":  # the trainer pressed "End session" in the presenter
            delivery.finish(db, running, now)
        if name == "Room 3":
            delivery.close_session(db, running, delivery.CloseChecklist(True, True, True), "S271699", now)
    presenting = {made["Room 1"].uuid}  # Room 5's presenter was closed without ending the session
    panel = SessionsPanel(db, library, lambda: presenting)
    qtbot.addWidget(panel)
    shown = [panel.list.item(row).text() for row in range(panel.list.count())]
    title = "Signa: sexism, misogyny and sexual harassment at work"
    assert shown[0] == f"{now.astimezone():%a %d %b %Y %H:%M} · {title} · North · Room 1 · running"
    assert [line.split(" · ", 3)[3] for line in shown] == [
        "Room 1 · running",
        "Room 2 · delivered, register open",
        "Room 3 · closed",
        "Room 4 · planned",
        "Room 5 · delivery stopped part-way",
    ]
    assert " · retired-plan · " in shown[3]  # a plan not on this laptop is named by its id
    assert not any("NORTH" in line or "signa-core" in line for line in shown)


def test_a_data_folder_in_the_home_folder_is_named_from_it(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The status bar gave the whole path, with the account's name in it; in the home folder it starts at ~."""
    monkeypatch.setenv("HOME", str(tmp_path))
    made = MainWindow(AppPaths.resolve(tmp_path / ".local" / "share" / "TrainerDesk"), [], None)
    qtbot.addWidget(made)
    assert made.data_label.text() == "Data: ~/.local/share/TrainerDesk"


@pytest.mark.parametrize("size", [(1280, 800), (960, 540)])
def test_a_message_in_the_status_bar_is_never_drawn_over_the_data_folder(
    qtbot: QtBot, workspace: Workspace, paths: AppPaths, size: tuple[int, int]
) -> None:
    """A record 53 days old: "Some records have waited 53 days to reach HQ…" was painted on top of "Data: …",
    and ran under the sync state on a small screen. Each now has its own place; the long one is cut short, its
    whole words in its tooltip and for a screen reader."""
    then = datetime.now(UTC) - timedelta(days=53)
    held = Session(new_uuid(), PlanRef("signa-core", "1.0.0", "signa"), "NORTH", "Room 1", DeliveryMode.IN_PERSON, then)
    sessions.create_session(workspace.db, held, then)  # saved then, and never sent
    tasks = TaskRunner()
    window = build_main_window(workspace, tasks)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    bar = window.statusBar()
    shown = [label for label in bar.findChildren(QLabel) if label.isVisible() and label.text()]
    said = [label for label in shown if "waited 53 days to reach HQ" in label.toolTip()]
    assert len(said) == 1, [label.text() for label in shown]
    message = said[0]
    whole = message.toolTip()
    assert whole.startswith("Some records have waited 53 days to reach HQ.") and whole.endswith("until then.")
    assert message.accessibleDescription() == whole
    assert message.text() == whole or (message.text().endswith("…") and whole.startswith(message.text()[:-1]))
    assert window.data_label in shown and window.data_label.text() == f"Data: {paths.data_dir}"
    for i, label in enumerate(shown):  # side by side, none over another, each reading whole what it shows
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width(), label.text()
        assert not any(label.geometry().intersects(other.geometry()) for other in shown[i + 1 :])
    window.close()
    tasks.wait()
