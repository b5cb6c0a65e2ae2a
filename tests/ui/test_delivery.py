"""A whole session driven from the keyboard, offscreen, with the real database, plans and videos."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtMultimedia import QVideoFrame
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer, click, gone, open_dialog, type_through_input_method
from tests.ui.films import play_film
from trainer_desk.core.plan_library import PlanLibrary, load_library
from trainer_desk.core.sessions import SessionStatus
from trainer_desk.lesson_content import load_plans
from trainer_desk.paths import bundled
from trainer_desk.store import delivery, outbox, sessions
from trainer_desk.ui.audience_window import STARTING_SHORTLY
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


def ready(qtbot: QtBot, presenter: PresenterWindow) -> PresenterWindow:
    """Shortcuts work in the active window, as for a trainer; wait until the presenter is it."""
    presenter.activateWindow()
    qtbot.waitUntil(presenter.isActiveWindow, timeout=3000)
    return presenter


def make_launcher(workspace: Workspace, tasks: TaskRunner, library: PlanLibrary = LIBRARY) -> DeliveryLauncher:
    return DeliveryLauncher(workspace, tasks, library)


@pytest.fixture
def launcher(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> Iterator[DeliveryLauncher]:
    made = make_launcher(workspace, tasks)
    yield made
    for presenter in list(made.presenters):
        presenter.close()
    tasks.wait()


def start_session_through_the_dialog(qtbot: QtBot, launcher: DeliveryLauncher, plan_id: str) -> PresenterWindow:
    plan = LIBRARY.get(plan_id)
    assert plan is not None
    dialog = launcher.ask_to_start(plan, None)
    qtbot.addWidget(dialog)
    assert unnamed_interactive_widgets(dialog) == []
    qtbot.keyClicks(dialog.venue, "Training room 2")
    for trainer in ("zainab evans", "s123280"):  # a name picked from the roster, and a scanned number
        qtbot.keyClicks(dialog.trainers.search, trainer)
        qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)
    dialog.unit.setCurrentIndex(dialog.unit.findData("NORTH"))
    dialog.venue.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=5000)
    return ready(qtbot, launcher.presenters[-1])


def test_a_whole_session_from_start_to_end(qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace) -> None:
    presenter = start_session_through_the_dialog(qtbot, launcher, "signa-core")
    plan = presenter.presentation.plan
    session = presenter.session
    assert session is not None
    saved = sessions.get_session(workspace.db, session.uuid)
    assert saved is not None
    assert (saved.plan.version, saved.venue, saved.unit_code, saved.trainers) == (
        plan.version,
        "Training room 2",
        "NORTH",
        ("S271699", "S123280"),
    )
    assert presenter.audience.isVisible()
    qtbot.waitUntil(lambda: sessions.get_session(workspace.db, session.uuid).status is SessionStatus.RUNNING)  # type: ignore[union-attr]

    seen = []
    for number in range(1, len(plan.sections)):
        qtbot.keyClick(presenter, Qt.Key.Key_Right)
        assert presenter.presentation.index == number
        seen.append(presenter.heading.text())
        if plan.sections[number].video is None:
            assert presenter.audience.shown_page() == "content"
            assert plan.sections[number].audience.strip().splitlines()[0].lstrip("# ") in (
                presenter.audience.content.toPlainText()
            )
        else:
            assert presenter.audience.shown_page() == "video"
    assert all(f"{i + 2}. " in text for i, text in enumerate(seen))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # past the end: stays on the close
    assert presenter.presentation.index == len(plan.sections) - 1

    click(qtbot, presenter, "End session")
    assert "End this session" in answer(qtbot, "Carry on")  # a misclick changes nothing
    assert presenter.isVisible() and not presenter.clock.paused
    audience = presenter.audience
    qtbot.keyClick(presenter, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    answer(qtbot, "End session")
    qtbot.waitUntil(lambda: gone(presenter), timeout=3000)
    launcher.tasks.wait()
    log = delivery.timing_log(workspace.db, session.uuid)
    assert [section_id for section_id, _, _ in log] == [s.id for s in plan.sections]
    assert all(end is not None and end >= start for _, start, end in log)
    # delivery is over; the session stays open for the register and feedback until the trainer closes it
    assert sessions.get_session(workspace.db, session.uuid).status is SessionStatus.RUNNING  # type: ignore[union-attr]
    assert delivery.unfinished_session(workspace.db) is None
    assert gone(audience)


def test_a_bundled_video_plays_with_captions(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    frames: list[QVideoFrame] = []
    presenter.audience.video.videoSink().videoFrameChanged.connect(lambda f: frames.append(f) if f.isValid() else None)
    preview_frames: list[QVideoFrame] = []
    presenter.video_controls.preview.videoSink().videoFrameChanged.connect(
        lambda f: preview_frames.append(f) if f.isValid() else None
    )
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert presenter.presentation.section.video is not None
    play_film(qtbot, presenter)
    qtbot.waitUntil(lambda: len(frames) >= 10, timeout=15000)
    assert frames[-1].width() == 1280 and frames[-1].height() == 720
    assert preview_frames, "the presenter's preview mirrors the audience's frames"
    qtbot.waitUntil(lambda: bool(presenter.audience.caption.text()), timeout=10000)
    assert presenter.video_controls.caption_preview.text() == presenter.audience.caption.text()
    qtbot.keyClick(presenter, Qt.Key.Key_C)  # captions off
    assert presenter.audience.caption.isHidden()
    qtbot.keyClick(presenter, Qt.Key.Key_K)
    qtbot.waitUntil(lambda: presenter.video_controls.play_button.text() == "Play video")
    assert presenter.video_controls.video_message.text() == ""


def test_blanking_the_screen_during_a_film_pauses_it_and_it_waits_for_the_trainer(
    qtbot: QtBot, launcher: DeliveryLauncher
) -> None:
    """Someone is upset by a film: the trainer blanks the screen (B). Its sound went on with the picture gone;
    now the film pauses, the button shows the screen is blank, and the film waits when the section is back."""
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    play_film(qtbot, presenter)
    blank = next(b for b in presenter.findChildren(QPushButton) if b.accessibleName() == "Blank screen")
    assert not blank.isChecked()
    qtbot.keyClick(presenter, Qt.Key.Key_B)
    assert presenter.audience.shown_page() == "blank" and blank.isChecked()
    qtbot.waitUntil(lambda: presenter.video_controls.play_button.text() == "Play video", timeout=5000)
    assert presenter.room_state.text() == "The audience screen is blank. The film is paused."
    qtbot.mouseClick(blank, Qt.MouseButton.LeftButton)  # the room is ready again
    assert presenter.audience.shown_page() == "video" and not blank.isChecked()
    assert presenter.video_controls.play_button.text() == "Play video"
    qtbot.keyClick(presenter, Qt.Key.Key_S)  # the signposting card stops a film too
    signposting = next(b for b in presenter.findChildren(QPushButton) if b.accessibleName() == "Signposting")
    assert signposting.isChecked() and not blank.isChecked()
    qtbot.keyClick(presenter, Qt.Key.Key_B)
    play_film(qtbot, presenter, timeout=5000)  # played again while blank: the film comes back, never sound alone
    assert presenter.audience.shown_page() == "video" and not blank.isChecked()
    assert presenter.room_state.text() == "The audience sees this section."
    presenter.close()


def test_the_film_s_position_and_volume_answer_the_keys_and_a_click_and_the_room_stays_on_the_film(
    qtbot: QtBot, launcher: DeliveryLauncher
) -> None:
    """Tabbed to the film's position, the arrows moved the room to another section and unloaded the film; a
    click on the bar crept ten milliseconds. Focused, the sliders take their keys; a clicker's Page Down
    still moves on."""
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    film = presenter.presentation.index
    play_film(qtbot, presenter)
    qtbot.waitUntil(lambda: presenter.video.position > 500, timeout=15000)
    qtbot.keyClick(presenter, Qt.Key.Key_K)  # paused
    qtbot.waitUntil(lambda: presenter.video_controls.play_button.text() == "Play video")
    controls = presenter.video_controls
    paused_at = presenter.video.position
    controls.seek.setFocus()
    qtbot.keyClick(controls.seek, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: presenter.video.position >= paused_at + 4000, timeout=5000)
    assert presenter.presentation.index == film and presenter.presentation.section.video is not None
    groove = controls.seek.rect()
    qtbot.mouseClick(controls.seek, Qt.MouseButton.LeftButton, pos=QPoint(groove.width() * 3 // 4, groove.center().y()))
    duration = controls.seek.maximum()
    qtbot.waitUntil(lambda: abs(presenter.video.position - duration * 3 // 4) < duration // 10, timeout=5000)
    controls.volume.setFocus()
    qtbot.keyClick(controls.volume, Qt.Key.Key_Left)
    assert controls.volume.value() == 75 and presenter.presentation.index == film
    qtbot.keyClick(controls.volume, Qt.Key.Key_PageDown)  # the clicker
    assert presenter.presentation.index == film + 1


@pytest.mark.qt_log_ignore("Could not open media")  # the very damage this test makes
def test_a_damaged_video_is_explained_and_the_session_goes_on(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, tmp_path: Path
) -> None:
    shutil.copytree(bundled("lesson_plans") / "signa-core", tmp_path / "signa-core")
    (tmp_path / "signa-core" / "videos" / "voices.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"\x13" * 4000)
    library = load_library(tmp_path)
    plan = library.get("signa-core")
    assert plan is not None
    launcher = make_launcher(workspace, tasks, library)
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    room = presenter.audience.video_title
    assert STARTING_SHORTLY in room.toPlainText()  # on the laptop: promised, until it turns out not to play
    qtbot.keyClick(presenter, Qt.Key.Key_K)
    qtbot.waitUntil(
        lambda: "voices.mp4 cannot be played" in presenter.video_controls.video_message.text(), timeout=10000
    )
    qtbot.waitUntil(lambda: STARTING_SHORTLY not in room.toPlainText(), timeout=3000)  # the room is not kept waiting
    assert room.isVisible() and presenter.audience.shown_page() == "video"
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    assert presenter.presentation.index == 2
    assert presenter.video_controls.video_message.text() == ""
    presenter.close()


def test_blank_signposting_and_faq_from_the_keyboard(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace
) -> None:
    plan = LIBRARY.get("raising-concerns")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_B)
    assert presenter.audience.shown_page() == "blank"
    assert presenter.room_state.text() == "The audience screen is blank."
    qtbot.keyClick(presenter, Qt.Key.Key_B)
    assert presenter.audience.shown_page() == "content"
    qtbot.keyClick(presenter, Qt.Key.Key_S)
    assert presenter.audience.shown_page() == "signposting"
    assert "anonymous" in presenter.audience.signposting.toPlainText().lower()
    qtbot.keyClick(presenter, Qt.Key.Key_F)
    assert presenter.faq.search.hasFocus()
    qtbot.keyClicks(presenter.faq.search, "gras")  # typing letters in the search box triggers no shortcut
    assert presenter.audience.shown_page() == "signposting"
    assert any("grass" in q.lower() for q in presenter.faq.shown_questions())
    assert "grass" in presenter.faq.answer.toPlainText().lower()
    presenter.faq.search.clear()
    type_through_input_method(presenter.faq.search, "\u738b")  # a word the FAQ's index has no way to hold
    assert presenter.faq.shown_questions() == []  # not every question, as if each answered it
    assert "No question matches" in presenter.faq.answer.toPlainText()
    presenter.faq.search.clear()
    qtbot.keyClicks(presenter.faq.search, "what ")  # nothing searchable yet: every question, to browse
    assert len(presenter.faq.shown_questions()) > 10
    qtbot.keyClick(presenter.faq.search, Qt.Key.Key_Escape)
    # A question noted for HQ while rehearsing goes to HQ, and the rehearsal's banner says so; nothing else
    # of a rehearsal is recorded.
    banner = next(w for w in presenter.findChildren(QLabel) if w.accessibleName() == "Rehearsal mode")
    assert "a question you note for HQ still goes to HQ" in banner.text()
    qtbot.keyClicks(presenter.faq.note, "Does it apply off duty?")
    qtbot.keyClick(presenter.faq.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.db.execute("SELECT count(*) FROM faq_questions").fetchone()[0] == 1)
    assert workspace.db.execute("SELECT count(*) FROM sessions").fetchone()[0] == 0
    size = presenter.script.font().pointSizeF()
    qtbot.keyClick(presenter, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert presenter.script.font().pointSizeF() > size  # the script grows for a trainer who needs it
    assert "Register" not in [b.text() for b in presenter.findChildren(type(presenter.video_controls.play_button))]
    qtbot.keyClick(presenter, Qt.Key.Key_F1)  # the list of keys, read from the keyboard and closed from it
    help_box = open_dialog(qtbot)
    listing = help_box.focusWidget()
    assert isinstance(listing, QLabel) and "Blank the audience screen" in listing.text()
    assert listing.accessibleName() == "The presenter's keyboard shortcuts" and "Ctrl+Q" in listing.text()
    assert "Ctrl+W</b> closes the register's window" in listing.text()
    qtbot.keyClick(listing, Qt.Key.Key_Tab)
    qtbot.keyClick(help_box.focusWidget(), Qt.Key.Key_Return)  # Tab to Close, and Enter
    qtbot.waitUntil(lambda: not help_box.isVisible())
    assert outbox.waiting_count(workspace.db) == 1  # a rehearsal records nothing but the question noted for HQ
    assert sessions.list_sessions(workspace.db) == []


def test_an_unanswered_question_is_kept_for_hq(qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace) -> None:
    presenter = start_session_through_the_dialog(qtbot, launcher, "upstander")
    # What the box is for is said beside it, whole (a placeholder saying so was cut off at the box's width).
    [label] = [w for w in presenter.faq.findChildren(QLabel) if w.buddy() is presenter.faq.note]
    assert label.isVisible() and label.text() == "Not answered here? Note the question for HQ:"
    qtbot.keyClicks(presenter.faq.note, "Does the duty apply to contractors?")
    qtbot.keyClick(presenter.faq.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: presenter.faq.note_state.text().startswith("Noted"), timeout=5000)
    stored = workspace.db.execute("SELECT plan_id, question FROM faq_questions").fetchall()
    assert stored == [("upstander", "Does the duty apply to contractors?")]

    # What was searched for is the question to note, not typed again mid-class: found or not (a real question
    # nearly always finds something, not always its answer), and "Noted" goes with the next search.
    qtbot.keyClick(presenter, Qt.Key.Key_F)
    qtbot.keyClicks(presenter.faq.search, "can I record it on my phone")
    assert presenter.faq.shown_questions() != []
    assert presenter.faq.note.text() == "can I record it on my phone"
    assert presenter.faq.note_state.text() == ""
    presenter.faq.search.clear()
    qtbot.keyClicks(presenter.faq.search, "poppy appeal")
    assert presenter.faq.shown_questions() == []
    assert presenter.faq.note.text() == "poppy appeal"
    qtbot.keyClick(presenter.faq.search, Qt.Key.Key_Return)  # Enter: to the question, to add to it or send it
    assert presenter.faq.note.hasFocus()
    qtbot.keyClicks(presenter.faq.note, " on duty?")
    qtbot.keyClick(presenter.faq.note, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: workspace.db.execute("SELECT count(*) FROM faq_questions").fetchone()[0] == 2)
    assert workspace.db.execute("SELECT question FROM faq_questions ORDER BY rowid DESC").fetchone()[0] == (
        "poppy appeal on duty?"
    )
    presenter.faq.search.clear()
    qtbot.keyClicks(presenter.faq.search, "zzzz")
    presenter.faq.note.setText("My own words")  # what the trainer wrote is never replaced by a search
    qtbot.keyClicks(presenter.faq.search, "y")
    assert presenter.faq.note.text() == "My own words"


def test_resume_after_the_window_is_destroyed_mid_session(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace, tasks: TaskRunner
) -> None:
    presenter = start_session_through_the_dialog(qtbot, launcher, "inclusive-workplace")
    for _ in range(3):
        qtbot.keyClick(presenter, Qt.Key.Key_Right)
    qtbot.wait(300)
    spent = presenter.clock.total_elapsed()
    session_uuid = presenter.session.uuid  # type: ignore[union-attr]
    presenter.close()
    tasks.wait()

    again = make_launcher(workspace, tasks)  # as after a restart
    main = QWidget()
    qtbot.addWidget(main)
    again.offer_resume(main)
    assert "stopped at section 4" in answer(qtbot, "Resume")
    qtbot.wait(200)
    assert len(again.presenters) == 1  # one presenter, so one audience screen
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert [type(w).__name__ for w in visible].count("AudienceWindow") == 1
    resumed = ready(qtbot, again.presenters[0])
    assert resumed.session is not None and resumed.session.uuid == session_uuid
    assert resumed.presentation.index == 3
    assert resumed.clock.paused and resumed.clock.total_elapsed() == pytest.approx(spent, abs=0.2)
    assert resumed.audience.shown_page() in {"content", "video"}
    qtbot.keyClick(resumed, Qt.Key.Key_P)  # the trainer resumes the clock
    assert not resumed.clock.paused
    click(qtbot, resumed, "End session")
    answer(qtbot, "End session")
    tasks.wait()
    assert again.offer_resume(main) is None  # nothing left to resume


def test_every_delivery_widget_has_an_accessible_name(qtbot: QtBot, launcher: DeliveryLauncher) -> None:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)  # a video section shows the video controls too
    assert unnamed_interactive_widgets(presenter) == []
    assert unnamed_interactive_widgets(presenter.audience) == []
    assert presenter.audience.windowFlags() & Qt.WindowType.FramelessWindowHint


def test_the_wellbeing_contact_named_for_a_session_is_the_one_its_faq_gives(
    qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace
) -> None:
    launcher.library = load_plans(workspace.paths)  # as the app loads them: with the force's facts
    plan = launcher.library.get("raising-concerns")
    assert plan is not None
    dialog = launcher.ask_to_start(plan, None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.venue, "Training room 2")
    qtbot.keyClicks(dialog.trainers.search, "s123280")
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.wellbeing, "Sgt Kim Lee, Wellbeing, 01632 960777")
    dialog.venue.setFocus()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(launcher.presenters), timeout=5000)
    presenter = ready(qtbot, launcher.presenters[-1])
    qtbot.keyClick(presenter, Qt.Key.Key_F)
    qtbot.keyClicks(presenter.faq.search, "brought something up")
    assert "today's wellbeing contact is Sgt Kim Lee, Wellbeing, 01632 960777" in presenter.faq.answer.toPlainText()
    saved = sessions.list_sessions(workspace.db)
    assert [s.wellbeing_contact for s in saved] == ["Sgt Kim Lee, Wellbeing, 01632 960777"]
    waiting = workspace.db.execute("SELECT payload FROM outbox WHERE entity = 'session'").fetchone()[0]
    assert '"wellbeing_contact": "Sgt Kim Lee, Wellbeing, 01632 960777"' in waiting  # HQ learns it too

    rehearsal = ready(qtbot, launcher.rehearse(plan))  # no session: the force's own contact
    qtbot.keyClick(rehearsal, Qt.Key.Key_F)
    qtbot.keyClicks(rehearsal.faq.search, "brought something up")
    assert "Kim Lee" not in rehearsal.faq.answer.toPlainText()
    assert "today's wellbeing contact is the trainer" in rehearsal.faq.answer.toPlainText()


def test_a_film_left_part_way_plays_on_from_where_it_was_when_the_trainer_comes_back(
    qtbot: QtBot, launcher: DeliveryLauncher
) -> None:
    """A clicker pressed once too often mid-film moved the room on; back on the film's section, it started again
    from 0:00 and the trainer had to find the place. It now plays on from where it was left."""
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    presenter = ready(qtbot, launcher.rehearse(plan))
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    play_film(qtbot, presenter)
    qtbot.waitUntil(lambda: presenter.video.position > 3000, timeout=15000)
    qtbot.keyClick(presenter, Qt.Key.Key_PageDown)  # the clicker, once too often
    left_at = presenter.video.position
    assert presenter.presentation.index == 2
    qtbot.waitUntil(lambda: presenter.video_controls.play_button.text() == "Play video", timeout=5000)
    qtbot.keyClick(presenter, Qt.Key.Key_PageUp)
    qtbot.waitUntil(lambda: presenter.video.video is not None and presenter.video.position >= 3000, timeout=10000)
    qtbot.waitUntil(lambda: presenter.video_controls.seek.value() >= 3000, timeout=5000)  # the bar shows the place
    assert presenter.video_controls.play_button.text() == "Play video"  # waiting for the trainer, not playing
    play_film(qtbot, presenter)
    qtbot.wait(300)
    assert presenter.video.position >= left_at - 500
