"""The presenter's video box: the preview of what the room sees, its caption, play and seek, volume, captions on
or off, the sound output (laptop or projector speakers), and a plain line when a film cannot play.

It only shows the player's state and forwards the trainer's choices to it; which film a section plays, and
when it loads, is the presenter's business, so Play is a signal the presenter answers."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtMultimedia import QAudioDevice, QMediaDevices
from PySide6.QtMultimediaWidgets import QVideoWidget
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QWidget,
)

from trainer_desk.ui.combo_fit import fit_to_column
from trainer_desk.ui.video_player import VideoPlayer

# With a slider focused, these keys are the slider's, not the presenter's shortcuts for the sections. Page Up
# and Page Down stay the presenter's: a clicker sends them, wherever the focus is.
_SLIDER_KEYS = frozenset(
    {Qt.Key.Key_Left, Qt.Key.Key_Right, Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Home, Qt.Key.Key_End}
)
SEEK_STEP_MS = 5000


class ControlSlider(QSlider):
    """A slider the keyboard and a click move as a person expects, in a window whose shortcuts use the same
    keys: focused, the arrows, Home and End move it (they moved the room to another section), and a click on
    its groove goes to that point (it crept a step). `chosen` says where the person put it."""

    chosen = Signal(int)

    def __init__(self) -> None:
        super().__init__(Qt.Orientation.Horizontal)
        self.actionTriggered.connect(lambda _action: self.chosen.emit(self.sliderPosition()))

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in _SLIDER_KEYS
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
        ):
            event.accept()  # the key then comes to keyPressEvent, as to any focused slider
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        point = event.position().toPoint()
        hit = style.hitTestComplexControl(QStyle.ComplexControl.CC_Slider, option, point, self)
        if event.button() != Qt.MouseButton.LeftButton or hit == QStyle.SubControl.SC_SliderHandle:
            super().mousePressEvent(event)  # the handle is dragged as before
            return
        groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option, QStyle.SubControl.SC_SliderHandle, self)
        span = max(groove.width() - handle.width(), 1)
        value = QStyle.sliderValueFromPosition(
            self.minimum(), self.maximum(), point.x() - groove.x() - handle.width() // 2, span
        )
        self.setValue(value)
        self.chosen.emit(value)
        event.accept()


class VideoControls(QWidget):
    play_clicked = Signal()

    def __init__(self, video: VideoPlayer) -> None:
        super().__init__()
        self.video = video
        self.preview = QVideoWidget()
        self.preview.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a picture: the keys stay with the controls
        self.preview.setAccessibleName("Video preview")
        self.preview.setMinimumSize(240, 135)  # 16:9, and narrow enough for the column beside a scroll bar
        self.caption_preview = QLabel()
        self.caption_preview.setAccessibleName("Caption")
        self.caption_preview.setWordWrap(True)
        self.video_message = QLabel()
        self.video_message.setAccessibleName("Video message")
        self.video_message.setWordWrap(True)
        self.video_message.setStyleSheet("color: #8a1c00; font-weight: bold;")
        self.play_button = QPushButton("Play video")
        self.play_button.setAccessibleName("Play or pause the video")
        self.play_button.clicked.connect(self._on_play_button_clicked)
        self.seek = ControlSlider()
        self.seek.setAccessibleName("Video position")
        self.seek.setSingleStep(SEEK_STEP_MS)  # an arrow: five seconds; Home and End: the start and the end
        self.seek.setRange(0, 0)  # nothing to seek until the film's length is known
        self.seek.chosen.connect(video.seek)
        self.volume = ControlSlider()
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setSingleStep(5)
        self.volume.setValue(80)
        self.volume.valueChanged.connect(video.set_volume)
        self.captions_box = QCheckBox("Captions")
        self.captions_box.setChecked(True)
        self.captions_box.toggled.connect(video.set_captions_on)
        self.sound_output = QComboBox()
        self.sound_output.setAccessibleName("Sound output")
        fit_to_column(self.sound_output)
        self.sound_output.setToolTip("Where the film's sound plays: the laptop, or the projector's HDMI speakers")
        self.refresh_sound_outputs()
        self.sound_output.activated.connect(self._on_sound_output_activated)

        layout = QGridLayout(self)
        layout.addWidget(self.preview, 0, 0, 1, 3)
        layout.addWidget(self.caption_preview, 1, 0, 1, 3)
        layout.addWidget(self.play_button, 2, 0)
        layout.addWidget(self.seek, 2, 1, 1, 2)
        layout.addWidget(QLabel("Volume"), 3, 0)
        layout.addWidget(self.volume, 3, 1)
        layout.addWidget(self.captions_box, 3, 2)
        layout.addWidget(QLabel("Sound"), 4, 0)
        layout.addWidget(self.sound_output, 4, 1, 1, 2)
        layout.addWidget(self.video_message, 5, 0, 1, 3)

        video.caption_changed.connect(self.caption_preview.setText)
        video.problem.connect(self.video_message.setText)
        video.state_changed.connect(self._on_video_state_changed)
        video.position_changed.connect(self._on_video_position_changed)

    def refresh_sound_outputs(self) -> None:
        self.sound_output.clear()
        default = QMediaDevices.defaultAudioOutput()
        for device in QMediaDevices.audioOutputs():
            self.sound_output.addItem(device.description(), device)
            if device.id() == default.id():
                self.sound_output.setCurrentIndex(self.sound_output.count() - 1)
        if not self.sound_output.count():
            self.sound_output.addItem("No sound output found")
        self.sound_output.setEnabled(self.sound_output.itemData(0) is not None)

    def _on_play_button_clicked(self) -> None:
        self.play_clicked.emit()

    def _on_sound_output_activated(self, index: int) -> None:
        device = self.sound_output.itemData(index)
        if isinstance(device, QAudioDevice):
            self.video.set_audio_device(device)

    def _on_video_state_changed(self, playing: bool) -> None:
        self.play_button.setText("Pause video" if playing else "Play video")

    def _on_video_position_changed(self, position: int, duration: int) -> None:
        self.seek.setRange(0, max(duration, 0))
        self.seek.setPageStep(max(duration // 10, SEEK_STEP_MS))
        if not self.seek.isSliderDown():
            self.seek.setValue(position)
