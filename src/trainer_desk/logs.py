"""The log file: a rotating file in the platform's log folder.

What goes in a log line is decided where it is written: counts, ids, file names, error kinds. Never a
person's name or staff number; a test reads the log after real work to hold us to that.
"""

from __future__ import annotations

import logging
import logging.handlers
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
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=4, encoding="utf-8")
    handler.setFormatter(logging.Formatter(_FORMAT))
    handler._trainer_desk = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    return path


def log_failure(logger: logging.Logger, what: str, error: BaseException) -> None:
    """Every failure that is our fault reaches the log with its stack (never with its message: see
    `failure_record`)."""
    logger.error("%s failed: %s", what, failure_record(error))
