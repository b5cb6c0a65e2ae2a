"""The presenter's two clocks and the advice under them: time left in the section, the session against its
plan, each green, amber or red, and which later sections could give the time back.

Every decision about time is `core.pacing`'s; this board only draws what the clock says."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.pacing import SessionClock, TimeLevel, format_clock

LEVEL_STYLE = {
    TimeLevel.ON_TIME: "background: #e6f4ea; color: #0d3b1e;",
    TimeLevel.NEARLY: "background: #ffd27a; color: #3d2a00;",
    TimeLevel.OVER: "background: #b00020; color: #ffffff;",
}


class ClockBoard(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.section_clock = QLabel()
        self.section_clock.setAccessibleName("Section time left")
        self.session_clock = QLabel()
        self.session_clock.setAccessibleName("Session clock")
        for label in (self.section_clock, self.session_clock):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumHeight(64)
        self.advice = QLabel()
        self.advice.setAccessibleName("Timing advice")
        self.advice.setWordWrap(True)
        self.advice.setTextFormat(Qt.TextFormat.PlainText)  # section titles as written
        clocks = QHBoxLayout()
        clocks.addWidget(self.section_clock, 1)
        clocks.addWidget(self.session_clock, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(clocks)
        layout.addWidget(self.advice)

    def show_clock(self, clock: SessionClock, sections: Sequence[Section]) -> None:
        level = clock.section_level()
        paused = " (paused)" if clock.paused else ""
        # In words as well as colour: amber and green said the same "section left" to anyone who cannot tell
        # the colours apart, or to a screen reader.
        said = {TimeLevel.OVER: "section over", TimeLevel.NEARLY: "section nearly up"}.get(level, "section left")
        self.section_clock.setText(
            f"<span style='font-size:28pt;font-weight:bold'>{format_clock(abs(clock.section_remaining()))}</span>"
            f"<br>{said}{paused}"
        )
        self.section_clock.setStyleSheet(LEVEL_STYLE[level] + "border-radius: 6px;")
        self.session_clock.setText(
            f"<span style='font-size:28pt;font-weight:bold'>{format_clock(clock.total_elapsed())}</span>"
            f"<br>of {format_clock(clock.planned_total())} planned"
        )
        self.session_clock.setStyleSheet(LEVEL_STYLE[clock.session_level()] + "border-radius: 6px;")
        trims = clock.suggest_trims()
        behind = int(-(-clock.behind_s() // 60))
        given_back = sum(t.minutes for t in trims)
        if trims:
            # One section a line, its minutes first: run into a sentence, the titles (some with question marks
            # of their own) could not be read at a glance mid-session.
            ideas = "".join(f"\n   {t.minutes} min from {sections[t.section_index].title}" for t in trims)
            # Shortening later sections by half at most cannot always make it all up: said, not promised.
            self.advice.setText(
                f"Running {behind} min behind. To finish on time, shorten:{ideas}"
                if given_back >= behind
                else f"Running {behind} min behind. Shortening these makes up {given_back} min of it: expect to "
                f"finish about {behind - given_back} min late.{ideas}"
            )
        elif clock.behind_s() > 0:
            self.advice.setText("Running behind, and later sections cannot absorb it: consider finishing late.")
        else:
            self.advice.clear()
