"""Build the app's objects, connect them, and run the window. Nothing global: tests build their own.

The window opens before the database does. A person sees the lesson plans as soon as Qt has drawn them; the
areas that need the database are put in place on the event loop's next pass, when it is open (its key may
come from the keyring, or from a passphrase asked for over the window). What only those areas need (the
keyring, the database layer, the session, roster, report and sync views) is imported there, not above.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QProcess, QTimer
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from trainer_desk import APP_NAME
from trainer_desk.allocator import return_large_blocks_to_system
from trainer_desk.core.errors import UserFacingError
from trainer_desk.keychain import CHILD_TIMEOUT_S, KeychainInChild
from trainer_desk.lesson_content import load_plans
from trainer_desk.logs import LOG_FILE_NAME
from trainer_desk.paths import AppPaths, bundled, system_config_file
from trainer_desk.settings import load_settings
from trainer_desk.sync.content import installed_version
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.error_reporting import ErrorReporter
from trainer_desk.ui.fonts import use_bundled_cjk_font, with_cjk_fallback
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.plans_panel import PlansPanel
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import claim_data_folder

if TYPE_CHECKING:
    from trainer_desk.keychain import Keychain
    from trainer_desk.store.instance_lock import InstanceLock
    from trainer_desk.ui.changes import Change, ChangeChannel
    from trainer_desk.workspace import Workspace

log = logging.getLogger(__name__)

MEDIA_CHECK_DELAY_MS = 1500


def application() -> QApplication:
    """The running QApplication, or a new one: tests and embedding programs bring their own."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    return_large_blocks_to_system()  # before Qt starts its threads: a film's frames are then given back
    app = QApplication(sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setWindowIcon(QIcon(str(bundled("resources") / "icon.png")))
    font = QFont(app.font())
    font.setPointSize(max(font.pointSize(), 11))
    app.setFont(with_cjk_fallback(font))  # named now, while nothing is laid out: its file is added later
    return app


# The areas after the lesson plans, each shown as "opening" until the database is open.
DATABASE_AREAS = ("Sessions", "Roster", "Reports", "Sync")
OPENING = "Opening this laptop's database…"


def build_window_before_database(paths: AppPaths, tasks: TaskRunner) -> MainWindow:
    """The main window with its lesson plans, read from files: everything a first paint needs."""
    loaded_version = installed_version(paths.content_dir)  # read first: a sync may install a newer one
    plans_panel = PlansPanel(load_plans(paths), tasks)
    opening = [AreaPanel(title, OPENING) for title in DATABASE_AREAS]
    for panel in opening:
        panel.layout_.addStretch(1)  # the title and its line at the top, where the area's own will be
    window = MainWindow(paths, [plans_panel, *opening], None)
    window.plans_panel = plans_panel
    window.loaded_version = loaded_version
    return window


def build_main_window(workspace: Workspace, tasks: TaskRunner) -> MainWindow:
    """The whole main window on an open workspace, as the app has it once its database is open."""
    window = build_window_before_database(workspace.paths, tasks)
    put_database_areas(window, workspace, tasks)
    return window


def put_database_areas(window: MainWindow, workspace: Workspace, tasks: TaskRunner) -> None:
    """Give `window` its workspace: the areas that read the database, and the wiring between every area."""
    from trainer_desk.lesson_content import prune_unused_content
    from trainer_desk.store import retention
    from trainer_desk.ui.changes import Change, ChangeChannel
    from trainer_desk.ui.delivery_launch import DeliveryLauncher
    from trainer_desk.ui.reports_panel import ReportsPanel
    from trainer_desk.ui.roster_panel import RosterPanel
    from trainer_desk.ui.sessions_panel import SessionsPanel
    from trainer_desk.ui.sync_controller import SyncController
    from trainer_desk.ui.sync_panel import SyncPanel

    use_bundled_cjk_font()  # before anything shows a name from the roster
    plans_panel, loaded_version = window.plans_panel, window.loaded_version
    assert plans_panel is not None
    library = plans_panel.library
    window.workspace = workspace
    changes = ChangeChannel()
    launcher = DeliveryLauncher(workspace, tasks, library, changes)

    def presenting() -> set[str]:
        return {w.session.uuid for w in launcher.presenters if w.session is not None}

    sessions_panel = SessionsPanel(workspace.db, library, presenting, workspace, tasks, changes)
    reports_panel = ReportsPanel(workspace, tasks, library, presenting)
    syncing = SyncController(workspace, tasks, changes)
    roster_panel = RosterPanel(workspace.db, workspace, tasks, changes)
    sync_panel = SyncPanel(workspace, tasks, syncing, library)
    for panel in (sessions_panel, roster_panel, reports_panel, sync_panel):
        window.put_panel(panel)
    window.launcher = launcher
    plans_panel.deliver_with(launcher.rehearse, lambda plan: launcher.ask_to_start(plan, window))
    sessions_panel.register_requested.connect(launcher.open_register)
    sessions_panel.start_requested.connect(lambda session: launcher.start_planned(session, window))
    sessions_panel.resume_requested.connect(launcher.resume)
    launcher.problem.connect(lambda text: window.notice.say(text, 15_000))
    window.syncing = syncing
    syncing.state_changed.connect(window.set_sync_state)
    syncing.wiped.connect(lambda message: _on_wiped(window, message))
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
    window.set_sync_state(syncing.describe())
    syncing.start()
    # Content versions nothing needs any more (never the one just loaded, nor a newer one a sync is installing).
    writer = workspace.writer  # opened here, on the UI thread, before any worker asks for it
    # First on the database worker: the page check the window did not wait for, then the daily backup.
    tasks.run_db(workspace.housekeeping, on_failure=lambda error: _housekeeping_failed(window, error))
    tasks.run_db(lambda: prune_unused_content(workspace.paths, writer, older_than=loaded_version))
    warning = retention.unsynced_warning(workspace.db, workspace.clock())
    if warning:
        window.notice.say(warning)


def follow(changes: ChangeChannel, areas: set[Change], refresh: Callable[[], None]) -> None:
    """Call `refresh` whenever one of `areas` changes (for views that live as long as the main window)."""
    changes.changed.connect(lambda changed: refresh() if changed & areas else None)


def _on_wiped(window: MainWindow, message: str) -> None:
    """HQ reported this laptop lost: what could be was sent first, then everything removed. Say so, and close."""
    _close_with(window, QMessageBox.Icon.Warning, f"{message} Trainer Desk will now close.")


def _housekeeping_failed(window: MainWindow, error: Exception) -> None:
    """A damaged database closes the app before anything more is written to it; a backup that could not be
    taken is only worth a line in the status bar."""
    from trainer_desk.store.database import DamagedDatabaseError

    if isinstance(error, DamagedDatabaseError):
        text = f"{error.message}\n\n{error.hint}\n\n{APP_NAME} will now close."
        _close_with(window, QMessageBox.Icon.Critical, text, exit_code=1)
    else:
        window.notice.say(f"Backup not taken: {error}", 10_000)


def _close_with(window: MainWindow, icon: QMessageBox.Icon, text: str, exit_code: int = 0) -> QMessageBox:
    """Freeze the window, say why, and close it once the message is read; the app then ends with `exit_code`
    (non-zero where it could not do its work, for whoever started it: an installer's check, a script)."""
    window.exit_code = max(window.exit_code, exit_code)
    for child in window.findChildren(QWidget):
        child.setEnabled(False)  # nothing may touch the workspace any more
    box = QMessageBox(icon, APP_NAME, text)
    box.finished.connect(window.close)
    box.open()
    window.closing_notice = box
    return box


def run_gui(paths: AppPaths, exit_after: float | None = None) -> int:
    """Show the window, then open the database into it. With `exit_after` (an installation check) it says when
    the window is shown and when it is ready for a person's input, and closes `exit_after` seconds later."""
    app = application()
    reporter = ErrorReporter(paths.log_dir / LOG_FILE_NAME)
    tasks = TaskRunner(reporter)
    try:
        lock = claim_data_folder(paths)  # a second copy stops here, before it shows anything
    except UserFacingError as error:
        return _refuse_to_start(error, exit_after)
    # The window stays open all day, so the keyring package stays out of it: a child of this program reads the
    # database key. Started now, it loads the keyring while the window is built, and answers once it is shown.
    keychain = KeychainInChild()
    keychain.start()
    try:
        window = build_window_before_database(paths, tasks)
    except UserFacingError as error:
        keychain.close()
        lock.release()
        return _refuse_to_start(error, exit_after)
    restore_hooks = reporter.install()
    reporter.reported.connect(window.show_problem)
    opening = DatabaseOpening(window, tasks, lock, exit_after, keychain)
    window.first_painted.connect(lambda: QTimer.singleShot(0, opening.open))
    QTimer.singleShot(OPEN_ANYWAY_MS, opening.open)  # should a platform never report the first paint
    # Whether video can play is asked of a child process once the window has been up a moment, so neither the
    # first paint nor the app's memory pays for loading the media stack before a film is played.
    QTimer.singleShot(MEDIA_CHECK_DELAY_MS, opening.check_video)
    window.show()
    if exit_after is not None:
        window.first_painted.connect(lambda: print(f"{APP_NAME} window is shown", flush=True))
    try:
        app.exec()
    finally:
        keychain.close()  # a child still reading (a keyring waiting to be unlocked) must not hold the app open
        keychain.wait_for_changes(CHILD_TIMEOUT_S)  # but HQ's token being kept is, and recorded, before the end
        tasks.wait()
        opening.close()
        restore_hooks()
    return window.exit_code


OPEN_ANYWAY_MS = 500


class DatabaseOpening:
    """Opens the workspace into a shown window, once; says plainly why when it cannot, and closes."""

    def __init__(
        self,
        window: MainWindow,
        tasks: TaskRunner,
        lock: InstanceLock,
        exit_after: float | None,
        keychain: KeychainInChild,
    ) -> None:
        self.window, self.tasks, self.lock, self.exit_after = window, tasks, lock, exit_after
        self.keychain = keychain
        self.started = False
        self.workspace: Workspace | None = None
        self.video_check: QProcess | None = None

    def check_video(self) -> None:
        if not self.window.isVisible():
            return  # closed before the check was due (a quick `--exit-after`): no child left running
        from trainer_desk.ui.multimedia_check import check_in_child

        self.video_check = check_in_child(self.window, self.window.show_media_problem)

    def open(self) -> None:
        """Ask the keyring for the database key off the UI thread (the window stays responsive while the
        keyring's child process runs), then open the database with it on the UI thread."""
        if self.started or not self.window.isVisible():
            return
        self.started = True
        from trainer_desk.key_store import SERVICE, key_name

        keychain, paths = self.keychain, self.window.paths
        try:
            encrypted = load_settings(system_config_file(), paths.user_config).encrypt_database
        except UserFacingError:
            encrypted = True  # a settings file that cannot be read is said when the database opens
        if not encrypted:
            keychain.discard_started()  # no key wanted now: the keyring is not asked (it might prompt to unlock)
            self._open_with(keychain)
            return
        name = key_name(paths)
        self.tasks.run_io(
            lambda: keychain.read_ahead(SERVICE, name),
            on_success=lambda _: self._open_with(keychain),
            on_failure=lambda _: self._open_with(keychain),  # asked again, in the open, and said there
        )

    def _open_with(self, keychain: Keychain) -> None:
        if not self.window.isVisible():
            return  # closed while the keyring answered: close() releases the folder
        from trainer_desk.ui.passphrase_dialog import ask_in_window
        from trainer_desk.workspace import open_workspace

        paths = self.window.paths
        try:
            give_up_after_ms = None if self.exit_after is None else int(self.exit_after * 1000)

            def ask_over_window(creating: bool, problem: str) -> str | None:
                return ask_in_window(creating, problem, self.window, give_up_after_ms)

            self.workspace = open_workspace(
                paths,
                ask_passphrase=ask_over_window,
                check_pages=False,
                lock=self.lock,
                keychain=keychain,
            )
            try:
                put_database_areas(self.window, self.workspace, self.tasks)
            except Exception:
                self.tasks.wait()
                self.workspace.check_pages_now()  # a damaged file explains a window that could not be built
                raise
        except UserFacingError as error:
            self._cannot_open(error)
            return
        except Exception:  # a fault of ours: said plainly, logged whole, and the app closes with a failure
            log.exception("opening the database failed")
            fault = UserFacingError(
                f"Something went wrong inside {APP_NAME} while opening its data; this is a fault in the program, "
                "not something you did.",
                hint=f"Details are in {paths.log_dir / LOG_FILE_NAME}.",
            )
            self._cannot_open(fault, exit_code=70)
            return
        if self.window.launcher is not None:
            self.window.launcher.offer_resume(self.window)
        if self.exit_after is not None:
            QTimer.singleShot(0, lambda: print(f"{APP_NAME} is ready", flush=True))
            QTimer.singleShot(int(self.exit_after * 1000), self.window.close)

    def _cannot_open(self, error: UserFacingError, exit_code: int = 1) -> None:
        print(f"trainer-desk: {error}", file=sys.stderr)
        box = _close_with(self.window, QMessageBox.Icon.Critical, error.message, exit_code)
        box.setInformativeText(error.hint)
        if self.exit_after is not None:
            QTimer.singleShot(int(self.exit_after * 1000), box.close)

    def close(self) -> None:
        if self.video_check is not None:
            from trainer_desk.ui.multimedia_check import stop_check

            stop_check(self.video_check)
        if self.workspace is not None:
            self.workspace.close()
        else:
            self.lock.release()


def _refuse_to_start(error: UserFacingError, exit_after: float | None) -> int:
    print(f"trainer-desk: {error}", file=sys.stderr)
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, error.message)
    box.setInformativeText(error.hint)
    if exit_after is not None:
        QTimer.singleShot(int(exit_after * 1000), box.close)
    box.exec()
    return 1
