"""The trainer's screen during a session: the script, the clocks, what comes next, the video, the FAQ.

Every decision about time lives in `core.pacing`, every wording in `core.presenter_text`; every write goes
through the delivery recorder. Each part is a module of its own (the section list, the script, the timing, the
film's hand-off, the audience screen's choice, the right-hand column, the buttons); this window lays them out,
runs the room's keys and ends the delivery.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from trainer_desk import hq_link
from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.pacing import SessionClock
from trainer_desk.core.presenter_text import REHEARSAL_NOTE, SESSION_CLOSED, end_question, room_sees
from trainer_desk.core.sessions import Session
from trainer_desk.store.faq_index import FaqIndex
from trainer_desk.ui.audience_screen_choice import AudienceScreenChoice
from trainer_desk.ui.audience_window import AudienceWindow
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.clock_board import ClockBoard
from trainer_desk.ui.delivery_recorder import DeliveryRecorder
from trainer_desk.ui.enter_presses import EnterPressesButtons
from trainer_desk.ui.faq_panel import FaqPanel
from trainer_desk.ui.film_hand_off import FilmHandOff
from trainer_desk.ui.not_saved_banner import NotSavedBanner
from trainer_desk.ui.phone_answers import PhoneAnswersCount
from trainer_desk.ui.presentation import AudienceView, Presentation
from trainer_desk.ui.presenter_buttons import PresenterButtons
from trainer_desk.ui.presenter_timing import PresenterTiming
from trainer_desk.ui.question import ask
from trainer_desk.ui.room_column import RoomColumn
from trainer_desk.ui.screen_awake import ScreenAwake
from trainer_desk.ui.screen_fit import ScrollingBody, fit_to_screen
from trainer_desk.ui.section_list import SectionList
from trainer_desk.ui.section_script import SectionScript
from trainer_desk.ui.shortcuts import PRESENTER_SHORTCUTS, ShortcutHelpDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.video_controls import VideoControls
from trainer_desk.ui.video_player import VideoPlayer, retire
from trainer_desk.workspace import Workspace

PREFERRED_SIZE = QSize(1280, 800)


class PresenterWindow(EnterPressesButtons, QMainWindow):
    delivery_ended = Signal()
    register_requested = Signal()

    def __init__(
        self,
        workspace: Workspace,
        tasks: TaskRunner,
        presentation: Presentation,
        faq: FaqIndex,
        session: Session | None,
        monotonic: Callable[[], float],
        snapshot: dict[str, object] | None = None,
        changes: ChangeChannel | None = None,
    ) -> None:
        super().__init__()
        self.workspace = workspace
        self.tasks = tasks
        self.presentation = presentation
        self.session = session
        plan = presentation.plan
        self.clock = SessionClock(
            targets_s=[s.minutes * 60 for s in plan.sections],
            kinds=[s.kind for s in plan.sections],
            now=monotonic,
        )
        self.resumed = bool(snapshot)  # a session carried on from where it stopped, its clock paused
        if snapshot:
            self.clock.restore(snapshot)
            presentation.index = self.clock.current
        mode = "Rehearsal" if session is None else "Session"
        self.setWindowTitle(f"{mode}: {plan.title} - Trainer Desk")
        self.setAccessibleName("Presenter")

        if session is not None:  # one row read: the key and HQ's address, to make the link offline
            presentation.feedback_link = hq_link.feedback_link(workspace.db, workspace.settings, session)
        self.recorder = DeliveryRecorder(workspace, tasks, session, self)
        self.recorder.found_closed.connect(self._stop_recording)
        # On the presenter only, never the audience screen; kept until saved or the trainer drops it.
        self.not_saved = NotSavedBanner(tasks)
        self.recorder.not_saved.connect(lambda error, unsaved: self.not_saved.add(unsaved, error))
        self.audience = AudienceWindow(presentation)
        self.audience.keyboard_owner = self
        self.awake = ScreenAwake()  # no screensaver or sleep while presenting
        self.video = VideoPlayer()
        self.faq = FaqPanel(faq)
        self._build()
        self.timing = PresenterTiming(
            self.clock, presentation, self.recorder, (self.clock_board, self.sections, self.pause_button), self
        )
        self.video.set_output(self.audience.video.videoSink(), self.video_controls.preview.videoSink())
        self.video.caption_changed.connect(self.audience.show_caption)
        self.video.state_changed.connect(self.audience.show_video_playing)  # a title card until the film plays
        self.video.state_changed.connect(self.film.on_video_state_changed)
        self.video.starting.connect(self.film.on_film_starting)
        self.film.held_changed.connect(self._say_what_the_room_sees)
        self.video.cannot_play.connect(self.audience.show_film_cannot_play)
        self.faq.question_noted.connect(self._on_faq_question_noted)
        presentation.section_changed.connect(self._on_presentation_section_changed)
        presentation.view_changed.connect(self._on_presentation_view_changed)
        self.end_prompt: QMessageBox | None = None
        self._show_section(new=False)
        if changes is not None:  # the register closing this session, for one
            changes.changed.connect(self._on_data_changed)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        self.sections = SectionList(self.presentation.plan.sections)
        self.sections.section_chosen.connect(self.go_to)  # go_to ignores the section shown
        self.clock_board = ClockBoard()
        self.section_script = SectionScript()
        self.heading, self.script = self.section_script.heading, self.section_script.script
        self.video_controls = VideoControls(self.video)
        self.film = FilmHandOff(self.video, self.video_controls, self.presentation, self, self.sections)
        self.video_controls.play_clicked.connect(self.toggle_video)

        self.room_state = QLabel()
        self.room_state.setAccessibleName("What the room sees")
        self.room_state.setWordWrap(True)  # "The audience screen is blank. The film is paused." fits the column
        self.phone_answers = PhoneAnswersCount(self.workspace, self.tasks)
        self.screen_choice = AudienceScreenChoice(self.audience)
        self.screen_choice.audience_moved.connect(lambda message: self.statusBar().showMessage(message, 10_000))

        self.closed_notice = QLabel()
        self.closed_notice.setAccessibleName("Session closed")
        self.closed_notice.setWordWrap(True)
        self.closed_notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px; font-weight: bold;")
        self.closed_notice.hide()

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.addWidget(self.not_saved)
        if self.session is None:
            # A question noted for HQ still goes: a gap in the FAQ found while practising is worth as much.
            rehearsal = QLabel(REHEARSAL_NOTE)
            rehearsal.setWordWrap(True)
            rehearsal.setAccessibleName("Rehearsal mode")
            rehearsal.setStyleSheet("background: #e8e0f7; color: #2e1a5c; padding: 6px; font-weight: bold;")
            middle_layout.addWidget(rehearsal)
        middle_layout.addWidget(self.clock_board)
        middle_layout.addWidget(self.section_script, 1)

        self.right_scroll = RoomColumn(
            [self.room_state, self.phone_answers, self.screen_choice, self.video_controls, self.faq]
        )
        # The middle scrolls where the screen is too short for it all (the Not saved banner on a small laptop), as
        # the section list and the right-hand column do: squeezed instead, the banner's advice lay over its last
        # entry and the window grew past the screen's foot, taking the buttons below it out of reach.
        middle_body = ScrollingBody(middle, "Clocks and script")
        middle_body.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a frame, not a control: Tab goes on into it
        splitter = QSplitter()
        splitter.addWidget(self.sections)
        splitter.addWidget(middle_body)
        splitter.addWidget(self.right_scroll)
        splitter.setSizes([300, 600, 380])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.closed_notice)
        layout.addWidget(self._buttons())
        self.setCentralWidget(central)

        for shortcut in PRESENTER_SHORTCUTS:
            for key in shortcut.keys:
                QShortcut(QKeySequence(key), self, getattr(self, shortcut.action))
        # Space advances only from the section list (where the presenter starts): window-wide it took Space
        # from the focused button or check box, which a keyboard user presses with Space.
        space = QShortcut(QKeySequence("Space"), self.sections, self.next_section)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)

    def _buttons(self) -> PresenterButtons:
        """A rehearsal has no register."""
        actions: list[tuple[str, Callable[[], object]]] = [
            ("◀ Previous", self.previous_section),
            ("Pause clock", self.toggle_pause),
            ("Next ▶", self.next_section),
            ("Blank screen", self.toggle_blank),
            ("Signposting", self.toggle_signposting),
            ("FAQ", self.open_faq),
            ("Shortcuts", self.show_help),
            ("Register", self.register_requested.emit),
            ("End session" if self.session else "End rehearsal", self.end_delivery),
        ]
        buttons = PresenterButtons([a for a in actions if a[0] != "Register" or self.session is not None])
        self.pause_button, self.end_button = buttons.pause, buttons.end
        self.blank_button, self.signposting_button = buttons.blank, buttons.signposting
        return buttons

    # --- starting and moving --------------------------------------------------------------------
    def start(self) -> None:
        """Show both screens and start the clock (a resumed session waits for the trainer to resume it)."""
        self.screen_choice.place_by_default()
        self._fit_to_screen()
        self.show()
        self.activateWindow()
        self.awake.hold(f"Presenting {self.presentation.plan.title}")
        self.recorder.mark_running()
        self.timing.start(self.resumed)

    def _fit_to_screen(self) -> None:
        """Open at the preferred size where there is room, else at the size of the screen's free area (a
        1366x768 laptop with a taskbar has about 1366x728), centred on it."""
        fit_to_screen(self, PREFERRED_SIZE)

    def go_to(self, index: int) -> None:
        self.timing.go_to(index)

    def next_section(self) -> None:
        """The next page of a text too long for one screen, else the next section."""
        if self.audience.turn_page(1):
            self._say_what_the_room_sees()
        else:
            self.go_to(self.presentation.index + 1)

    def previous_section(self) -> None:
        if self.audience.turn_page(-1):
            self._say_what_the_room_sees()
        else:
            self.go_to(self.presentation.index - 1)

    def toggle_pause(self) -> None:
        self.timing.toggle_pause()

    def toggle_video(self) -> None:
        self.film.play_or_pause()

    def toggle_captions(self) -> None:
        self.video_controls.captions_box.toggle()

    def toggle_blank(self) -> None:
        self.presentation.toggle(AudienceView.BLANK)

    def toggle_signposting(self) -> None:
        self.presentation.toggle(AudienceView.SIGNPOSTING)

    def larger_text(self) -> None:
        self.section_script.larger()

    def smaller_text(self) -> None:
        self.section_script.smaller()

    def open_faq(self) -> None:
        self.faq.focus_search()

    def show_help(self) -> ShortcutHelpDialog:
        dialog = ShortcutHelpDialog(self)
        dialog.open()
        return dialog

    def back_to_sections(self) -> None:
        """Escape: from the FAQ's search (where letters type) or a film's controls (where arrows seek) back to
        the section list, where every key runs the room again."""
        self.sections.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def end_delivery(self) -> QMessageBox | None:
        """Ask first: one misclick mid-session must not end it. Once the session has been closed elsewhere
        there is nothing left to end, so the window just closes."""
        if self.recorder.ended:
            self.close()
            return None
        if self.end_prompt is not None and self.end_prompt.isVisible():
            return self.end_prompt
        question = end_question(rehearsal=self.session is None)
        self.end_prompt = ask(self, question.title, question.text, question.confirm, "Carry on", self._finish_delivery)
        return self.end_prompt

    def _finish_delivery(self) -> None:
        """Closes once the end is saved: on a full disk the presenter stays open, saying the end is not saved,
        until Try again saves it (and closes) or the trainer closes it knowingly."""
        self.clock.pause()
        self.recorder.finish(on_saved=self.close)

    # --- reacting -------------------------------------------------------------------------------
    def _on_data_changed(self, changed: frozenset[Change]) -> None:
        """The register can close the session while this window is still open: once it has, stop recording."""
        if Change.SESSIONS not in changed or self.session is None or self.recorder.ended:
            return
        if not self.recorder.still_delivered():
            self._stop_recording()

    def _stop_recording(self) -> None:
        """The session is over (closed from the register): a timing row or resume point written now would fall
        after its end. The room keeps what it sees until the trainer closes this window, which asks nothing."""
        if self.recorder.ended:
            return
        self.recorder.ended = True
        self.timing.stop_for_good()
        if self.end_prompt is not None and self.end_prompt.isVisible():
            self.end_prompt.reject()  # nothing left to end
        self.closed_notice.setText(SESSION_CLOSED)
        self.closed_notice.show()
        self.pause_button.setEnabled(False)
        self.end_button.setText("Close presenter")
        self.end_button.setAccessibleName("Close presenter")
        self.timing.refresh()

    def _show_section(self, *, new: bool) -> None:
        presentation = self.presentation
        self.section_script.show_section(presentation.index, presentation.section, presentation.next_section)
        self.sections.selectRow(presentation.index)
        self.film.show_section(presentation.section, new=new)
        self._on_presentation_view_changed()

    def _on_presentation_section_changed(self, _index: int) -> None:
        self._show_section(new=True)
        self.timing.refresh()
        self._say_what_the_room_sees()
        at_close = self.presentation.section.kind is SectionKind.CLOSE
        if at_close and self.session is not None and self.presentation.feedback_link:
            self.phone_answers.start(self.session.uuid)
        else:
            self.phone_answers.stop()

    def _on_presentation_view_changed(self, *_: object) -> None:
        view = self.presentation.view
        self.film.on_view_changed()
        self._say_what_the_room_sees()
        self.blank_button.setChecked(view is AudienceView.BLANK)
        self.signposting_button.setChecked(view is AudienceView.SIGNPOSTING)

    def _say_what_the_room_sees(self) -> None:
        page, pages = self.audience.shown_text_pages()
        following = self.presentation.next_section
        after = (self.presentation.index + 1, following) if following is not None else None
        self.room_state.setText(room_sees(self.presentation.view, self.film.held, page, pages, after))

    def _on_faq_question_noted(self, text: str) -> None:
        self.recorder.note_question(
            self.presentation.plan.id,
            text,
            on_success=lambda: self.faq.show_noted(True),
            on_failure=lambda error: self.faq.show_noted(False, error),
        )

    def _close_unsaved(self) -> None:
        self.not_saved.clear()
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button (or Alt+F4) mid-delivery asks as End session does, Carry on by default:
        a misclick must not take the projector away. Only the window system's close is spontaneous; the app's
        own (quitting, which saves the place to resume from) has already decided and goes straight through."""
        if event.spontaneous() and not self.recorder.ended:
            event.ignore()
            self.end_delivery()
            return
        if event.spontaneous() and self.not_saved.unsaved:
            event.ignore()
            said = f"{self.not_saved.in_words('the presenter')} Close without saving these?"
            ask(self, "Close the presenter", said, "Close without saving", "Keep it open", self._close_unsaved)
            return
        self.phone_answers.stop()
        self.timing.stop()
        self.film.stop()
        self.awake.release()
        self.video.shut_down()
        self.audience.close()
        retire(self.audience)  # after the player: its video surface goes once nothing draws on it
        self.faq.index.close()
        self.delivery_ended.emit()
        super().closeEvent(event)
