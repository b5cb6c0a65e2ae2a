"""The anonymous feedback form, passed round the room: nothing on it or behind it names the person.

It fills the screen, frameless, like self sign-in, because the register (names and staff numbers) is open on
the same laptop; only the trainer's PIN leaves it. Every question starts unanswered and may stay so: a blank
is sent as "no answer", never as a middling score.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QFont, QFontMetrics, QKeyEvent, QShowEvent, QWheelEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trainer_desk.core.feedback import (
    MAX_WRITTEN,
    RATING_MAX,
    RATING_MIN,
    WRITTEN_HINT,
    WRITTEN_QUESTION,
    Feedback,
    ObjectiveRating,
)
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.ui.question import ask
from trainer_desk.ui.room_window import NOT_SAVED_FOR_THE_ROOM, RoomWindow
from trainer_desk.ui.screen_fit import ScrollingBody

NO_ANSWER = "No answer"
THANKS_STYLE = "font-weight: bold; font-size: {points}pt; color: #0b3d1a; background: #d9f2e0; padding: 10px;"
_SCALE_WORDS = {RATING_MIN: "none", RATING_MAX: "very good"}


class RatingBox(QComboBox):
    """'No answer' first, then 1 to 5: typing a digit picks it, and a blank stays a blank."""

    def __init__(self, accessible_name: str) -> None:
        super().__init__()
        self.reached: Callable[[], None] = lambda: None  # the box has the focus: its objective is shown whole
        self.setAccessibleName(accessible_name)
        # Qt on Linux gives a combo box its current answer as its name ("No answer", eight times over) and
        # keeps the name set here from a screen reader: the description carries which box it is there.
        self.setAccessibleDescription(accessible_name)
        self.addItem(NO_ANSWER, None)
        for score in range(RATING_MIN, RATING_MAX + 1):
            words = _SCALE_WORDS.get(score)
            self.addItem(f"{score} ({words})" if words else str(score), score)
        # Scrolling the form must never change an answer the pointer happens to pass over.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def score(self) -> int | None:
        value = self.currentData()
        return value if isinstance(value, int) else None

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        self.reached()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter moves on to the next answer, as a person filling in a form expects (it did nothing)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            return
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the scroll area


class FeedbackWindow(RoomWindow):
    submitted = Signal(object)  # Feedback with at least one answer; the register saves it and calls show_saved

    def __init__(self, plan: LessonPlan, session_uuid: str, pin: str) -> None:
        super().__init__(pin, "leave the feedback form")
        self.plan = plan
        self.session_uuid = session_uuid
        self.setWindowTitle("Feedback - Trainer Desk")
        self.setAccessibleName("Feedback form")
        self.setWindowState(Qt.WindowState.WindowFullScreen)
        intro = QLabel(
            f"<h2>{plan.title}: your feedback</h2><p>Anonymous: your name and number are not asked "
            "for or stored. Answer what you wish (a question left on 'No answer' is not counted), press "
            "Send, and pass the laptop on.</p>"
        )
        intro.setWordWrap(True)

        self.yes = QRadioButton("Yes")
        self.yes.setAccessibleName("Yes, I would recommend this training")
        self.no = QRadioButton("No")
        self.no.setAccessibleName("No, I would not recommend this training")
        self.no_answer = QRadioButton(NO_ANSWER)
        self.no_answer.setAccessibleName("No answer to: would you recommend this training?")
        self.recommend = QButtonGroup(self)
        for button in (self.yes, self.no, self.no_answer):
            self.recommend.addButton(button)
        self.no_answer.setChecked(True)
        # One box for words whatever the answer, as on the phone's form: a reason with a No, a comment with any
        # other answer. It was open only for a No, and what someone wrote before choosing Yes was dropped.
        self.reason = QLineEdit()
        self.reason.setAccessibleName(WRITTEN_QUESTION)
        self.reason.setAccessibleDescription(WRITTEN_HINT)
        self.reason.setMaxLength(MAX_WRITTEN)
        self.reason_label = QLabel(WRITTEN_QUESTION)
        self.reason_label.setBuddy(self.reason)
        self.reason_hint = QLabel(WRITTEN_HINT)
        self.reason_hint.setWordWrap(True)
        question = QGroupBox("Would you recommend this training to a colleague?")
        answers = QVBoxLayout(question)
        row = QHBoxLayout()
        row.addWidget(self.yes)
        row.addWidget(self.no)
        row.addWidget(self.no_answer)
        row.addStretch(1)
        answers.addLayout(row)
        answers.addWidget(self.reason_label)
        answers.addWidget(self.reason)
        answers.addWidget(self.reason_hint)

        ratings = QGroupBox("Your understanding, from 1 (none) to 5 (very good)")
        grid = QGridLayout(ratings)
        grid.addWidget(QLabel("<b>Objective</b>"), 0, 0)
        grid.addWidget(QLabel("<b>Before</b>"), 0, 1)
        grid.addWidget(QLabel("<b>After</b>"), 0, 2)
        self.scores: list[tuple[str, RatingBox, RatingBox]] = []
        for row_number, objective in enumerate(plan.objectives, start=1):
            label = QLabel(objective.text)
            label.setWordWrap(True)
            label.setMinimumWidth(220)  # words to a line, on a small screen too; the boxes keep their size
            before = RatingBox(f"Understanding before: {objective.text}")
            after = RatingBox(f"Understanding after: {objective.text}")
            for box in (before, after):
                box.reached = partial(self._show_whole, label)
            grid.addWidget(label, row_number, 0)
            grid.addWidget(before, row_number, 1)
            grid.addWidget(after, row_number, 2)
            self.scores.append((objective.id, before, after))
        grid.setColumnStretch(0, 1)

        self.recommend.buttonToggled.connect(self._on_answered)
        self.reason.textEdited.connect(self._on_answered)
        for _oid, before, after in self.scores:
            before.currentIndexChanged.connect(self._on_answered)
            after.currentIndexChanged.connect(self._on_answered)
        self.send = QPushButton("Send")
        self.send.setAccessibleName("Send feedback")
        self.send.clicked.connect(self._on_send_clicked)
        self.sending = False
        self.message = QLabel()
        self.message.setAccessibleName("Feedback message")
        self.message.setWordWrap(True)
        self.count = 0
        self.thanked = False  # the thanks are showing, and nothing has been answered since
        self.points = 13  # the type's size, fitted to the screen once shown
        # One column down the middle of the screen: across the whole of a wide one, the Before and After boxes
        # sat at the far right, away from the objectives they rate.
        # The questions scroll as a whole, each part at its natural height: on a small screen (or at 200% text)
        # the objectives alone scrolled, in a box half a line high, above room kept empty for the thanks.
        # Send and what it says stay below them, in view, as a dialog's buttons do: at 960x540 Send was the
        # last thing in the scrolled part, under the fold, reached only past every question.
        self.sheet = QWidget()
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.sheet, 100)  # up to its maximum width (see `_fit_type_to_screen`), then margins
        outer.addStretch(1)
        form = QWidget()
        layout = QVBoxLayout(form)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addWidget(question)
        layout.addWidget(ratings)
        layout.addStretch(1)
        self.scroller = ScrollingBody(form, "Feedback questions")
        self.scroller.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the answers, scrolled into view
        column = QVBoxLayout(self.sheet)
        column.addWidget(self.scroller)  # as tall as the questions, where the screen has room: Send just below
        column.addWidget(self.send)
        column.addWidget(self.message)
        column.addStretch(1)
        column.addWidget(self.leave, 0, Qt.AlignmentFlag.AlignRight)

    def _show_whole(self, objective: QLabel) -> None:
        """The objective beside the box Tab reached, scrolled whole into view once the form has scrolled to
        the box (it showed the box, and cut the objective's first or last line off)."""
        QTimer.singleShot(0, lambda: self.scroller.ensureWidgetVisible(objective, 0, 0))

    def _form_on_screen(self) -> Feedback:
        """What is on screen now, blanks as None."""
        recommend = True if self.yes.isChecked() else False if self.no.isChecked() else None
        written = self.reason.text().strip()
        return Feedback(
            uuid=new_uuid(),
            session_uuid=self.session_uuid,
            would_recommend=recommend,
            reason_not=written if recommend is False else "",
            ratings=tuple(ObjectiveRating(oid, before.score(), after.score()) for oid, before, after in self.scores),
            comment=written if recommend is not False else "",
        )

    def _on_send_clicked(self) -> None:
        form = self._form_on_screen()
        if not form.answered:
            if self.thanked:  # a second press after sending: the thanks stay, or theirs would look lost
                return
            self.message.setStyleSheet("")
            self.message.setText("Nothing to send: no question is answered yet.")
            return
        if self.sending:
            return  # one press, one form: the next waits for show_saved
        # Not greyed out meanwhile: a greyed-out button passes its focus on, to the trainer's Leave button,
        # and a participant's second press of Space then asked the room for the trainer's PIN.
        self.sending = True
        self.message.setStyleSheet("")
        self.message.setText("Sending…")
        self.submitted.emit(form)

    def _on_pin_accepted(self) -> None:
        """The trainer leaving: answers on the form not yet sent (or refused by a full disk) are asked about
        first, Keep it open by default. They went without a word, and the register said they were safe."""
        if not self._form_on_screen().answered:
            super()._on_pin_accepted()
            return
        self.leaving_question = ask(
            self,
            "Leave the feedback form",
            "The answers on this form are not saved. Leave the form and lose them?",
            "Leave and lose them",
            "Keep it open",
            super()._on_pin_accepted,
            name="Leave the feedback form?",
        )

    def show_saved(self, saved: bool) -> None:
        """Thanks, or (not saved) words for the room: what went wrong is the trainer's, told on the register."""
        self.sending = False
        if not saved:
            self.message.setStyleSheet("")
            self.message.setText(NOT_SAVED_FOR_THE_ROOM)
            return
        self.count += 1
        # Large and green: the form clears at once, and the person must see that theirs went.
        self.message.setStyleSheet(THANKS_STYLE.format(points=self.points + 4))
        self.message.setText(f"Thank you. Saved ({self.count} so far). Please pass the laptop on.")
        self.no_answer.setChecked(True)
        self.reason.clear()
        for _oid, before, after in self.scores:
            before.setCurrentIndex(0)
            after.setCurrentIndex(0)
        self.thanked = True  # after the form is cleared, which counts as answering it
        self.scroller.verticalScrollBar().setValue(0)
        self._focus_on_chosen_answer()

    def _on_answered(self, *_: object) -> None:
        """The next person has begun: the last one's thanks go, or they would read "Saved" over their own
        unsent answers and pass the laptop on."""
        if self.thanked:
            self.message.setStyleSheet("")
            self.message.clear()
        self.thanked = False

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_type_to_screen()
        self._focus_on_chosen_answer()

    def _fit_type_to_screen(self) -> None:
        """Type for reading at arm's length, passed round the room: 17 pt on a 1080-line laptop screen (13 pt
        was small on one that size), never smaller than 13 pt nor larger than 24 pt."""
        screen = self.screen()
        self.points = max(13, min(24, round(screen.geometry().height() / 64))) if screen is not None else 13
        self.setStyleSheet(f"font-size: {self.points}pt;")
        # Room kept for two lines of thanks, so that the Send button stays where the next person last saw it
        # (it moved up under the thanks, and a press where it had been missed it).
        thanks = QFont(self.font())
        thanks.setPointSize(self.points + 4)
        thanks.setBold(True)
        self.message.setMinimumHeight(2 * QFontMetrics(thanks).lineSpacing() + 20)
        wide = screen.geometry().width() if screen is not None else 0
        self.sheet.setMaximumWidth(round(wide * 0.7) if wide >= 1400 else 16777215)

    def _focus_on_chosen_answer(self) -> None:
        """Focus on the answer that is chosen: the arrow keys then choose as they move. From one not chosen they
        only moved, so Right and Tab left "No answer" chosen and went on past it."""
        chosen = self.recommend.checkedButton()
        if chosen is not None:
            chosen.setFocus()
