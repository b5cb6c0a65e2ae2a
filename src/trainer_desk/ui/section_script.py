"""The middle of the presenter's window: the section shown, its content warning, the script with its prompts,
the trainer's private notes and what comes next, in type the trainer can enlarge."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTextBrowser, QVBoxLayout, QWidget

from trainer_desk.core.lesson_plan import Section
from trainer_desk.core.presenter_text import (
    SCRIPT_POINTS,
    next_up,
    notes_markdown,
    script_markdown,
    script_sizes,
    section_heading,
)
from trainer_desk.ui.markdown_text import show_markdown


class SectionScript(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.heading = QLabel()
        self.heading.setAccessibleName("Current section")
        self.heading.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setAccessibleName("Content warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("background: #fff3cd; color: #5c4400; padding: 8px; font-size: 13pt;")
        self.script = QTextBrowser()
        self.script.setAccessibleName("Script")
        self.notes = QTextBrowser()
        self.notes.setAccessibleName("Trainer notes")
        self.notes.setMaximumHeight(180)
        self.points = SCRIPT_POINTS
        self.set_points(self.points)
        self.next_label = QLabel()
        self.next_label.setAccessibleName("Next section")
        self.next_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)  # a part of the column it sits in, not a box of its own
        layout.addWidget(self.heading)
        layout.addWidget(self.warning)
        layout.addWidget(self.script, 3)
        layout.addWidget(QLabel("<b>Notes</b>"))
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.next_label)

    def show_section(self, index: int, section: Section, following: Section | None) -> None:
        self.heading.setText(section_heading(index, section))
        self.warning.setText(f"Content warning: {section.content_warning}")
        self.warning.setVisible(bool(section.content_warning))
        show_markdown(self.script, script_markdown(section))
        show_markdown(self.notes, notes_markdown(section))
        self.next_label.setText(next_up(following))

    def larger(self) -> None:
        self.set_points(self.points + 2)

    def smaller(self) -> None:
        self.set_points(self.points - 2)

    def set_points(self, points: int) -> None:
        self.points, notes = script_sizes(points)
        self.script.setStyleSheet(f"font-size: {self.points}pt;")
        self.notes.setStyleSheet(f"font-size: {notes}pt;")
