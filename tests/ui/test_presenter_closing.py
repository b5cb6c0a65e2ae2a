"""How a presenter window ends: never by a misclick on its close button, always on the trainer's screen, and
never recording on after the register has closed its session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, button, click, gone, open_dialog
from tests.ui.two_screens import run_on_two_screens
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.paths import bundled
from trainer_desk.store import delivery, sessions
from trainer_desk.store.session_progress import sessions_mid_delivery
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


def start_session(qtbot: QtBot, launcher: DeliveryLauncher) -> PresenterWindow:
    """Start a session of the 60-minute plan through the Start dialog, as a trainer does."""
    plan = launcher.library.get("signa-core")
    assert plan is not None
    dialog = launcher.ask_to_start(plan, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.venue, "Training room 2")
    qtbot.keyClicks(dialog.trainers.search, "s123280")
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)
    click(qtbot, dialog, "Start")
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=5000)
    presenter = launcher.presenters[-1]
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow, timeout=3000)
    return presenter


def label_named(window: QWidget, name: str) -> QLabel:
    found = [label for label in window.findChildren(QLabel) if label.accessibleName() == name]
    assert len(found) == 1, f"{len(found)} labels named {name!r}"
    return found[0]


def press_the_window_close_button(window: QWidget) -> None:
    """What the window's close button (or Alt+F4) does: the window system asks the window itself to close,
    which reaches the widget as a spontaneous close event (a program's `close()` is not one)."""
    handle = window.windowHandle()
    assert handle is not None
    QApplication.sendEvent(handle, QCloseEvent())


def test_the_close_button_asks_first_and_carry_on_keeps_presenting(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, tasks: TaskRunner
) -> None:
    presenter = start_session(qtbot, launcher)
    session = presenter.session
    assert session is not None
    qtbot.keyClick(presenter, Qt.Key.Key_Right)

    press_the_window_close_button(presenter)
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert box.defaultButton().text() == "Carry on"  # Enter on a misclick changes nothing
    assert "End this session" in answer(qtbot, "Carry on")
    assert presenter.isVisible() and presenter.audience.isVisible()
    assert not presenter.clock.paused
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # still presenting
    assert presenter.presentation.index == 2

    audience = presenter.audience
    press_the_window_close_button(presenter)
    answer(qtbot, "End session")
    qtbot.waitUntil(lambda: gone(presenter), timeout=3000)
    assert gone(audience)
    tasks.wait()
    assert sessions_mid_delivery(workspace.db) == set()  # ended, not "stopped part-way"
    assert launcher.presenters == []


def test_quitting_the_app_closes_the_presenter_without_a_second_question(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, tasks: TaskRunner
) -> None:
    presenter = start_session(qtbot, launcher)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    launcher.close_all()  # what the main window does when the app quits
    assert not presenter.isVisible() and not presenter.audience.isVisible()
    assert QApplication.activeModalWidget() is None
    tasks.wait()
    assert delivery.unfinished_session(workspace.db) is not None  # its place is kept to resume from


def test_a_rehearsal_opens_within_the_screen_with_its_buttons_on_it(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = launcher.rehearse(plan)
    room = presenter.screen().availableGeometry()  # the test screen is smaller than the presenter would like
    assert room.contains(presenter.frameGeometry()), f"{presenter.frameGeometry()} spills off {room}"
    end = button(presenter, "End rehearsal")
    assert room.contains(QRect(end.mapToGlobal(QPoint(0, 0)), end.size()))


# Run in a child process: the screens are fixed when Qt starts, and this test's are a 1366x768 laptop and a
# 1024x768 projector. The child opens a session's presenter as the launcher does and reports where it landed.
ON_A_SMALL_LAPTOP = """
import json, sys
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest

from trainer_desk.app import application

app = application()  # the app's own, with its larger type

from tests.ui.clicks import button
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import AppPaths, bundled
from trainer_desk.store import sessions
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import open_workspace

workspace = open_workspace(AppPaths.resolve(Path(sys.argv[1])))
tasks = TaskRunner()
launcher = DeliveryLauncher(workspace, tasks, load_library(bundled("lesson_plans")))
plan = launcher.library.get("signa-core")
session = Session(
    new_uuid(), PlanRef(plan.id, plan.version, plan.programme.id), "NORTH", "Room 5", DeliveryMode.IN_PERSON,
    datetime.now(UTC), trainers=("S123280",),
)
sessions.create_session(workspace.writer, session, datetime.now(UTC))
presenter = launcher.open_presenter(plan, session)
app.processEvents()
screen = presenter.screen()
frame = presenter.frameGeometry()
found = {"screen": screen.name(), "room": screen.availableGeometry().getRect(), "frame": frame.getRect()}
for text in ("Previous", "Next", "Pause clock", "Register", "End session"):
    shown = button(presenter, text)
    found[text] = QRect(shown.mapToGlobal(QPoint(0, 0)), shown.size()).getRect()
tallest = 0
for _ in plan.sections:  # a film's section asked for more height than a small laptop has
    QTest.keyClick(presenter, Qt.Key.Key_Right)
    app.processEvents()
    tallest = max(tallest, presenter.minimumSizeHint().height())
found["tallest"] = tallest
launcher.close_all()
tasks.wait()
workspace.close()
print(json.dumps(found))
"""


def test_on_a_1366x768_laptop_the_presenter_and_its_buttons_are_on_the_screen(tmp_path: Path) -> None:
    found = run_on_two_screens(tmp_path, (1366, 768), (1024, 768), ["-c", ON_A_SMALL_LAPTOP, str(tmp_path / "data")])
    assert found["screen"] == "LAPTOP"
    room = QRect(*found.pop("room"))
    assert room.size() == QSize(1366, 768)
    del found["screen"]
    # Under a 40 px taskbar and a 30 px title bar, as on a real 1366x768 laptop: no section may need more.
    assert found.pop("tallest") <= 768 - 40 - 30
    for what, rect in found.items():
        assert room.contains(QRect(*rect)), f"{what} is at {rect}, off the 1366x768 screen"


def test_closing_the_session_from_the_register_stops_the_presenter_recording(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, tasks: TaskRunner
) -> None:
    presenter = start_session(qtbot, launcher)
    session = presenter.session
    assert session is not None
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    click(qtbot, presenter, "Register")
    register = launcher.registers[session.uuid]
    assert isinstance(register, RegisterWindow) and register.isVisible()
    click(qtbot, register, "Close session")
    answer(qtbot, "Close session")
    qtbot.waitUntil(
        lambda: sessions.get_session(workspace.db, session.uuid).status is SessionStatus.CLOSED,  # type: ignore[union-attr]
        timeout=5000,
    )
    tasks.wait()
    qtbot.wait(50)  # the register's "closed" reaches the other windows

    click(qtbot, presenter, "Next")  # the room still sees the slides; nothing more is recorded
    assert presenter.presentation.index == 2
    qtbot.wait(50)
    tasks.wait()
    closed = sessions.get_session(workspace.db, session.uuid)
    assert closed is not None and closed.ends_at is not None
    log = delivery.timing_log(workspace.db, session.uuid)
    assert [section_id for section_id, _, _ in log] == [s.id for s in presenter.presentation.plan.sections[:2]]
    assert all(start <= closed.ends_at and end is not None and end <= closed.ends_at for _, start, end in log)
    assert sessions_mid_delivery(workspace.db) == set()  # no resume point for a closed session

    notice = label_named(presenter, "Session closed")
    assert notice.isVisible() and "nothing more is recorded" in notice.text()
    assert not button(presenter, "Resume clock").isEnabled()  # the clock stopped with the session
    assert button(presenter, "Close presenter").isEnabled()

    audience = presenter.audience
    press_the_window_close_button(presenter)  # nothing left to end: it closes without a question
    qtbot.waitUntil(lambda: gone(presenter), timeout=3000)
    assert gone(audience)
    tasks.wait()
    assert sessions_mid_delivery(workspace.db) == set()


def test_quitting_the_main_window_mid_session_asks_first(qtbot: QtBot, workspace: Workspace) -> None:
    """The main window's close button quit at once, taking the room's screen with it."""
    from trainer_desk.app import build_main_window

    runner = TaskRunner()
    window = build_main_window(workspace, runner)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.launcher is not None, timeout=5000)
    assert window.launcher is not None
    presenter = start_session(qtbot, window.launcher)

    press_the_window_close_button(window)
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox) and box.defaultButton().text() == "Carry on"
    assert "A session is being presented" in answer(qtbot, "Carry on")
    assert window.isVisible() and presenter.isVisible() and presenter.audience.isVisible()

    press_the_window_close_button(window)
    answer(qtbot, "Quit")
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert not presenter.audience.isVisible()
    runner.wait()
    assert delivery.unfinished_session(workspace.db) is not None  # its place is kept to resume from
