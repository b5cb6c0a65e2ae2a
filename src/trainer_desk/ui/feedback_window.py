"""The anonymous feedback form, passed round the room: nothing on it or behind it names the person."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.feedback import Feedback, ObjectiveRating
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan


class FeedbackWindow(QWidget):
    submitted = Signal(object)  # Feedback

    def __init__(self, plan: LessonPlan, session_uuid: str) -> None:
        super().__init__()
        self.plan = plan
        self.session_uuid = session_uuid
        self.setWindowTitle("Feedback - Trainer Desk")
        self.setAccessibleName("Feedback form")
        self.setStyleSheet("font-size: 13pt;")
        intro = QLabel(
            f"<h2>{plan.title}: your feedback</h2><p>Anonymous: your name and number are not asked "
            "for or stored. Fill it in, press Send, and pass the laptop on.</p>"
        )
        intro.setWordWrap(True)

        self.yes = QRadioButton("Yes")
        self.no = QRadioButton("No")
        self.recommend = QButtonGroup(self)
        self.recommend.addButton(self.yes)
        self.recommend.addButton(self.no)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("If not, why not?")
        self.reason.setPlaceholderText("If not, why not?")
        self.reason.setEnabled(False)
        self.no.toggled.connect(self.reason.setEnabled)
        question = QGroupBox("Would you recommend this training to a colleague?")
        row = QHBoxLayout(question)
        row.addWidget(self.yes)
        row.addWidget(self.no)
        row.addWidget(self.reason, 1)

        ratings = QGroupBox("Your understanding, from 1 (none) to 5 (very good)")
        grid = QGridLayout(ratings)
        grid.addWidget(QLabel("<b>Objective</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Before</b>"), 0, 1)
        grid.addWidget(QLabel("<b>After</b>"), 0, 2)
        self.scores: list[tuple[str, QSpinBox, QSpinBox]] = []
        for row_number, objective in enumerate(plan.objectives, start=1):
            label = QLabel(objective.text)
            label.setWordWrap(True)
            label.setMinimumWidth(420)
            before, after = QSpinBox(), QSpinBox()
            for box, when in ((before, "before"), (after, "after")):
                box.setFixedWidth(90)
                box.setRange(1, 5)
                box.setValue(3)
                box.setAccessibleName(f"Understanding {when}: {objective.text}")
            grid.addWidget(label, row_number, 0)
            grid.addWidget(before, row_number, 1)
            grid.addWidget(after, row_number, 2)
            self.scores.append((objective.id, before, after))
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(len(plan.objectives) + 1, 1)
        scroller = QScrollArea()
        scroller.setWidget(ratings)
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QScrollArea.Shape.NoFrame)

        self.send = QPushButton("Send")
        self.send.setAccessibleName("Send feedback")
        self.send.clicked.connect(self._on_send_clicked)
        self.message = QLabel()
        self.message.setAccessibleName("Feedback message")
        self.count = 0
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(question)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.send)
        layout.addWidget(self.message)

    def _on_send_clicked(self) -> None:
        if not (self.yes.isChecked() or self.no.isChecked()):
            self.message.setText("Please answer: would you recommend this training?")
            return
        form = Feedback(
            uuid=new_uuid(),
            session_uuid=self.session_uuid,
            would_recommend=self.yes.isChecked(),
            reason_not=self.reason.text().strip() if self.no.isChecked() else "",
            ratings=tuple(ObjectiveRating(oid, before.value(), after.value()) for oid, before, after in self.scores),
        )
        self.submitted.emit(form)

    def show_saved(self, saved: bool, detail: str = "") -> None:
        if not saved:
            self.message.setText(f"Not saved: {detail}. Please try again.")
            return
        self.count += 1
        self.message.setText(f"Thank you. Saved ({self.count} so far). Please pass the laptop on.")
        self.recommend.setExclusive(False)
        self.yes.setChecked(False)
        self.no.setChecked(False)
        self.recommend.setExclusive(True)
        self.reason.clear()
        for _oid, before, after in self.scores:
            before.setValue(3)
            after.setValue(3)
