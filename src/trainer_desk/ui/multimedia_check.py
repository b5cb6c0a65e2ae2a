"""Find out at start-up whether video can play at all.

Without certain system libraries QtMultimedia loads but has no backend and plays nothing, silently; a
trainer must hear about that before the class, not see a black screen in front of it.

The app asks a child process of its own (`trainer-desk --check-video`), so that the media stack (QtMultimedia,
FFmpeg and their libraries, some 17 MB) is loaded into the app only when a film is first played, and a media
library that crashes on load takes the check down, not the app.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QProcess

from trainer_desk.own_program import own_command

log = logging.getLogger(__name__)

NO_VIDEO_MESSAGE = (
    "Video playback is not available on this computer: the media system found no way to play video. "
    "Lessons will run, but their videos will not play. Ask IT to install the media libraries listed in "
    "the Trainer Desk README (on Linux: libpulse0 and libxrandr2)."
)
CHECK_OPTION = "--check-video"
NO_BACKEND = 3  # the child's exit status when it found no way to play video


def multimedia_problem() -> str | None:
    """None when a player backend exists, else a message a trainer can pass to IT."""
    try:
        from PySide6.QtMultimedia import QMediaPlayer
    except ImportError as error:
        log.warning("QtMultimedia cannot be imported: %s", error)
        return NO_VIDEO_MESSAGE
    player = QMediaPlayer()
    try:
        available = player.isAvailable()
    finally:
        player.deleteLater()
    if not available:
        log.warning("QtMultimedia has no working backend; videos will not play")
        return NO_VIDEO_MESSAGE
    return None


def check_here() -> int:
    """The child's side: 0 when video can play here, `NO_BACKEND` when it cannot."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    problem = multimedia_problem()
    del app
    return NO_BACKEND if problem else 0


def check_in_child(parent: QObject, report: Callable[[str | None], None], command: list[str] | None = None) -> QProcess:
    """Start the check; `report` gets None or the message once the child has answered. A child that could not
    be started says nothing about video, and is only logged; one that crashed is taken at its word."""
    program, *arguments = command or own_command(CHECK_OPTION)
    process = QProcess(parent)
    process.setStandardOutputFile(QProcess.nullDevice())
    process.setStandardErrorFile(QProcess.nullDevice())  # the media libraries' chatter; the outcome is logged

    def finished(code: int, status: QProcess.ExitStatus) -> None:
        if status == QProcess.ExitStatus.CrashExit:
            log.warning("the check for video playback crashed; videos may not play")
            report(NO_VIDEO_MESSAGE)
        elif code == NO_BACKEND:
            log.warning("QtMultimedia has no working backend; videos will not play")
            report(NO_VIDEO_MESSAGE)
        elif code != 0:
            log.warning("the check for video playback ended with status %d", code)
        else:
            report(None)

    def failed(error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            log.warning("the check for video playback could not start: %s", process.errorString())

    process.finished.connect(finished)
    process.errorOccurred.connect(failed)
    process.start(program, arguments)
    return process


def stop_check(process: QProcess) -> None:
    """The app is closing: the answer is no longer wanted, and the child ended by us is not a crash to log."""
    if process.state() == QProcess.ProcessState.NotRunning:
        return
    process.finished.disconnect()
    process.errorOccurred.disconnect()
    process.kill()
    process.waitForFinished(2000)
