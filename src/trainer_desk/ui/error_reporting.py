"""The one place a failure nobody else handled reaches: an exception in a Qt slot, a background task without a
failure handler, a thread that died. Each is logged with its stack, and the trainer sees a plain sentence that
says where the log is, instead of nothing (a windowed build has no console to print to).

Qt's own warnings go to the log as well, so a problem Qt noticed is not lost either.
"""

from __future__ import annotations

import logging
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QMessageLogContext, QObject, QtMsgType, Signal, qInstallMessageHandler

from trainer_desk.core.errors import UserFacingError
from trainer_desk.logs import log_failure

log = logging.getLogger(__name__)
qt_log = logging.getLogger("trainer_desk.qt")
_QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
# A platform plugin's notice about itself, said at every window shown on some platforms (offscreen, as in an
# installation check): nothing about this app or its data, and writing it was the first line of every start.
_PLATFORM_NOTICES = frozenset({"This plugin does not support propagateSizeHints()"})


class ErrorReporter(QObject):
    reported = Signal(str)  # the sentence to show; delivered on the UI thread whoever reported

    def __init__(self, log_file: Path) -> None:
        super().__init__()
        self.log_file = log_file

    def report(self, what: str, error: BaseException) -> None:
        """Log `error` and tell the trainer: their own words for a UserFacingError, an apology for a bug."""
        if isinstance(error, UserFacingError):
            log.info("%s: %s", what, type(error).__name__)
            self.reported.emit(error.message)
            return
        log_failure(log, what, error)
        self.reported.emit(
            f"Something went wrong inside Trainer Desk ({what}). This is a fault in the program, not something "
            f"you did; what you had saved is safe. The details are in {self.log_file}."
        )

    def install(self) -> Callable[[], None]:
        """Catch what would otherwise reach only stderr; returns a function that puts everything back."""
        previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

        def excepthook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
            self.report("an action in the window", error.with_traceback(tb))

        def thread_hook(args: threading.ExceptHookArgs) -> None:
            if args.exc_value is not None:
                self.report("background work", args.exc_value)

        sys.excepthook = excepthook
        threading.excepthook = thread_hook
        previous_qt = qInstallMessageHandler(_log_qt_message)

        def restore() -> None:
            sys.excepthook, threading.excepthook = previous_hook, previous_thread_hook
            qInstallMessageHandler(previous_qt)

        return restore


def _log_qt_message(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if message in _PLATFORM_NOTICES:
        return
    qt_log.log(_QT_LEVELS.get(kind, logging.WARNING), "%s", message)
