"""The feedback form as the room uses it: full screen, blanks kept as blanks, and only the PIN leaves it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk.core.feedback import Feedback
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.reports import Letterhead
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import bundled
from trainer_desk.store import feedback, reports, sessions
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.workspace import Workspace

STARTS = datetime(2026, 11, 23, 9, tzinfo=UTC)
PIN = "2468"


def signa_plan() -> LessonPlan:
    plan = load_library(bundled("lesson_plans")).get("signa-core")
    assert plan is not None and len(plan.objectives) >= 2
    return plan


@pytest.fixture
def form(qtbot: QtBot, workspace: Workspace) -> Iterator[FeedbackWindow]:
    """The form as the register opens it, saving each submission as the register does."""
    plan = signa_plan()
    session = Session(
        new_uuid(),
        PlanRef(plan.id, plan.version, plan.programme.id),
        "NORTH",
        "Room 1",
        DeliveryMode.IN_PERSON,
        STARTS,
        trainers=("100234",),
    )
    sessions.create_session(workspace.db, session, STARTS)
    window = FeedbackWindow(plan, session.uuid, PIN)
    qtbot.addWidget(window)

    def save(sent: Feedback) -> None:
        feedback.save_feedback(workspace.db, sent, STARTS)
        window.show_saved(True)

    window.submitted.connect(save)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    yield window


def test_it_fills_the_screen_without_a_frame_and_every_control_is_named(form: FeedbackWindow) -> None:
    assert form.isFullScreen()
    assert form.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert unnamed_interactive_widgets(form) == []
    assert form.no_answer.isChecked() and form.reason.isEnabled()  # a comment may come with any answer
    assert {box.currentText() for _oid, before, after in form.scores for box in (before, after)} == {"No answer"}


def test_by_keyboard_alone_the_arrows_choose_an_answer_and_tab_reaches_why_not(
    qtbot: QtBot, form: FeedbackWindow, workspace: Workspace
) -> None:
    """Passed round the room, one person after another answers from the keyboard: from the first answer,
    Left to "No", Tab into "why not?", type, Tab on and Enter sends; the next person starts the same way."""
    for reason in ("Too long for a Friday", "Not for my team"):
        assert form.focusWidget() is form.no_answer and form.no_answer.isChecked()
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Left)
        assert form.no.isChecked() and form.focusWidget() is form.no
        qtbot.keyClick(form.focusWidget(), Qt.Key.Key_Tab)
        assert form.focusWidget() is form.reason
        qtbot.keyClicks(form.reason, reason)
        form.send.setFocus()  # past the ratings, as Tab would go
        qtbot.keyClick(form.send, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "Thank you" in form.message.text())
    saved = workspace.db.execute("SELECT would_recommend, reason_not FROM feedback ORDER BY rowid").fetchall()
    assert [tuple(row) for row in saved] == [(0, "Too long for a Friday"), (0, "Not for my team")]
    assert form.yes.accessibleName() == "Yes, I would recommend this training"


def test_blank_answers_are_saved_as_no_answer_and_left_out_of_the_means(
    qtbot: QtBot, form: FeedbackWindow, workspace: Workspace
) -> None:
    first_id, first_before, first_after = form.scores[0]
    # Someone with views, by mouse and keyboard: No, a reason, and the first objective only.
    qtbot.mouseClick(form.no, Qt.MouseButton.LeftButton)
    assert form.reason.isEnabled()
    qtbot.mouseClick(form.reason, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.reason, "Too much video")
    qtbot.keyClick(form.reason, Qt.Key.Key_Tab)
    assert first_before.hasFocus()  # the ratings follow the question in the keyboard order
    qtbot.keyClicks(first_before, "2")
    qtbot.keyClick(first_before, Qt.Key.Key_Tab)
    assert first_after.hasFocus()
    qtbot.keyClicks(first_after, "5")
    assert (first_before.currentText(), first_after.currentText()) == ("2", "5 (very good)")
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.count == 1)
    assert form.message.text() == "Thank you. Saved (1 so far). Please pass the laptop on."
    assert form.no_answer.isChecked() and form.reason.text() == "" and first_before.currentText() == "No answer"

    # The next person answers only the recommendation question. Their first answer takes the last one's thanks
    # away, which they would otherwise read over their own answers; the Send button has not moved.
    send_at = form.send.mapTo(form, form.send.rect().topLeft())
    qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)
    assert form.message.text() == ""
    assert form.send.mapTo(form, form.send.rect().topLeft()) == send_at
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.count == 2)

    # Send pressed again straight after (or the next person sends it untouched): nothing is saved, and the
    # thanks stay rather than "nothing to send", which read as if the answers just sent were lost.
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    assert form.message.text() == "Thank you. Saved (2 so far). Please pass the laptop on."
    assert form.count == 2
    qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)  # answered, then taken back: nothing to send, said so
    qtbot.mouseClick(form.no_answer, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    assert form.message.text() == "Nothing to send: no question is answered yet."

    db = workspace.db
    assert db.execute("SELECT would_recommend, reason_not FROM feedback ORDER BY rowid").fetchall() == [
        (0, "Too much video"),
        (1, ""),
    ]
    assert db.execute(
        "SELECT r.before, r.after FROM feedback_ratings r JOIN feedback f ON f.uuid = r.feedback_uuid"
        " WHERE r.objective_id = ? ORDER BY f.rowid",
        [first_id],
    ).fetchall() == [(2, 5), (None, None)]
    others = db.execute("SELECT before, after FROM feedback_ratings WHERE objective_id != ?", [first_id]).fetchall()
    assert others and set(others) == {(None, None)}

    # Three more people say only that they would recommend it: five forms, as many as any figure needs.
    for saved in (3, 4, 5):
        qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda saved=saved: form.count == saved)

    plan = form.plan
    summary = reports.compliance(
        db,
        Letterhead("Test Police", "OFFICIAL"),
        plan.programme.id,
        plan.programme.name,
        None,
        date(2026, 11, 1),
        date(2026, 11, 30),
        {o.id: o.text for o in plan.objectives},
    ).feedback
    assert (summary.forms, summary.recommend, summary.recommend_answered) == (5, 4, 5)
    scores = {s.objective_id: s for s in summary.objectives}
    first = scores[plan.objectives[0].text]
    # One answer each, the four blanks left out (not counted as answers); one is too few for a mean to be shown.
    assert (first.before, first.after, first.before_answered, first.after_answered) == (None, None, 1, 1)
    untouched = scores[plan.objectives[1].text]
    assert (untouched.before, untouched.after, untouched.before_answered, untouched.after_answered) == (
        None,
        None,
        0,
        0,
    )


def test_only_the_trainers_pin_leaves_the_form(qtbot: QtBot, form: FeedbackWindow) -> None:
    form.close()
    assert form.isVisible()  # closing without the PIN does nothing

    qtbot.keyClick(form, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    dialog = form.pin_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert unnamed_interactive_widgets(dialog) == []
    qtbot.keyClicks(dialog.entry, "1111")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert dialog.problem.text() == "That PIN is not right."
    assert dialog.isVisible() and form.isVisible() and dialog.entry.text() == ""
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and form.isVisible()

    qtbot.mouseClick(form.leave, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.problem.text() == ""
    with qtbot.waitSignal(form.unlocked):
        qtbot.keyClicks(dialog.entry, PIN)
        qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert not form.isVisible()
