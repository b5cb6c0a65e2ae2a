"""One presentation, two views: the presenter's window and the audience's screen follow this state."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from trainer_desk.core.audience_view import AudienceView as AudienceView  # where the views import it from
from trainer_desk.core.lesson_plan import LessonPlan, Section


class Presentation(QObject):
    section_changed = Signal(int)
    view_changed = Signal(str)

    def __init__(self, plan: LessonPlan) -> None:
        super().__init__()
        self.plan = plan
        self.index = 0
        self.view = AudienceView.CONTENT
        self.feedback_link: str | None = None  # shown as a QR code at the close, once the laptop can make one

    @property
    def section(self) -> Section:
        return self.plan.sections[self.index]

    @property
    def next_section(self) -> Section | None:
        following = self.index + 1
        return self.plan.sections[following] if following < len(self.plan.sections) else None

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self.plan.sections) and index != self.index:
            self.index = index
            self.section_changed.emit(index)
            self.set_view(AudienceView.CONTENT)

    def toggle(self, view: AudienceView) -> None:
        """Pressing the blank (or signposting) key again brings the room back to the section."""
        self.set_view(AudienceView.CONTENT if self.view == view else view)

    def set_view(self, view: AudienceView) -> None:
        if view != self.view:
            self.view = view
            self.view_changed.emit(view.value)
