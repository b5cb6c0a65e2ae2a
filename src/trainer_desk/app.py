"""Build the app's objects, connect them, and run the window. Nothing global: tests build their own."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from trainer_desk import APP_NAME
from trainer_desk.core.errors import UserFacingError
from trainer_desk.lesson_content import load_plans, prune_unused_content
from trainer_desk.logs import LOG_FILE_NAME
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import retention
from trainer_desk.store.database import DamagedDatabaseError
from trainer_desk.sync.content import installed_version
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.error_reporting import ErrorReporter
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.multimedia_check import multimedia_problem
from trainer_desk.ui.overview_panels import AreaPanel, RosterPanel, SessionsPanel
from trainer_desk.ui.passphrase_dialog import ask_in_window
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sync_controller import SyncController
from trainer_desk.ui.sync_panel import SyncPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace, open_workspace

log = logging.getLogger(__name__)

MEDIA_CHECK_DELAY_MS = 1500


def application() -> QApplication:
    """The running QApplication, or a new one: tests and embedding programs bring their own."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(QIcon(str(bundled("resources") / "icon.png")))
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(font)
    return app


def build_main_window(workspace: Workspace, tasks: TaskRunner) -> MainWindow:
    loaded_version = installed_version(workspace.paths.content_dir)
    library = load_plans(workspace.paths)
    changes = ChangeChannel()
    plans_panel = PlansPanel(library, tasks)
    launcher = DeliveryLauncher(workspace, tasks, library, changes)
    sessions_panel = SessionsPanel(
        workspace.db,
        library,
        lambda: {w.session.uuid for w in launcher.presenters if w.session is not None},
        workspace,
        tasks,
        changes,
    )
    reports_panel = ReportsPanel(workspace, tasks, library)
    syncing = SyncController(workspace, tasks, changes)
    roster_panel = RosterPanel(workspace.db, workspace, tasks, changes)
    sync_panel = SyncPanel(workspace, tasks, syncing, library)
    panels: list[AreaPanel] = [plans_panel, sessions_panel, roster_panel, reports_panel, sync_panel]
    window = MainWindow(workspace, panels, None)
    # Checking for a video backend loads the media stack (some 50 ms): done once the window has been up a
    # moment, so the first paint never waits for it.
    QTimer.singleShot(MEDIA_CHECK_DELAY_MS, lambda: window.show_media_problem(multimedia_problem()))
    window.launcher = launcher
    plans_panel.rehearse_requested.connect(launcher.rehearse)
    plans_panel.start_requested.connect(lambda plan: launcher.ask_to_start(plan, window))
    sessions_panel.register_requested.connect(launcher.open_register)
    sessions_panel.start_requested.connect(launcher.start_planned)
    launcher.problem.connect(lambda text: window.statusBar().showMessage(text, 15_000))
    window.syncing = syncing
    syncing.state_changed.connect(window.set_sync_state)
    syncing.wiped.connect(lambda: _on_wiped(window))
    follow(changes, {Change.SESSIONS, Change.ATTENDANCE, Change.CONTENT}, sessions_panel.refresh)
    follow(changes, {Change.SESSIONS, Change.CONTENT, Change.ROSTER}, reports_panel.refresh)
    follow(changes, {Change.ROSTER}, roster_panel.refresh_when_seen)
    follow(changes, {Change.SYNC, Change.SESSIONS, Change.ATTENDANCE}, sync_panel.refresh)
    follow(
        changes, {Change.SYNC, Change.SESSIONS, Change.ATTENDANCE}, lambda: window.set_sync_state(syncing.describe())
    )

    def reload_plans() -> None:
        """New content from HQ: every view that lists plans is handed the new library, then redraws."""
        fresh = load_plans(workspace.paths)
        plans_panel.set_library(fresh)
        launcher.library = sessions_panel.library = reports_panel.library = sync_panel.library = fresh
        for panel in (sessions_panel, reports_panel, sync_panel):
            panel.refresh()

    follow(changes, {Change.CONTENT}, reload_plans)
    window.changes = changes
    syncing.start()
    # Content versions nothing needs any more (never the one just loaded, nor a newer one a sync is installing).
    writer = workspace.writer  # opened here, on the UI thread, before any worker asks for it
    # First on the database worker: the page check the window did not wait for, then the daily backup.
    tasks.run_db(workspace.housekeeping, on_failure=lambda error: _housekeeping_failed(window, error))
    tasks.run_db(lambda: prune_unused_content(workspace.paths, writer, older_than=loaded_version))
    warning = retention.unsynced_warning(workspace.db, workspace.clock())
    if warning:
        window.statusBar().showMessage(warning)
    return window


def follow(changes: ChangeChannel, areas: set[Change], refresh: Callable[[], None]) -> None:
    """Call `refresh` whenever one of `areas` changes (for views that live as long as the main window)."""
    changes.changed.connect(lambda changed: refresh() if changed & areas else None)


def _on_wiped(window: MainWindow) -> None:
    """HQ reported this laptop lost: everything was sent first, then removed. Say so, and close."""
    _close_with(
        window,
        QMessageBox.Icon.Warning,
        "HQ has reported this laptop as lost or stolen. Everything waiting was sent to HQ first; then all "
        "personal data and its keys were removed from this laptop. Trainer Desk will now close.",
    )


def _housekeeping_failed(window: MainWindow, error: Exception) -> None:
    """A damaged database closes the app before anything more is written to it; a backup that could not be
    taken is only worth a line in the status bar."""
    if isinstance(error, DamagedDatabaseError):
        text = f"{error.message}\n\n{error.hint}\n\n{APP_NAME} will now close."
        _close_with(window, QMessageBox.Icon.Critical, text)
    else:
        window.statusBar().showMessage(f"Backup not taken: {error}", 10_000)


def _close_with(window: MainWindow, icon: QMessageBox.Icon, text: str) -> None:
    """Freeze the window, say why, and close it once the message is read."""
    for child in window.findChildren(QWidget):
        child.setEnabled(False)  # nothing may touch the workspace any more
    box = QMessageBox(icon, APP_NAME, text)
    box.finished.connect(window.close)
    box.open()
    window.closing_notice = box


def run_gui(paths: AppPaths, exit_after: float | None = None) -> int:
    app = application()
    reporter = ErrorReporter(paths.log_dir / LOG_FILE_NAME)
    tasks = TaskRunner(reporter)
    try:
        workspace = open_workspace(paths, ask_passphrase=ask_in_window, check_pages=False)
        try:
            window = build_main_window(workspace, tasks)
        except Exception:
            tasks.wait()
            workspace.check_pages_now()  # a damaged file explains a window that could not be built
            raise
    except UserFacingError as error:
        print(f"trainer-desk: {error}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, error.message)
        box.setInformativeText(error.hint)
        if exit_after is not None:
            QTimer.singleShot(int(exit_after * 1000), box.close)
        box.exec()
        return 1
    restore_hooks = reporter.install()
    reporter.reported.connect(window.show_problem)
    window.show()
    if window.launcher is not None:
        window.launcher.offer_resume(window)
    if exit_after is not None:  # an installation check: say when the window is ready for a person's input
        QTimer.singleShot(0, lambda: print(f"{APP_NAME} is ready", flush=True))
        QTimer.singleShot(int(exit_after * 1000), window.close)
    try:
        app.exec()
    finally:
        tasks.wait()
        workspace.close()
        restore_hooks()
    return 0
