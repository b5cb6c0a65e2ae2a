"""Keep the projector lit: no screensaver, screen blanking or idle sleep while a session is presented.

On Linux desktops this asks the session's screensaver over D-Bus (`org.freedesktop.ScreenSaver.Inhibit`, which
GNOME and KDE also honour for idle suspend) on a connection of its own; closing that connection is the release,
because the desktop drops every inhibition a departed client held (the cookie it returns is a D-Bus uint32,
which Python cannot hand back with its type intact). On Windows it tells the system the display is required.
Where neither exists, presenting goes on and the log says the screen may still blank.
"""

from __future__ import annotations

import itertools
import logging
import os
import sys
from pathlib import Path

from PySide6.QtDBus import QDBusConnection, QDBusMessage, QDBusPendingCallWatcher

log = logging.getLogger(__name__)

_SERVICE = "org.freedesktop.ScreenSaver"
_PATH = "/org/freedesktop/ScreenSaver"
_names = itertools.count(1)


class ScreenAwake:
    """One hold per presenter; `release` is safe to call twice."""

    def __init__(self) -> None:
        self.connection_name = f"trainer-desk-awake-{next(_names)}"
        self.connection: QDBusConnection | None = None
        self.held = False
        self._watcher: QDBusPendingCallWatcher | None = None

    def hold(self, reason: str) -> None:
        if sys.platform == "win32":
            self.held = _windows_display_required(True)
            return
        address = session_bus_address()
        connection = QDBusConnection.connectToBus(address, self.connection_name) if address else None
        if connection is None or not connection.isConnected():
            log.info("no desktop session bus: the screen may blank during the session")
            return
        self.connection = connection
        # A bare message, not a QDBusInterface: that one asks the service to describe itself first, and waits.
        message = QDBusMessage.createMethodCall(_SERVICE, _PATH, _SERVICE, "Inhibit")
        message.setArguments(["Trainer Desk", reason])
        self._watcher = QDBusPendingCallWatcher(connection.asyncCall(message, 5000))
        self._watcher.finished.connect(self._on_inhibit_answered)  # asked without waiting: the UI goes on

    def _on_inhibit_answered(self, watcher: QDBusPendingCallWatcher) -> None:
        self.held = not watcher.isError() and self.connection is not None
        if watcher.isError():
            log.info("the desktop would not keep the screen awake (%s)", watcher.error().name())

    def release(self) -> None:
        if sys.platform == "win32":
            if self.held:
                _windows_display_required(False)
        elif self.connection is not None:
            QDBusConnection.disconnectFromBus(self.connection_name)
            self.connection = None
        self.held = False


def session_bus_address() -> str:
    """Read afresh each time (the D-Bus library would keep the first answer for the life of the process)."""
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address and hasattr(os, "getuid"):
        usual = Path(f"/run/user/{os.getuid()}/bus")
        address = f"unix:path={usual}" if usual.exists() else ""
    return address


def _windows_display_required(required: bool) -> bool:
    import ctypes  # Windows only

    es_continuous, es_system_required, es_display_required = 0x80000000, 0x00000001, 0x00000002
    flags = es_continuous | ((es_system_required | es_display_required) if required else 0)
    return bool(ctypes.windll.kernel32.SetThreadExecutionState(flags))  # type: ignore[attr-defined]
