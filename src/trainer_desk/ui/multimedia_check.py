"""Find out at start-up whether video can play at all.

Without certain system libraries QtMultimedia loads but has no backend and plays nothing, silently; a
trainer must hear about that before the class, not see a black screen in front of it.
"""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

NO_VIDEO_MESSAGE = (
    "Video playback is not available on this computer: the media system found no way to play video. "
    "Lessons will run, but their videos will not play. Ask IT to install the media libraries listed in "
    "the Trainer Desk README (on Linux: libpulse0 and libxrandr2)."
)


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
