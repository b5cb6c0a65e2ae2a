"""The section's video: one player drives the audience screen, with the same frames mirrored to the
presenter's preview and captions drawn from the WebVTT file.

QMediaPlayer is asynchronous, so nothing here waits: status and error signals say what happened.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink

from trainer_desk.core.lesson_plan import Video
from trainer_desk.core.webvtt import CaptionError, CaptionTrack, parse_webvtt

log = logging.getLogger(__name__)


class VideoPlayer(QObject):
    caption_changed = Signal(str)
    problem = Signal(str)  # a sentence for the trainer; the session goes on
    state_changed = Signal(bool)  # playing
    position_changed = Signal(int, int)  # position ms, duration ms

    def __init__(self) -> None:
        super().__init__()
        self.audio = QAudioOutput()
        self.audio.setVolume(0.8)
        self.player = QMediaPlayer()
        self.player.setAudioOutput(self.audio)
        self.player.errorOccurred.connect(self._on_player_error)
        self.player.mediaStatusChanged.connect(self._on_player_status)
        self.player.positionChanged.connect(self._on_player_position)
        self.player.playbackStateChanged.connect(
            lambda state: self.state_changed.emit(state == QMediaPlayer.PlaybackState.PlayingState)
        )
        self.captions = CaptionTrack([])
        self.captions_on = True
        self._caption = ""
        self._start_ms = 0
        self._mirrors: list[QVideoSink] = []
        self.video: Video | None = None

    def set_output(self, sink: QVideoSink, mirror: QVideoSink | None = None) -> None:
        self.player.setVideoSink(sink)
        if mirror is not None:
            self._mirrors.append(mirror)
            sink.videoFrameChanged.connect(self._on_frame)

    def load(self, video: Video | None) -> None:
        if video is not None and video == self.video:
            return
        self.player.stop()
        self.video = video
        self._set_caption("")
        if video is None:
            self.player.setSource(QUrl())
            return
        if not video.file.is_file():
            self.problem.emit(f"The video {video.file.name} is missing, so it cannot be played. Carry on without it.")
            return
        self.captions = CaptionTrack(self._read_captions(video.captions))
        self._start_ms = video.start_seconds * 1000
        self.player.setSource(QUrl.fromLocalFile(str(video.file)))

    def _read_captions(self, path: Path) -> list:  # type: ignore[type-arg]
        try:
            return parse_webvtt(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, CaptionError) as error:
            self.problem.emit(f"The captions for this video cannot be read ({error}); it plays without them.")
            return []

    def toggle_play(self) -> None:
        if self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState:
            self.player.pause()
        elif self.video is not None:
            self.player.play()

    def stop(self) -> None:
        self.player.stop()

    def seek(self, position_ms: int) -> None:
        self.player.setPosition(max(0, position_ms))

    def set_volume(self, percent: int) -> None:
        self.audio.setVolume(max(0, min(percent, 100)) / 100)

    def set_captions_on(self, on: bool) -> None:
        self.captions_on = on
        self._set_caption(self.captions.text_at(self.player.position()) if on else "")

    def _on_frame(self, frame: QVideoFrame) -> None:
        for mirror in self._mirrors:
            mirror.setVideoFrame(frame)

    def _on_player_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._start_ms:
            self.player.setPosition(self._start_ms)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            name = self.video.file.name if self.video else "video"
            self.problem.emit(
                f"The video {name} cannot be played: the file is damaged or in a format this "
                "computer cannot decode. Carry on without it."
            )

    def _on_player_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            log.warning("video error: %s", error.name)
            name = self.video.file.name if self.video else "video"
            self.problem.emit(f"The video {name} cannot be played ({message}). Carry on without it.")

    def _on_player_position(self, position: int) -> None:
        self.position_changed.emit(position, self.player.duration())
        if self.captions_on:
            self._set_caption(self.captions.text_at(position))

    def _set_caption(self, text: str) -> None:
        if text != self._caption:
            self._caption = text
            self.caption_changed.emit(text)
