"""Run by a test in a child process: start Trainer Desk on DATA, start a session of the 60-minute plan through
the launcher, move to section 4, say so on stdout, and keep delivering until the test kills the process
(as a flat battery would)."""

from __future__ import annotations

import ctypes
import signal
import sys
from datetime import UTC, datetime

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from trainer_desk.__main__ import main
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.presenter_window import PresenterWindow

# Killed with the test process, however that ends: a test stopped by a time-out never reaches the line that
# kills this child, which would otherwise deliver for ever. PR_SET_PDEATHSIG (1) is Linux's, as the tests are.
if sys.platform == "linux":
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)


def when(ready: object, then: object) -> None:
    """Poll the event loop until `ready()` is true, then call `then()`: the child has no qtbot."""

    def check() -> None:
        if ready():  # type: ignore[operator]
            then()  # type: ignore[operator]
        else:
            QTimer.singleShot(50, check)

    QTimer.singleShot(50, check)


def main_window() -> MainWindow | None:
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)), None)


def start() -> None:
    window = main_window()
    launcher = window.launcher if window is not None else None
    assert launcher is not None
    plan = next(p for p in launcher.library.plans if p.id == "signa-core")
    session = Session(
        new_uuid(),
        PlanRef(plan.id, plan.version, plan.programme.id),
        "NORTH",
        "Room 5",
        DeliveryMode.IN_PERSON,
        datetime.now(UTC),
        trainers=("S123280",),
    )
    launcher.begin(plan, session)  # what the Start dialog does once its details are checked
    when(lambda: launcher.presenters, lambda: deliver(launcher.presenters[0]))


def deliver(presenter: PresenterWindow) -> None:
    for _ in range(3):
        presenter.next_section()
    QTimer.singleShot(1500, lambda: print("delivering section 4", flush=True))  # its start is saved by then


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])  # main() uses this one, so the timer below has an event loop to run on
    # The launcher is there once the database is open, which the window does not wait for.
    when(lambda: (window := main_window()) is not None and window.launcher is not None, start)
    sys.exit(main(["--data-dir", sys.argv[1]]))
