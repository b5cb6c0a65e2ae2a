"""The section's video: one player drives the audience screen, with the same frames mirrored to the
presenter's preview and captions drawn from the WebVTT file.

QMediaPlayer is asynchronous, so nothing here waits: status and error signals say what happened.

Why every command to the player is a queued signal: Qt's multimedia threads sometimes call back into the
objects Python created (a virtual method, a disconnect), and each such call needs Python's global lock. A
player method called straight from Python holds that lock while it waits for those same threads, and the app
froze for good. Here Python only posts requests; Qt's event loop, which runs without the lock, makes the
calls. For the same reason the player is never deleted by Python's garbage collector: `retire` hands it to
the event loop.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtMultimedia import QAudioDevice, QAudioOutput, QMediaPlayer, QVideoFrame, QVideoSink

from trainer_desk.core.lesson_plan import Video
from trainer_desk.core.webvtt import CaptionError, CaptionTrack, parse_webvtt

log = logging.getLogger(__name__)
_QUEUED = Qt.ConnectionType.QueuedConnection
_retiring: dict[int, QObject] = {}


def retire(obj: QObject) -> None:
    """Delete `obj` from Qt's event loop, and keep Python from deleting it first (see the module's note)."""
    key = id(obj)
    if key in _retiring:
        return
    _retiring[key] = obj
    obj.destroyed.connect(lambda *_: _retiring.pop(key, None))
    obj.deleteLater()


class VideoPlayer(QObject):
    caption_changed = Signal(str)
    problem = Signal(str)  # a sentence for the trainer; the session goes on
    cannot_play = Signal()  # the film is missing or will not play: the room is not promised it
    state_changed = Signal(bool)  # playing
    starting = Signal()  # the trainer asked for the film to play (K or its button), before the player is told
    position_changed = Signal(int, int)  # position ms, duration ms

    # Requests to the player, delivered by the event loop (never called from Python directly).
    _play_requested = Signal()
    _pause_requested = Signal()
    _stop_requested = Signal()
    _source_requested = Signal(QUrl)
    _position_requested = Signal("qlonglong")  # type: ignore[arg-type]  # setPosition takes a 64-bit int
    _volume_requested = Signal(float)
    _device_requested = Signal(QAudioDevice)

    def __init__(self) -> None:
        super().__init__()
        self.audio = QAudioOutput()
        self.audio.setVolume(0.8)
        self.player = QMediaPlayer()
        self.player.setAudioOutput(self.audio)
        self._play_requested.connect(self.player.play, _QUEUED)
        self._pause_requested.connect(self.player.pause, _QUEUED)
        self._stop_requested.connect(self.player.stop, _QUEUED)
        self._source_requested.connect(self.player.setSource, _QUEUED)
        self._position_requested.connect(self.player.setPosition, _QUEUED)
        self._volume_requested.connect(self.audio.setVolume, _QUEUED)
        self._device_requested.connect(self.audio.setDevice, _QUEUED)
        self.player.errorOccurred.connect(self._on_player_error)
        self.player.mediaStatusChanged.connect(self._on_player_status)
        self.player.positionChanged.connect(self._on_player_position)
        self.player.durationChanged.connect(self._on_player_duration)
        self.player.playbackStateChanged.connect(self._on_player_state)
        self.captions = CaptionTrack([])
        self.captions_on = True
        self.playing = False
        self._caption = ""
        self._start_ms = 0
        self._position = 0
        self._duration = 0
        self._mirrors: list[QVideoSink] = []
        self._shut = False
        self.video: Video | None = None
        # Where each film was left when the trainer moved off its section part-way (a clicker pressed once too
        # often mid-film): coming back plays on from there, not from the start.
        self._left_at: dict[tuple[Path, int], int] = {}  # by film and the point its section starts it from

    @property
    def position(self) -> int:
        """Where the film is, in ms, as the player last said."""
        return self._position

    def set_output(self, sink: QVideoSink, mirror: QVideoSink | None = None) -> None:
        self.player.setVideoSink(sink)
        if mirror is not None:
            self._mirrors.append(mirror)
            # Queued: the frame arrives on a multimedia thread, and Python runs only on the UI thread.
            sink.videoFrameChanged.connect(self._on_frame, _QUEUED)

    def load(self, video: Video | None) -> None:
        if self._shut or (video is not None and video == self.video):
            return
        self._remember_where_left()
        self._stop_requested.emit()
        self.video = video
        self._position = self._duration = 0
        self._set_caption("")
        if video is None:
            self._source_requested.emit(QUrl())
            return
        if not video.file.is_file():
            self._source_requested.emit(QUrl())
            self.problem.emit(f"The video {video.file.name} is missing, so it cannot be played. Carry on without it.")
            self.cannot_play.emit()
            return
        self.captions = CaptionTrack(self._read_captions(video.captions))
        self._start_ms = self._left_at.pop((video.file, video.start_seconds), video.start_seconds * 1000)
        self._source_requested.emit(QUrl.fromLocalFile(str(video.file)))

    def _remember_where_left(self) -> None:
        """A film left part-way is kept at its place; one seen to its last seconds, or barely begun, starts over."""
        if self.video is None or not self._duration:
            return
        begun = self._position > self.video.start_seconds * 1000 + 1000
        where = (self.video.file, self.video.start_seconds)  # two sections may show one film from two points
        if begun and self._position < self._duration - 2000:
            self._left_at[where] = self._position
        else:
            self._left_at.pop(where, None)

    def _read_captions(self, path: Path) -> list:  # type: ignore[type-arg]
        try:
            return parse_webvtt(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, CaptionError) as error:
            self.problem.emit(f"The captions for this video cannot be read ({error}); it plays without them.")
            return []

    def toggle_play(self) -> None:
        if self.playing:
            self._pause_requested.emit()
        elif self.video is not None and self.video.file.is_file() and not self._shut:
            self.starting.emit()
            self._play_requested.emit()

    def pause(self) -> None:
        if self.playing:
            self._pause_requested.emit()

    def seek(self, position_ms: int) -> None:
        self._position_requested.emit(max(0, position_ms))

    def set_volume(self, percent: int) -> None:
        self._volume_requested.emit(max(0, min(percent, 100)) / 100)

    def set_audio_device(self, device: QAudioDevice) -> None:
        """Send the sound to another output (the projector's HDMI rather than the laptop's speakers)."""
        self._device_requested.emit(device)

    def set_captions_on(self, on: bool) -> None:
        self.captions_on = on
        self._set_caption(self.captions.text_at(self._position) if on else "")

    def shut_down(self) -> None:
        """Stop, and let the event loop delete the player and its audio output (see the module's note)."""
        if self._shut:
            return
        self._shut = True
        self._mirrors.clear()  # frames still queued must not reach a preview that is going away
        self._stop_requested.emit()
        self._source_requested.emit(QUrl())
        retire(self.player)
        retire(self.audio)

    def _on_frame(self, frame: QVideoFrame) -> None:
        for mirror in self._mirrors:
            mirror.setVideoFrame(frame)

    def _on_player_state(self, state: QMediaPlayer.PlaybackState) -> None:
        self.playing = state == QMediaPlayer.PlaybackState.PlayingState
        self.state_changed.emit(self.playing)

    def _on_player_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and self._start_ms:
            self._position_requested.emit(self._start_ms)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            name = self.video.file.name if self.video else "video"
            self.problem.emit(
                f"The video {name} cannot be played: the file is damaged or in a format this "
                "computer cannot decode. Carry on without it."
            )
            self.cannot_play.emit()

    def _on_player_error(self, error: QMediaPlayer.Error, message: str) -> None:
        if error != QMediaPlayer.Error.NoError:
            log.warning("video error: %s", error.name)
            name = self.video.file.name if self.video else "video"
            self.problem.emit(f"The video {name} cannot be played ({message}). Carry on without it.")
            self.cannot_play.emit()

    def _on_player_duration(self, duration: int) -> None:
        self._duration = duration

    def _on_player_position(self, position: int) -> None:
        self._position = position
        self.position_changed.emit(position, self._duration)
        if self.captions_on:
            self._set_caption(self.captions.text_at(position))

    def _set_caption(self, text: str) -> None:
        if text != self._caption:
            self._caption = text
            self.caption_changed.emit(text)
