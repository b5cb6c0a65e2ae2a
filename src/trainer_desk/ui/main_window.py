"""The main window: navigation between the areas of the app, and a status bar that says where data lives."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from trainer_desk import APP_NAME, __version__
from trainer_desk.paths import AppPaths
from trainer_desk.ui.area_panel import AreaPanel
from trainer_desk.ui.enter_presses import EnterPressesButtons, press_with_enter
from trainer_desk.ui.question import ask
from trainer_desk.ui.screen_fit import WORKING_WINDOW, fit_to_screen
from trainer_desk.ui.status_notice import StatusNotice

if TYPE_CHECKING:
    from trainer_desk.ui.changes import ChangeChannel
    from trainer_desk.ui.delivery_launch import DeliveryLauncher
    from trainer_desk.ui.plans_panel import PlansPanel
    from trainer_desk.ui.sync_controller import SyncController
    from trainer_desk.workspace import Workspace


class MainWindow(EnterPressesButtons, QMainWindow):
    """Opens before the database does: `first_painted` says when a person can see it, and the areas that need
    the database are put in place (`put_panel`) once it is open."""

    closed = Signal()
    first_painted = Signal()

    def __init__(self, paths: AppPaths, panels: list[AreaPanel], media_problem: str | None) -> None:
        super().__init__()
        self.paths = paths
        self.workspace: Workspace | None = None  # set once the database is open
        self.plans_panel: PlansPanel | None = None  # set by the app wiring, with the content version it shows
        self.loaded_version = 0
        self.launcher: DeliveryLauncher | None = None  # set by the app wiring; lives as long as the window
        self.syncing: SyncController | None = None
        self.closing_notice: QMessageBox | None = None
        self.exit_code = 0  # what the app ends with: set when it closes because it could not go on
        self.problem_box: QMessageBox | None = None
        self.quit_prompt: QMessageBox | None = None
        self.changes: ChangeChannel | None = None  # set by the app wiring: what every view listens to
        self.setWindowTitle(APP_NAME)
        fit_to_screen(self, WORKING_WINDOW)

        self.navigation = QListWidget()
        self.navigation.setAccessibleName("Areas")
        self.navigation.setFixedWidth(210)
        self.navigation.setStyleSheet(
            "QListWidget { font-size: 13pt; } QListWidget::item { padding: 8px; }"
            "QListWidget::item:selected { background: #2f6db5; color: #ffffff; }"
        )
        self.stack = QStackedWidget()
        for panel in panels:
            self.navigation.addItem(panel.accessibleName())
            self.stack.addWidget(panel)
        self.navigation.currentRowChanged.connect(self._on_navigation_row_changed)
        # Widgets made here, not asked of Qt: a widget Qt made is given its Python class by trying every class
        # PySide6 has (some 12 ms for the list's viewport and the status bar), before the window could be drawn.
        # Each is set up as Qt sets up its own: the viewport on the list's white, the status bar never
        # widening the window for a long data-folder path.
        viewport = QWidget()
        viewport.setObjectName("qt_scrollarea_viewport")
        viewport.setBackgroundRole(QPalette.ColorRole.Base)
        viewport.setAutoFillBackground(True)
        self.navigation.setViewport(viewport)
        viewport.installEventFilter(self)

        self.media_warning = QLabel()
        self.media_warning.setWordWrap(True)
        self.media_warning.setAccessibleName("Video warning")
        self.media_warning.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px;")
        self.media_warning.hide()
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.addWidget(self.media_warning)
        layout = QHBoxLayout()
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        outer.addLayout(layout, 1)
        self.setCentralWidget(central)

        self.show_media_problem(media_problem)

        self.data_label = QLabel(f"Data: {_from_home(paths.data_dir)}")
        self.data_label.setAccessibleName("Data folder")
        self.sync_label = QLabel()
        self.sync_label.setAccessibleName("Sync state")
        self.notice = StatusNotice()  # what the app has to say: beside the data folder, never over it
        status = QStatusBar()
        status.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setStatusBar(status)  # first: labels added to a bar not yet in place set the window's minimum width
        status.addWidget(self.data_label)
        status.addWidget(self.notice, 1)
        status.addPermanentWidget(self.sync_label)

        self._build_menus(len(panels))
        self.navigation.setCurrentRow(0)

    def _build_menus(self, areas: int) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # Qt's standard Quit has no key on Windows
        # From every window of the app (the presenter and the register are where a trainer is), not only this one.
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        quit_action.triggered.connect(self.quit_when_sure)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        for row in range(areas):
            action = QAction(self.navigation.item(row).text(), self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.triggered.connect(lambda _=False, r=row: self.navigation.setCurrentRow(r))
            go_menu.addAction(action)

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction(f"&About {APP_NAME}", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def quit_when_sure(self) -> None:
        """File > Quit (Ctrl+Q): as the window's close button, it asks first while a session is presented. Not
        while the laptop is handed to the room (self sign-in, the feedback form, or the PIN question over them):
        only the trainer's PIN leaves those."""
        from trainer_desk.ui.room_window import RoomWindow  # loaded with the first session, not at start-up

        if any(isinstance(w, RoomWindow) and w.isVisible() for w in QApplication.topLevelWidgets()):
            return
        if self._delivering() or self._lost_on_closing():
            self.ask_to_quit()
        else:
            self.close()

    def _delivering(self) -> bool:
        return self.launcher is not None and any(p.session is not None for p in self.launcher.presenters)

    def _lost_on_closing(self) -> list[str]:
        return self.launcher.lost_on_closing() if self.launcher is not None else []

    def ask_to_quit(self) -> QMessageBox:
        """One question for all that quitting would end: people scanned into a register and still waiting for an
        answer (named, as the register's own close button names them, Keep it open by default), and a session
        on the projector."""
        presented = (
            "The room's screen goes dark; where the session had got to is kept, and offered to carry on from when "
            "Trainer Desk starts again."
        )
        lost = self._lost_on_closing()
        if lost:
            text = f"{' '.join(lost)} Quit Trainer Desk without adding them?"
            if self._delivering():
                text += f" A session is being presented too. {presented}"
            answers = ("Quit without adding", "Keep it open")
        else:
            text = f"A session is being presented. Quit Trainer Desk? {presented}"
            answers = ("Quit", "Carry on")
        self.quit_prompt = ask(self, APP_NAME, text, *answers, self.close)
        return self.quit_prompt

    def show_about(self) -> QMessageBox:
        box = QMessageBox(self)
        box.setWindowTitle(f"About {APP_NAME}")
        box.setText(
            f"<h2>{APP_NAME} {__version__}</h2>"
            "<p>Deliver training sessions from lesson plans, take the register and feedback offline, "
            "and send them to HQ whenever this laptop is connected.</p>"
            f"<p>Data folder: {self.paths.data_dir}</p>"
        )
        box.setAccessibleName(f"About {APP_NAME}")
        box.open()
        return box

    def show_problem(self, text: str) -> QMessageBox:
        """A failure nobody else handled, said once in a box that does not block; a second one joins it."""
        box = self.problem_box
        if box is not None and box.isVisible():
            if text not in box.text():
                box.setText(f"{box.text()}\n\n{text}")
            return box
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, text, QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName("Problem")
        box.open()
        self.problem_box = box
        return box

    def show_media_problem(self, problem: str | None) -> None:
        """A plain warning above everything when videos cannot play on this computer."""
        if problem:
            self.media_warning.setText(problem)
            self.media_warning.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The navigation list is the first thing drawn: once it has been, the window is on screen."""
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self.first_painted.emit()
        return super().eventFilter(watched, event)

    def put_panel(self, panel: AreaPanel) -> None:
        """Put `panel` in the place of the area of the same name (a stand-in until the database opened)."""
        for row in range(self.stack.count()):
            old = self.stack.widget(row)
            if old is not None and old.accessibleName() == panel.accessibleName():
                self.stack.insertWidget(row, panel)
                press_with_enter(panel)  # put in after the window was shown
                self.stack.removeWidget(old)
                old.deleteLater()
                if row == self.navigation.currentRow():
                    self.stack.setCurrentIndex(row)
                    panel.refresh()
                return
        raise ValueError(f"the main window has no area named {panel.accessibleName()!r}")

    def set_sync_state(self, text: str) -> None:
        self.sync_label.setText(text)

    def current_panel(self) -> AreaPanel:
        panel = self.stack.currentWidget()
        assert isinstance(panel, AreaPanel)
        return panel

    def _on_navigation_row_changed(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        self.current_panel().refresh()
        if self.syncing is not None and self.workspace is not None and not self.workspace.closed:
            self.set_sync_state(self.syncing.describe())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting with a session on the projector, or people waiting in a register, asks first, as closing the
        presenter or the register does; the app's own close (after the answer) goes straight through."""
        if event.spontaneous() and (self._delivering() or self._lost_on_closing()):
            event.ignore()
            self.ask_to_quit()
            return
        if self.launcher is not None:
            self.launcher.close_all()
        if self.syncing is not None:
            self.syncing.stop()
        self.closed.emit()
        super().closeEvent(event)


def _from_home(path: Path) -> str:
    """A folder in the person's own home as they would write it (~/.local/share/TrainerDesk), not the whole
    path with their account's name in it."""
    try:
        return str(Path("~") / path.relative_to(Path.home()))
    except ValueError:
        return str(path)
