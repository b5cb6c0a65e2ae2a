"""The log file: a rotating file in the platform's log folder.

What goes in a log line is decided where it is written: counts, ids, file names, error kinds. Never a
person's name or staff number; a test reads the log after real work to hold us to that.
"""

from __future__ import annotations

import logging
from pathlib import Path

from trainer_desk.core.errors import failure_record

LOG_FILE_NAME = "trainer-desk.log"
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def configure_logging(log_dir: Path, level: int = logging.INFO) -> Path:
    """Send our logs to a rotating file (5 files of 1 MB); safe to call more than once."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / LOG_FILE_NAME
    root = logging.getLogger("trainer_desk")
    for handler in list(root.handlers):
        if getattr(handler, "_trainer_desk", False):
            root.removeHandler(handler)
            handler.close()
    handler = _RotatingOnFirstUse(path)
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._trainer_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


class _RotatingOnFirstUse(logging.Handler):
    """The standard rotating file handler, made when the first line is written: importing it (with the socket
    and pickle modules it brings) is a fortieth of the app's start, and a normal start writes nothing before
    its window is up. Every line still reaches the file, in order."""

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.file: logging.Handler | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.file is None:  # under the handler's lock: made once
            import logging.handlers

            self.file = logging.handlers.RotatingFileHandler(
                self.path, maxBytes=1_000_000, backupCount=4, encoding="utf-8"
            )
            self.file.setFormatter(self.formatter)
        self.file.emit(record)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
        super().close()


def log_failure(logger: logging.Logger, what: str, error: BaseException) -> None:
    """Every failure that is our fault reaches the log with its stack (never with its message: see
    `failure_record`)."""
    logger.error("%s failed: %s", what, failure_record(error))
