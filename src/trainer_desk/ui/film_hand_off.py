"""A section's film between the trainer's preview and the room: loaded once the trainer stays on the section,
never playing behind a blank screen or the signposting card, and the keyboard's focus kept off its picture."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from trainer_desk.core.audience_view import AudienceView
from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.presenter_text import missing_film
from trainer_desk.ui.presentation import Presentation
from trainer_desk.ui.video_controls import VideoControls
from trainer_desk.ui.video_player import VideoPlayer

LOAD_AFTER_MS = 250  # flicking past a section loads nothing


class FilmHandOff(QObject):
    held_changed = Signal()  # the film was paused by taking it off the room's screen, or plays again

    def __init__(
        self, video: VideoPlayer, controls: VideoControls, presentation: Presentation, window: QWidget, home: QWidget
    ) -> None:
        """`home` takes the focus back from the film's controls or picture: where every key runs the room."""
        super().__init__(window)
        self.video, self.controls, self.presentation = video, controls, presentation
        self.window, self.home = window, home
        self.held = False  # paused by taking it off the audience's screen, said beside the view
        self.loader = QTimer(self)
        self.loader.setSingleShot(True)
        self.loader.setInterval(LOAD_AFTER_MS)
        self.loader.timeout.connect(lambda: self.video.load(self.presentation.section.video))
        # The film's preview makes a window of its own inside it when a film loads, and that took the focus:
        # the next keys went nowhere, and the arrows then to the FAQ search. The focus goes back where it was.
        self._watching_focus = isinstance(app := QApplication.instance(), QApplication)
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_off_the_picture)

    def show_section(self, section: Section, *, new: bool) -> None:
        """The controls for the section's film (none without one) and the film loaded once the trainer stays.
        A `new` section's film, if it has one, has not played: nothing of it is held."""
        if new:
            self.held = False
        self.controls.video_message.clear()
        if message := missing_film(section):
            self.controls.video_message.setText(message)
        # Hiding the film's controls with one of them focused (Captions, pressed with Space) would let Qt pass
        # the focus on to the FAQ search, where B, S, N and the arrows then type instead of running the room.
        focused = QApplication.focusWidget()
        if focused is not None and self.controls.isAncestorOf(focused) and section.video is None:
            self.home.setFocus(Qt.FocusReason.OtherFocusReason)
        self.controls.setVisible(section.video is not None)
        self.video.load(None)
        if section.video is not None:
            self.loader.start()

    def play_or_pause(self) -> None:
        if self.loader.isActive():  # played before it was due to load: loaded now
            self.loader.stop()
            self.video.load(self.presentation.section.video)
        self.video.toggle_play()

    def on_view_changed(self) -> None:
        """A film never plays behind a blank screen or the signposting card: taking it off the screen pauses
        it (blanked for someone upset by it, its sound went on). It stays paused when the section comes back,
        for the trainer to play on (K) when the room is ready."""
        if self.presentation.view is not AudienceView.CONTENT and self.video.playing:
            self.video.pause()
            self.held = True

    def on_film_starting(self) -> None:
        """The trainer plays the film (K, or its button) while the room sees a blank screen: the film comes
        back with it, rather than its sound playing behind the blank screen."""
        self.held = False
        if self.presentation.view is not AudienceView.CONTENT:
            self.presentation.set_view(AudienceView.CONTENT)

    def on_video_state_changed(self, playing: bool) -> None:
        """The player says it plays while the room sees a blank screen only when that news comes late (from
        before the screen was blanked): the film is paused again, not shown."""
        if playing and self.presentation.view is not AudienceView.CONTENT:
            self.video.pause()
            self.held = True
        self.held_changed.emit()

    def stop(self) -> None:
        """The presenter is closing: nothing more loads, and the focus is no longer watched."""
        self.loader.stop()
        if self._watching_focus and isinstance(app := QApplication.instance(), QApplication):
            self._watching_focus = False  # a second close has nothing to undo
            app.focusChanged.disconnect(self._keep_focus_off_the_picture)

    def _keep_focus_off_the_picture(self, old: QWidget | None, new: QWidget | None) -> None:
        preview = self.controls.preview
        if new is None or old is None or not preview.isAncestorOf(new) or not self.window.isAncestorOf(old):
            return

        def back() -> None:  # once the moment's window changes are done: never take the focus from another window
            held = QApplication.focusWidget()
            if held is not None and preview.isAncestorOf(held) and self.window.isActiveWindow():
                (old if old.isVisible() else self.home).setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, self, back)
