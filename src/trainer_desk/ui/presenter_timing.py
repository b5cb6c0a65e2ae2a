"""The session's clock as the presenter runs it: started, paused and moved from section to section with each
change recorded, the place to resume from saved every few seconds, and shown twice a second on the clocks, in
the section list's actual times and on the pause button.

Every decision about time is `core.pacing`'s; this only drives the clock and shows what it says.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QPushButton

from trainer_desk.core.pacing import SessionClock
from trainer_desk.core.presenter_text import clock_button
from trainer_desk.ui.clock_board import ClockBoard
from trainer_desk.ui.delivery_recorder import DeliveryRecorder
from trainer_desk.ui.presentation import Presentation
from trainer_desk.ui.section_list import SectionList

SAVE_EVERY_MS = 10_000
TICK_MS = 500


class PresenterTiming(QObject):
    def __init__(
        self,
        clock: SessionClock,
        presentation: Presentation,
        recorder: DeliveryRecorder,
        shown_on: tuple[ClockBoard, SectionList, QPushButton],
        parent: QObject,
    ) -> None:
        """`shown_on`: the clocks, the section list and the pause button."""
        super().__init__(parent)
        self.clock, self.presentation, self.recorder = clock, presentation, recorder
        self.board, self.sections, self.pause_button = shown_on
        self.ticker = QTimer(self)
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self.refresh)
        self.saver = QTimer(self)
        self.saver.setInterval(SAVE_EVERY_MS)
        self.saver.timeout.connect(self.save_progress)

    def start(self, resumed: bool) -> None:
        """A resumed session's clock waits, paused, for the trainer to resume it."""
        self.ticker.start()
        self.saver.start()
        if resumed:
            self.recorder.close_interrupted_timings()
        else:
            self.clock.start()
            self.log_section_start()
        self.refresh()

    def go_to(self, index: int) -> None:
        if index == self.presentation.index or not 0 <= index < len(self.presentation.plan.sections):
            return
        self.clock.go_to(index)
        self.presentation.go_to(index)
        if not self.clock.paused:
            self.log_section_start()
        self.save_progress()

    def toggle_pause(self) -> None:
        if self.recorder.ended:  # the session was closed: its clock has stopped for good
            return
        if self.clock.paused:
            self.clock.start()
            self.log_section_start()
        else:
            self.clock.pause()
            self.recorder.sections_ended()
        self.refresh()
        self.save_progress()

    def refresh(self) -> None:
        """Show the clocks and, from the same state, what the pause button will do: a resumed session's clock
        starts paused without toggle_pause ever running, so the button must read the clock, not remember."""
        action = clock_button(self.clock.paused)
        if self.pause_button.text() != action:  # the ticker calls this twice a second
            self.pause_button.setText(action)
            self.pause_button.setAccessibleName(action)
        self.board.show_clock(self.clock, self.presentation.plan.sections)
        self.sections.show_times(self.clock)

    def log_section_start(self) -> None:
        self.recorder.section_started(self.presentation.index, self.presentation.section)

    def save_progress(self) -> None:
        self.recorder.save_progress(self.clock.snapshot())

    def stop_for_good(self) -> None:
        """The session was closed elsewhere: the clock stops, and no place to resume from is saved again."""
        self.clock.pause()
        self.saver.stop()

    def stop(self) -> None:
        """The presenter is closing. Unless the delivery has ended, the time away is not taught, and where it
        got to is saved to resume from; after that nothing is written."""
        if not self.recorder.ended:
            self.clock.pause()
            self.recorder.sections_ended()
            self.save_progress()
            self.recorder.ended = True
        self.ticker.stop()
        self.saver.stop()
