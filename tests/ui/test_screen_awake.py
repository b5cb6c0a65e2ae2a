"""While a session is presented the desktop is asked to keep the screen on; closing the presenter lets go.

The desktop here is a real D-Bus session bus (dbus-daemon) with a screensaver service on it that records what
it was asked, as GNOME's and KDE's do."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator

import pytest
from PySide6.QtCore import ClassInfo, QObject, Qt, Slot
from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click, gone
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


@ClassInfo({"D-Bus Interface": "org.freedesktop.ScreenSaver"})
class Screensaver(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.asked: list[tuple[str, str]] = []

    @Slot(str, str, result=int)
    def Inhibit(self, application: str, reason: str) -> int:
        self.asked.append((application, reason))
        return 7


@pytest.fixture
def desktop_bus(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[QDBusConnection, Screensaver]]:
    daemon = subprocess.Popen(
        ["dbus-daemon", "--session", "--nofork", "--print-address"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert daemon.stdout is not None
        address = daemon.stdout.readline().strip()
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        bus = QDBusConnection.connectToBus(address, "desktop")
        saver = Screensaver()
        assert bus.registerObject("/org/freedesktop/ScreenSaver", saver, QDBusConnection.RegisterOption.ExportAllSlots)
        assert bus.registerService("org.freedesktop.ScreenSaver")
        yield bus, saver
        QDBusConnection.disconnectFromBus("desktop")
    finally:
        daemon.kill()
        daemon.wait()
        if daemon.stdout is not None:
            daemon.stdout.close()


def test_presenting_keeps_the_screen_awake_until_the_presenter_closes(
    qtbot: QtBot, workspace: Workspace, desktop_bus: tuple[QDBusConnection, Screensaver]
) -> None:
    bus, saver = desktop_bus
    tasks = TaskRunner()
    plan = load_library(bundled("lesson_plans")).get("raising-concerns")
    assert plan is not None
    presenter = DeliveryLauncher(workspace, tasks, load_library(bundled("lesson_plans"))).rehearse(plan)
    qtbot.waitUntil(lambda: presenter.awake.held, timeout=5000)
    assert saver.asked == [("Trainer Desk", f"Presenting {plan.title}")]
    holder = presenter.awake.connection.baseService()  # type: ignore[union-attr]
    assert bus.interface().isServiceRegistered(holder).value()
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    click(qtbot, presenter, "End rehearsal")
    answer(qtbot, "End rehearsal")
    qtbot.waitUntil(lambda: gone(presenter), timeout=3000)
    # The desktop lets go of every inhibition held by a client that has left the bus.
    qtbot.waitUntil(lambda: not bus.interface().isServiceRegistered(holder).value(), timeout=3000)
    assert not presenter.awake.held
    tasks.wait()


def test_without_a_desktop_bus_the_session_still_runs(
    qtbot: QtBot, workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    tasks = TaskRunner()
    library = load_library(bundled("lesson_plans"))
    plan = library.get("upstander")
    assert plan is not None
    presenter = DeliveryLauncher(workspace, tasks, library).rehearse(plan)
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert presenter.presentation.index == 1 and not presenter.awake.held
    presenter.close()
    tasks.wait()
