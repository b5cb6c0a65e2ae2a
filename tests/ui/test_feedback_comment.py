"""The feedback form's box for words, on the laptop passed round the room: it stayed greyed out under "No
answer" and "Yes", and what someone had written before choosing Yes was dropped without a word. It now asks
what the phone's form asks, takes a comment with any answer and a reason with a No, and every word reaches
HQ's learning team, read there as the phone's are."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from tests.hq.test_phone_feedback import planned_session
from tests.hq_server import Hq
from tests.ui.test_feedback_form import PIN, signa_plan
from trainer_desk import hq_link
from trainer_desk.core.feedback import Feedback
from trainer_desk.hq import feedback_figures
from trainer_desk.store import feedback, sessions
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.workspace import Workspace

QUESTION = "If not, why not? Or any other comment"  # the phone's form asks the same
HINT = "Up to 500 characters. With a No it is read as your reason; otherwise as a comment."


def send(qtbot: QtBot, form: FeedbackWindow, saved: int) -> None:
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.count == saved)


def test_a_comment_is_kept_with_any_answer_and_reaches_hq_beside_the_reasons(
    qtbot: QtBot, workspace: Workspace, hq: Hq
) -> None:
    planned_session(workspace, hq)
    session = next(iter(sessions.list_sessions(workspace.db)))
    form = FeedbackWindow(signa_plan(), session.uuid, PIN)
    qtbot.addWidget(form)

    def save(sent: Feedback) -> None:
        feedback.save_feedback(workspace.db, sent, session.starts_at)
        form.show_saved(True)

    form.submitted.connect(save)
    form.show()
    qtbot.waitUntil(form.isVisible)
    shown = {label.text(): label for label in form.findChildren(QLabel) if label.isVisible()}
    assert shown[QUESTION].buddy() is form.reason and form.reason.accessibleName() == QUESTION
    assert HINT in shown
    assert form.no_answer.isChecked() and form.reason.isEnabled()  # words first, the answer after, is fine

    qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.reason, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.reason, "The role plays helped most.")
    for changed in (form.no_answer, form.no, form.yes):  # a mind changed, and changed back: every word stays
        qtbot.mouseClick(changed, Qt.MouseButton.LeftButton)
        assert form.reason.isEnabled() and form.reason.text() == "The role plays helped most."
    send(qtbot, form, 1)
    assert form.reason.text() == ""  # the next person starts with an empty box

    qtbot.mouseClick(form.reason, Qt.MouseButton.LeftButton)  # a comment alone, with no answer chosen
    qtbot.keyClicks(form.reason, "More time for questions, please.")
    send(qtbot, form, 2)
    qtbot.mouseClick(form.no, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.reason, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(form.reason, "Too long.")
    send(qtbot, form, 3)
    for saved in (4, 5):  # enough forms for HQ to show what was written without telling who wrote it
        qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)
        send(qtbot, form, saved)
    form.force_close()

    hq_link.sync_once(workspace)
    said = feedback_figures.for_session(hq.engine, session.uuid, "signa")
    assert said.forms == 5 and said.recommend == 3 and said.not_recommend == 1
    assert said.reasons == ["Too long."]
    assert sorted(said.comments) == ["More time for questions, please.", "The role plays helped most."]
