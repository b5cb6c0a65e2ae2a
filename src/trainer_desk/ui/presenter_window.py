"""The trainer's screen during a session: the script, the clocks, what comes next, the video, the FAQ.

Every decision about time lives in `core.pacing`; every write goes through the database worker; this window
only shows and forwards.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QScreen, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from trainer_desk import hq_link
from trainer_desk.core.lesson_plan import SectionKind
from trainer_desk.core.pacing import SessionClock, format_clock
from trainer_desk.core.sessions import Session, SessionStatus
from trainer_desk.store import delivery, sessions
from trainer_desk.store.faq_index import FaqIndex
from trainer_desk.ui.audience_window import AudienceWindow, default_audience_screen
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.clock_board import ClockBoard
from trainer_desk.ui.combo_fit import fit_to_column
from trainer_desk.ui.enter_presses import EnterPressesButtons
from trainer_desk.ui.faq_panel import FaqPanel
from trainer_desk.ui.markdown_text import show_markdown
from trainer_desk.ui.phone_answers import PhoneAnswersCount
from trainer_desk.ui.presentation import AudienceView, Presentation
from trainer_desk.ui.question import ask
from trainer_desk.ui.screen_awake import ScreenAwake
from trainer_desk.ui.shortcuts import PRESENTER_SHORTCUTS, ShortcutHelpDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.video_controls import VideoControls
from trainer_desk.ui.video_player import VideoPlayer, retire
from trainer_desk.workspace import Workspace

SAVE_EVERY_MS = 10_000
PREFERRED_SIZE = QSize(1280, 800)
# A title bar and borders, allowed for before the window system has drawn them (until then Qt cannot say).
FRAME_ALLOWANCE = QSize(16, 48)
NOT_DELIVERED = (SessionStatus.CLOSED, SessionStatus.CANCELLED)


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
        self.audience = AudienceWindow(presentation)
        self.audience.keyboard_owner = self
        self.awake = ScreenAwake()  # no screensaver or sleep while presenting
        self.video = VideoPlayer()
        self.faq = FaqPanel(faq)
        self._build()
        self.video.set_output(self.audience.video.videoSink(), self.video_controls.preview.videoSink())
        self.video.caption_changed.connect(self.audience.show_caption)
        self.video.state_changed.connect(self.audience.show_video_playing)  # a title card until the film plays
        self.video.state_changed.connect(self._on_video_state_changed)
        self.video.starting.connect(self._on_film_starting)
        self.film_held = False  # paused by taking it off the audience's screen
        self.video.cannot_play.connect(self.audience.show_film_cannot_play)
        self.faq.question_noted.connect(self._on_faq_question_noted)
        presentation.section_changed.connect(self._on_presentation_section_changed)
        presentation.view_changed.connect(self._on_presentation_view_changed)
        QGuiApplication.instance().screenAdded.connect(self._refresh_screens)  # type: ignore[union-attr]
        QGuiApplication.instance().screenRemoved.connect(self._on_screen_removed)  # type: ignore[union-attr]

        self.ticker = QTimer(self)
        self.ticker.setInterval(500)
        self.ticker.timeout.connect(self._refresh_clocks)
        self.saver = QTimer(self)
        self.saver.setInterval(SAVE_EVERY_MS)
        self.saver.timeout.connect(self._save_progress)
        self.video_loader = QTimer(self)
        self.video_loader.setSingleShot(True)
        self.video_loader.setInterval(250)
        self.video_loader.timeout.connect(lambda: self.video.load(self.presentation.section.video))
        self._ended = False  # from then on nothing is recorded
        self.end_prompt: QMessageBox | None = None
        self._show_section()
        if changes is not None:  # the register closing this session, for one
            changes.changed.connect(self._on_data_changed)

    # --- layout ---------------------------------------------------------------------------------
    def _build(self) -> None:
        plan = self.presentation.plan
        self.sections = QTableWidget(len(plan.sections), 3)
        self.sections.setAccessibleName("Sections")
        self.sections.setHorizontalHeaderLabels(["Section", "Target", "Actual"])
        self.sections.verticalHeader().setVisible(False)
        self.sections.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sections.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.sections.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        header = self.sections.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.sections.setWordWrap(True)
        for row, section in enumerate(plan.sections):
            self.sections.setItem(row, 0, QTableWidgetItem(f"{row + 1}. {section.title}"))
            self.sections.setItem(row, 1, QTableWidgetItem(f"{section.minutes} min"))
            self.sections.setItem(row, 2, QTableWidgetItem("-"))
        self.sections.resizeRowsToContents()
        self.sections.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Tab moves on to the next control rather than from cell to cell (a keyboard user was trapped here),
        # and Enter on the highlighted row opens it as a double-click does (go_to ignores the section shown).
        self.sections.setTabKeyNavigation(False)
        self.sections.cellDoubleClicked.connect(lambda row, _col: self.go_to(row))
        self.sections.activated.connect(lambda index: self.go_to(index.row()))

        self.clock_board = ClockBoard()

        self.heading = QLabel()
        self.heading.setAccessibleName("Current section")
        self.heading.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setAccessibleName("Content warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px; font-size: 13pt;")
        self.script = QTextBrowser()
        self.script.setAccessibleName("Script")
        self.script_points = 15
        self.notes = QTextBrowser()
        self.notes.setAccessibleName("Trainer notes")
        self.notes.setMaximumHeight(180)
        self._set_script_points(self.script_points)
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next section")
        self.next_label.setWordWrap(True)

        self.video_controls = VideoControls(self.video)
        self.video_controls.play_clicked.connect(self.toggle_video)

        self.room_state = QLabel()
        self.room_state.setAccessibleName("What the room sees")
        self.room_state.setWordWrap(True)  # "The audience screen is blank. The film is paused." fits the column
        self.phone_answers = PhoneAnswersCount(self.workspace, self.tasks)
        self.screen_choice = QComboBox()
        self.screen_choice.setAccessibleName("Audience screen")
        fit_to_column(self.screen_choice)
        self.screen_choice.activated.connect(self._on_screen_choice_activated)

        self.closed_notice = QLabel()
        self.closed_notice.setAccessibleName("Session closed")
        self.closed_notice.setWordWrap(True)
        self.closed_notice.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px; font-weight: bold;")
        self.closed_notice.hide()

        buttons = QHBoxLayout()
        for text, action in (
            ("◀ Previous", self.previous_section),
            ("Pause clock", self.toggle_pause),
            ("Next ▶", self.next_section),
            ("Blank screen", self.toggle_blank),
            ("Signposting", self.toggle_signposting),
            ("FAQ", self.open_faq),
            ("Shortcuts", self.show_help),
            ("Register", self.register_requested.emit),
            ("End session" if self.session else "End rehearsal", self.end_delivery),
        ):
            if text == "Register" and self.session is None:
                continue  # a rehearsal has no register
            button = QPushButton(text)
            button.setAccessibleName(text.strip("◀▶ "))
            button.clicked.connect(lambda _checked=False, act=action: act())  # `checked` never reaches a slot
            buttons.addWidget(button)
            if text == "Pause clock":
                self.pause_button = button
            elif text == "Blank screen":
                self.blank_button = button
                button.setCheckable(True)  # pressed in while the room sees it, as the view says
            elif text == "Signposting":
                self.signposting_button = button
                button.setCheckable(True)
            elif text.startswith("End "):
                self.end_button = button

        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        if self.session is None:
            # A question noted for HQ still goes: a gap in the FAQ found while practising is worth as much.
            rehearsal = QLabel(
                "Rehearsal: no one is registered and the timings are only for you; a question you note for HQ "
                "still goes to HQ."
            )
            rehearsal.setWordWrap(True)
            rehearsal.setAccessibleName("Rehearsal mode")
            rehearsal.setStyleSheet("background: #e8e0f7; color: #2e1a5c; padding: 6px; font-weight: bold;")
            middle_layout.addWidget(rehearsal)
        middle_layout.addWidget(self.clock_board)
        middle_layout.addWidget(self.heading)
        middle_layout.addWidget(self.warning)
        middle_layout.addWidget(self.script, 3)
        middle_layout.addWidget(QLabel("<b>Notes</b>"))
        middle_layout.addWidget(self.notes, 1)
        middle_layout.addWidget(self.next_label)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.room_state)
        right_layout.addWidget(self.phone_answers)
        right_layout.addWidget(self.screen_choice)
        right_layout.addWidget(self.video_controls)
        right_layout.addWidget(self.faq, 1)

        # The film's box and the FAQ are taller than a small laptop's screen has room for beside the buttons:
        # they scroll, rather than push the window (and End session) past the bottom of the screen. At 200%
        # display scaling they are wider than the column too, and scroll sideways rather than being cut off.
        self.right_scroll = QScrollArea()
        self.right_scroll.setWidgetResizable(True)
        self.right_scroll.setFrameShape(QFrame.Shape.NoFrame)
        # A frame around the column, not a control: Tab goes on to what is in it (it took a stop of its own,
        # unnamed and with no focus to see).
        self.right_scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.right_scroll.setWidget(right)
        splitter = QSplitter()
        splitter.addWidget(self.sections)
        splitter.addWidget(middle)
        splitter.addWidget(self.right_scroll)
        splitter.setSizes([300, 600, 380])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.closed_notice)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

        for shortcut in PRESENTER_SHORTCUTS:
            for key in shortcut.keys:
                QShortcut(QKeySequence(key), self, getattr(self, shortcut.action))
        # Space advances only from the section list (where the presenter starts): window-wide it took Space
        # from the focused button or check box, which a keyboard user presses with Space.
        space = QShortcut(QKeySequence("Space"), self.sections, self.next_section)
        space.setContext(Qt.ShortcutContext.WidgetShortcut)
        # The film's preview makes a window of its own inside it when a film loads, and that took the focus:
        # the next keys went nowhere, and the arrows then to the FAQ search. The focus goes back where it was.
        self._watching_focus = isinstance(app := QApplication.instance(), QApplication)
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._keep_focus_off_the_picture)
        self._refresh_screens()

    # --- starting and moving --------------------------------------------------------------------
    def start(self) -> None:
        """Show both screens and start the clock (a resumed session waits for the trainer to resume it)."""
        screen, full = default_audience_screen()
        self.audience.place_on(screen, full)
        self._select_screen(screen)
        self._fit_to_screen()
        self.show()
        self.activateWindow()
        self.awake.hold(f"Presenting {self.presentation.plan.title}")
        self.ticker.start()
        self.saver.start()
        if self.session is not None and self.session.status is SessionStatus.PLANNED:
            session, db, now = self.session, self.workspace.writer, self.workspace.clock()
            self.tasks.run_db(lambda: delivery.set_status(db, session, SessionStatus.RUNNING, now))
        if self.resumed:  # after a failure its section's timing row may be open still: it ends where it stopped
            self._run_write(lambda db, uuid, _now: delivery.close_interrupted_timings(db, uuid))
        else:
            self.clock.start()
            self._log_section_start()
        self._refresh_clocks()

    def _fit_to_screen(self) -> None:
        """Open at the preferred size where there is room, else at the size of the screen's free area (a
        1366x768 laptop with a taskbar has about 1366x728), centred on it: the buttons along the bottom must be
        on the screen, not under the taskbar or past its edge."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        room = screen.availableGeometry()
        frame = self.frameGeometry()
        border = QSize(frame.width() - self.width(), frame.height() - self.height()).expandedTo(FRAME_ALLOWANCE)
        size = PREFERRED_SIZE.boundedTo(room.size() - border)
        self.resize(size)
        self.move(  # a window's position is its frame's
            room.x() + max((room.width() - size.width() - border.width()) // 2, 0),
            room.y() + max((room.height() - size.height() - border.height()) // 2, 0),
        )

    def go_to(self, index: int) -> None:
        if index == self.presentation.index or not 0 <= index < len(self.presentation.plan.sections):
            return
        self.clock.go_to(index)
        self.presentation.go_to(index)
        if not self.clock.paused:
            self._log_section_start()
        self._save_progress()

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
        if self._ended:  # the session was closed: its clock has stopped for good
            return
        if self.clock.paused:
            self.clock.start()
            self._log_section_start()
        else:
            self.clock.pause()
            self._run_write(lambda db, uuid, now: delivery.sections_ended(db, uuid, now))
        self._refresh_clocks()
        self._save_progress()

    def toggle_video(self) -> None:
        if self.video_loader.isActive():
            self.video_loader.stop()
            self.video.load(self.presentation.section.video)
        self.video.toggle_play()

    def toggle_captions(self) -> None:
        self.video_controls.captions_box.toggle()

    def toggle_blank(self) -> None:
        self.presentation.toggle(AudienceView.BLANK)

    def toggle_signposting(self) -> None:
        self.presentation.toggle(AudienceView.SIGNPOSTING)

    def larger_text(self) -> None:
        self._set_script_points(self.script_points + 2)

    def smaller_text(self) -> None:
        self._set_script_points(self.script_points - 2)

    def _set_script_points(self, points: int) -> None:
        self.script_points = max(10, min(points, 40))
        self.script.setStyleSheet(f"font-size: {self.script_points}pt;")
        self.notes.setStyleSheet(f"font-size: {max(self.script_points - 3, 9)}pt;")

    def open_faq(self) -> None:
        self.faq.focus_search()

    def show_help(self) -> ShortcutHelpDialog:
        dialog = ShortcutHelpDialog(self)
        dialog.open()
        return dialog

    def end_delivery(self) -> QMessageBox | None:
        """Ask first: one misclick mid-session must not end it. Once the session has been closed elsewhere
        there is nothing left to end, so the window just closes."""
        if self._ended:
            self.close()
            return None
        if self.end_prompt is not None and self.end_prompt.isVisible():
            return self.end_prompt
        what = "session" if self.session else "rehearsal"
        self.end_prompt = ask(
            self,
            f"End the {what}",
            f"End this {what} and close the presenter and audience screens?"
            + ("\n\nThe register and feedback stay open until you close the session." if self.session else ""),
            f"End {what}",
            "Carry on",
            self._finish_delivery,
        )
        return self.end_prompt

    def _finish_delivery(self) -> None:
        self.clock.pause()
        if self.session is not None:
            session = self.session
            db = self.workspace.writer
            self.tasks.run_db(lambda: delivery.finish(db, session, self.workspace.clock()))
        self._ended = True
        self.close()

    # --- reacting -------------------------------------------------------------------------------
    def _on_data_changed(self, changed: frozenset[Change]) -> None:
        """The register can close the session while this window is still open: once it has, stop recording."""
        if Change.SESSIONS not in changed or self.session is None or self._ended:
            return
        current = sessions.get_session(self.workspace.db, self.session.uuid)
        if current is None or current.status in NOT_DELIVERED:
            self._stop_recording()

    def _stop_recording(self) -> None:
        """The session is over (closed from the register): a timing row or resume point written now would fall
        after its end. The room keeps what it sees until the trainer closes this window, which asks nothing."""
        if self._ended:
            return
        self._ended = True
        self.clock.pause()
        self.saver.stop()
        if self.end_prompt is not None and self.end_prompt.isVisible():
            self.end_prompt.reject()  # nothing left to end
        self.closed_notice.setText(
            "This session has been closed, so nothing more is recorded and the clock has stopped. "
            "The room still sees this screen until you close the presenter."
        )
        self.closed_notice.show()
        self.pause_button.setEnabled(False)
        self.end_button.setText("Close presenter")
        self.end_button.setAccessibleName("Close presenter")
        self._refresh_clocks()

    def _show_section(self) -> None:
        section = self.presentation.section
        index = self.presentation.index
        self.heading.setText(
            f"<h2>{index + 1}. {section.title}</h2><span>{section.kind.value.replace('-', ' ')}, "
            f"{section.minutes} minutes</span>"
        )
        self.warning.setText(f"Content warning: {section.content_warning}")
        self.warning.setVisible(bool(section.content_warning))
        script, notes = section.script_and_notes
        if script.startswith("# "):  # the heading above already names the section
            script = script.partition("\n")[2].lstrip()
        prompts = "".join(f"\n- {p}" for p in section.prompts)
        show_markdown(self.script, script + (f"\n\n**Prompts**\n{prompts}" if prompts else ""))
        show_markdown(self.notes, notes or "*No notes for this section.*")
        following = self.presentation.next_section
        self.next_label.setText(
            f"Next: {following.title} ({following.minutes} min)" if following else "Next: end of session"
        )
        self.sections.selectRow(index)
        self.video_controls.video_message.clear()
        if section.video is not None and not section.video.file.is_file():
            self.video_controls.video_message.setText(
                f"The video {section.video.file.name} is missing on this laptop. Carry on without it."
            )
        # Hiding the film's controls with one of them focused (Captions, pressed with Space) would let Qt pass
        # the focus on to the FAQ search, where B, S, N and the arrows then type instead of running the room.
        focused = QApplication.focusWidget()
        if focused is not None and self.video_controls.isAncestorOf(focused) and section.video is None:
            self.sections.setFocus(Qt.FocusReason.OtherFocusReason)
        self.video_controls.setVisible(section.video is not None)
        self.video.load(None)
        if section.video is not None:  # loaded once the trainer stays: flicking past a section loads nothing
            self.video_loader.start()
        self._on_presentation_view_changed()

    def _on_presentation_section_changed(self, _index: int) -> None:
        self.film_held = False  # another section: its own film, if it has one, has not played
        self._show_section()
        self._refresh_clocks()
        self._say_what_the_room_sees()
        at_close = self.presentation.section.kind is SectionKind.CLOSE
        if at_close and self.session is not None and self.presentation.feedback_link:
            self.phone_answers.start(self.session.uuid)
        else:
            self.phone_answers.stop()

    def _on_presentation_view_changed(self, *_: object) -> None:
        """A film never plays behind a blank screen or the signposting card: taking it off the screen pauses
        it (blanked for someone upset by it, its sound went on). It stays paused when the section comes back,
        for the trainer to play on (K) when the room is ready."""
        view = self.presentation.view
        if view is not AudienceView.CONTENT and self.video.playing:
            self.video.pause()
            self.film_held = True  # said beside the view, until it plays again
        self._say_what_the_room_sees()
        self.blank_button.setChecked(view is AudienceView.BLANK)
        self.signposting_button.setChecked(view is AudienceView.SIGNPOSTING)

    def _on_film_starting(self) -> None:
        """The trainer plays the film (K, or its button) while the room sees a blank screen: the film comes
        back with it, rather than its sound playing behind the blank screen."""
        self.film_held = False
        if self.presentation.view is not AudienceView.CONTENT:
            self.presentation.set_view(AudienceView.CONTENT)

    def _on_video_state_changed(self, playing: bool) -> None:
        """The player says it plays while the room sees a blank screen only when that news comes late (from
        before the screen was blanked): the film is paused again, not shown."""
        if playing and self.presentation.view is not AudienceView.CONTENT:
            self.video.pause()
            self.film_held = True
        self._say_what_the_room_sees()

    def _say_what_the_room_sees(self) -> None:
        view = self.presentation.view
        text = {
            AudienceView.BLANK: "The audience screen is blank.",
            AudienceView.SIGNPOSTING: "The audience sees the signposting card.",
        }.get(view, "The audience sees this section.")
        paused = view is not AudienceView.CONTENT and self.film_held
        page, pages = self.audience.shown_text_pages()
        turning = f" Page {page} of {pages}: Next turns the page." if pages > 1 else ""
        self.room_state.setText(text + (" The film is paused." if paused else "") + turning)

    def _refresh_clocks(self) -> None:
        """Show the clocks and, from the same state, what the pause button will do: a resumed session's clock
        starts paused without toggle_pause ever running, so the button must read the clock, not remember."""
        clock = self.clock
        action = "Resume clock" if clock.paused else "Pause clock"
        if self.pause_button.text() != action:  # the ticker calls this twice a second
            self.pause_button.setText(action)
            self.pause_button.setAccessibleName(action)
        self.clock_board.show_clock(clock, self.presentation.plan.sections)
        for row in range(self.sections.rowCount()):
            spent = clock.elapsed(row)
            cell = self.sections.item(row, 2)
            if cell is not None:
                cell.setText(format_clock(spent) if spent else "-")

    def _on_faq_question_noted(self, text: str) -> None:
        plan_id = self.presentation.plan.id
        session_uuid = self.session.uuid if self.session else None
        db = self.workspace.writer
        now = self.workspace.clock()
        self.tasks.run_db(
            lambda: delivery.note_unanswered_question(db, plan_id, text, now, session_uuid),
            on_success=lambda _uuid: self.faq.show_noted(True),
            on_failure=lambda error: self.faq.show_noted(False, str(error)),
        )

    # --- screens --------------------------------------------------------------------------------
    def _refresh_screens(self, *_: object) -> None:
        self.screen_choice.clear()
        for number, screen in enumerate(QGuiApplication.screens(), start=1):
            size = screen.geometry()
            name = screen.name() or f"screen {number}"
            self.screen_choice.addItem(f"Audience on {name} ({size.width()}x{size.height()})", screen)

    def _select_screen(self, screen: QScreen) -> None:
        index = self.screen_choice.findData(screen)
        if index >= 0:
            self.screen_choice.setCurrentIndex(index)

    def _on_screen_choice_activated(self, index: int) -> None:
        screen = self.screen_choice.itemData(index)
        if isinstance(screen, QScreen):
            self.audience.place_on(screen, full_screen=screen is not QGuiApplication.primaryScreen())

    def _on_screen_removed(self, screen: QScreen) -> None:
        self._refresh_screens()
        if self.audience.screen() is screen or self.audience.screen() is None:
            target, full = default_audience_screen()
            self.audience.place_on(target, full)
            self._select_screen(target)
            self.statusBar().showMessage("The projector was disconnected: the audience view moved.", 10_000)

    # --- saving ---------------------------------------------------------------------------------
    def _log_section_start(self) -> None:
        section_id = self.presentation.section.id
        self._run_write(lambda db, uuid, now: delivery.section_started(db, uuid, section_id, now))

    def _save_progress(self) -> None:
        snapshot = self.clock.snapshot()
        self._run_write(lambda db, uuid, now: delivery.save_progress(db, uuid, snapshot, now))

    def _run_write(self, write: Callable[..., object]) -> None:
        """Writes happen on the database worker; a rehearsal writes nothing. The worker checks the session is
        still being delivered just before writing: the register's close runs on the same worker, so a write
        queued before this window hears of it cannot land after the session's end."""
        if self.session is None or self._ended:
            return
        db = self.workspace.writer
        session_uuid = self.session.uuid
        now: datetime = self.workspace.clock()

        def write_while_delivered() -> bool:
            current = sessions.get_session(db, session_uuid)
            if current is None or current.status in NOT_DELIVERED:
                return False
            write(db, session_uuid, now)
            return True

        self.tasks.run_db(
            write_while_delivered,
            on_success=self._on_write_done,
            on_failure=lambda error: self.statusBar().showMessage(f"Not saved: {error}", 15_000),
        )

    def _on_write_done(self, written: object) -> None:
        if written is False:  # the session was no longer being delivered: this window hears it here first
            self._stop_recording()

    def back_to_sections(self) -> None:
        """Escape: from the FAQ's search (where letters type) or a film's controls (where arrows seek) back to
        the section list, where every key runs the room again."""
        self.sections.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _keep_focus_off_the_picture(self, old: QWidget | None, new: QWidget | None) -> None:
        if (
            new is None
            or old is None
            or not self.video_controls.preview.isAncestorOf(new)
            or not self.isAncestorOf(old)
        ):
            return

        def back() -> None:  # once the moment's window changes are done: never take the focus from another window
            held = QApplication.focusWidget()
            if held is not None and self.video_controls.preview.isAncestorOf(held) and self.isActiveWindow():
                (old if old.isVisible() else self.sections).setFocus(Qt.FocusReason.OtherFocusReason)

        QTimer.singleShot(0, self, back)

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button (or Alt+F4) mid-delivery asks as End session does, Carry on by default:
        a misclick must not take the projector away. Only the window system's close is spontaneous; the app's
        own (quitting, which saves the place to resume from) has already decided and goes straight through."""
        if event.spontaneous() and not self._ended:
            event.ignore()
            self.end_delivery()
            return
        self.phone_answers.stop()
        if not self._ended:
            self.clock.pause()
            self._run_write(lambda db, uuid, now: delivery.sections_ended(db, uuid, now))  # time away is not taught
            self._save_progress()
            self._ended = True  # nothing is written after the place to resume from
        if self._watching_focus and isinstance(app := QApplication.instance(), QApplication):
            self._watching_focus = False  # a second close has nothing to undo
            app.focusChanged.disconnect(self._keep_focus_off_the_picture)
        self.ticker.stop()
        self.saver.stop()
        self.video_loader.stop()
        self.awake.release()
        self.video.shut_down()
        self.audience.close()
        retire(self.audience)  # after the player: its video surface goes once nothing draws on it
        self.faq.index.close()
        self.delivery_ended.emit()
        super().closeEvent(event)
