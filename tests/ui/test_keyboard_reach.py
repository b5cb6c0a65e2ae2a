"""What a keyboard user reaches in the register and presenter windows, and what a booked person's own sign-in
does: driven as a person does (keys and clicks on the active window), checked by what they see."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, button, click, open_dialog
from tests.ui.saved_sheet import saved_sheet
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.lesson_plan import LessonPlan
from trainer_desk.core.people import Person, fold_name
from trainer_desk.core.plan_library import load_library
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session
from trainer_desk.paths import bundled
from trainer_desk.store import planning, roster, sessions
from trainer_desk.ui.delivery_launch import DeliveryLauncher
from trainer_desk.ui.presentation import AudienceView
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.register_window import STATUS_COLUMN, RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))
W = TypeVar("W", bound=QWidget)


def plan(plan_id: str = "signa-core") -> LessonPlan:
    found = LIBRARY.get(plan_id)
    assert found is not None
    return found


def new_session(lesson: LessonPlan) -> Session:
    return Session(
        new_uuid(),
        PlanRef(lesson.id, lesson.version, lesson.programme.id),
        "NORTH",
        "Room 1",
        DeliveryMode.IN_PERSON,
        datetime(2026, 11, 23, 9, tzinfo=UTC),
        trainers=("100234",),
    )


def active(qtbot: QtBot, window: W) -> W:
    """Shortcuts fire only in the active window, as for a person at the laptop: wait until this is it."""
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    return window


@pytest.fixture
def presenter(qtbot: QtBot, launcher: DeliveryLauncher, workspace: Workspace) -> PresenterWindow:
    session = new_session(plan())
    sessions.create_session(workspace.db, session, session.starts_at)
    return active(qtbot, launcher.open_presenter(plan(), session))


def open_register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, session: Session) -> RegisterWindow:
    window = RegisterWindow(workspace, tasks, session, plan())
    qtbot.addWidget(window)
    return active(qtbot, window)


@pytest.fixture
def register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> RegisterWindow:
    session = new_session(plan())
    sessions.create_session(workspace.db, session, session.starts_at)
    return open_register(qtbot, workspace, tasks, session)


def cell(window: RegisterWindow, row: int, column: int) -> QTableWidgetItem:
    item = window.table.item(row, column)
    assert item is not None, f"row {row} of the register has no column {column}"
    return item


def names_on(window: RegisterWindow) -> list[str]:
    return [cell(window, row, 1).text() for row in range(window.table.rowCount())]


def status_of(window: RegisterWindow, staff_number: str) -> str:
    rows = [r for r in range(window.table.rowCount()) if cell(window, r, 0).text() == staff_number]
    assert len(rows) == 1, f"{staff_number} is on the register {len(rows)} times"
    return cell(window, rows[0], STATUS_COLUMN).text()


# --- register -------------------------------------------------------------------------------------------
def test_the_arrow_keys_choose_among_the_people_found_and_move_in_the_attendees(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    shared = workspace.db.execute(
        "SELECT surname FROM people GROUP BY surname HAVING count(*) >= 3 ORDER BY surname LIMIT 1"
    ).fetchone()
    assert shared is not None, "the demo roster has a surname shared by three people"
    qtbot.keyClicks(register.search, fold_name(shared[0]))
    found: list[Person] = [
        register.results.item(i).data(Qt.ItemDataRole.UserRole) for i in range(register.results.count())
    ]
    assert len(found) >= 3
    qtbot.keyClick(register.search, Qt.Key.Key_Down)  # from the search box, Down goes to the people found
    assert register.results.hasFocus()
    qtbot.keyClick(register.results, Qt.Key.Key_Down)
    qtbot.keyClick(register.results, Qt.Key.Key_Down)
    qtbot.keyClick(register.results, Qt.Key.Key_Up)
    qtbot.keyClick(register.results, Qt.Key.Key_Down)
    qtbot.keyClick(register.results, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    assert names_on(register) == [found[2].full_name]  # the third one, as chosen

    qtbot.keyClicks(register.search, found[0].staff_number)  # a second attendee, scanned
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 2, timeout=5000)
    first = register.table.visualItemRect(cell(register, 0, 1)).center()
    qtbot.mouseClick(register.table.viewport(), Qt.MouseButton.LeftButton, pos=first)
    qtbot.keyClick(register.table, Qt.Key.Key_Down)
    assert register.table.hasFocus()  # Down stays in the attendees, on the next one
    assert register.table.currentRow() == 1
    # Tab goes on from the attendees to the buttons (it once walked their cells for ever), Shift+Tab back.
    qtbot.keyClick(register.table, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not register.table and after is register.commands["all"]
    qtbot.keyClick(after, Qt.Key.Key_Backtab)
    assert register.table.hasFocus()


# --- presenter ------------------------------------------------------------------------------------------
def test_space_presses_the_focused_button_or_box_and_advances_only_from_the_section_list(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    assert presenter.sections.hasFocus()  # where the presenter starts
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.presentation.index == 1)
    assert presenter.heading.text().startswith("<h2>2. ")

    blank = button(presenter, "Blank screen")
    qtbot.mouseClick(blank, Qt.MouseButton.LeftButton)
    assert presenter.presentation.view is AudienceView.BLANK
    qtbot.keyClick(blank, Qt.Key.Key_Space)  # pressed again with Space: the room sees the section again
    assert presenter.room_state.text() == "The audience sees this section."
    assert presenter.presentation.index == 1

    captions = presenter.video_controls.captions_box  # section 2 is a film
    assert captions.isVisible()
    was = captions.isChecked()
    qtbot.mouseClick(captions, Qt.MouseButton.LeftButton)
    assert captions.hasFocus() and captions.isChecked() is not was
    qtbot.keyClick(captions, Qt.Key.Key_Space)
    assert captions.isChecked() is was
    assert presenter.presentation.index == 1


def test_tab_leaves_the_section_list_and_enter_opens_the_highlighted_section(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    sections = presenter.sections
    assert sections.hasFocus()
    for _ in range(3):
        qtbot.keyClick(sections, Qt.Key.Key_Down)
    qtbot.keyClick(sections, Qt.Key.Key_Return)
    assert presenter.presentation.index == 3
    assert presenter.heading.text().startswith("<h2>4. ")
    qtbot.keyClick(sections, Qt.Key.Key_Tab)
    focused = QApplication.focusWidget()
    assert focused is not None and focused is not sections and presenter.isAncestorOf(focused)


def test_a_resumed_session_s_pause_button_says_the_clock_is_paused(
    qtbot: QtBot, presenter: PresenterWindow, workspace: Workspace, tasks: TaskRunner
) -> None:
    assert button(presenter, "Pause clock").isVisible()
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    qtbot.keyClick(presenter, Qt.Key.Key_Right)
    qtbot.wait(300)
    presenter.close()  # stopped mid-way: its progress is saved with the clock paused
    tasks.wait()

    again = DeliveryLauncher(workspace, tasks, LIBRARY)  # as after a restart
    main = QWidget()
    qtbot.addWidget(main)
    again.offer_resume(main)
    answer(qtbot, "Resume")
    qtbot.waitUntil(lambda: bool(again.presenters), timeout=5000)
    resumed = active(qtbot, again.presenters[0])
    try:
        assert resumed.clock.paused
        assert resumed.pause_button.text() == "Resume clock"
        qtbot.keyClick(resumed, Qt.Key.Key_P)  # the trainer resumes the clock
        assert resumed.pause_button.text() == "Pause clock"
        click(qtbot, resumed, "Pause clock")
        assert resumed.pause_button.text() == "Resume clock"
    finally:
        resumed.close()
        tasks.wait()


# --- self sign-in ---------------------------------------------------------------------------------------
def choose_pin(qtbot: QtBot, pin: str) -> None:
    prompt = open_dialog(qtbot)
    entry = prompt.findChild(QLineEdit)
    assert entry is not None
    qtbot.keyClicks(entry, pin)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def test_a_booked_person_signing_in_themselves_is_marked_present_and_the_sheet_says_so(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 3")]
    booked = [p for n in numbers if (p := roster.get_person(workspace.db, n))]
    session = new_session(plan())
    planning.plan_session(workspace.db, session, booked, "100234", datetime(2026, 11, 1, tzinfo=UTC))
    register = open_register(qtbot, workspace, tasks, session)
    assert [status_of(register, n) for n in numbers] == ["Booked"] * 3  # planned, not yet started: booked, not absent

    qtbot.keyClicks(register.search, numbers[1])  # one arrives and the trainer scans their card
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_of(register, numbers[1]) == AttendanceStatus.PRESENT.label, timeout=5000)

    click(qtbot, register, "Self sign-in…")
    choose_pin(qtbot, "2468")
    qtbot.waitUntil(lambda: register.kiosk is not None and register.kiosk.isVisible(), timeout=3000)
    kiosk = register.kiosk
    assert kiosk is not None
    first = booked[0]
    for _ in range(2):  # a double scan: the second arrives before the first is saved
        qtbot.keyClicks(kiosk.entry, first.staff_number)
        qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: status_of(register, first.staff_number) == AttendanceStatus.PRESENT.label, timeout=5000)
    tasks.wait()
    qtbot.waitUntil(lambda: kiosk.reply.text().startswith("You're already signed in"), timeout=5000)
    assert status_of(register, numbers[2]) == "Booked"  # not here yet

    qtbot.keyClicks(kiosk.entry, numbers[2])
    qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.reply.text().startswith("Welcome"), timeout=5000)
    assert kiosk.reply.text() == f"Welcome, {booked[2].forename}. You're signed in."
    qtbot.waitUntil(lambda: status_of(register, numbers[2]) == AttendanceStatus.PRESENT.label, timeout=5000)

    qtbot.keyClicks(kiosk.entry, numbers[1])  # scanned in by the trainer already
    qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    assert kiosk.reply.text() == f"You're already signed in, {booked[1].forename}."
    kiosk.force_close()
    register.refresh()  # what the database holds, not only what the window drew
    assert [status_of(register, n) for n in numbers] == [AttendanceStatus.PRESENT.label] * 3
    assert register.table.rowCount() == 3

    # The signed sheet tells an auditor who signed themselves in and whom the trainer marked.
    _, text = saved_sheet(qtbot, register, tmp_path, monkeypatch)
    assert "Walk-in Signed in" in text
    marked = [re.search("themselves|by trainer", text.split(n, 1)[1]) for n in numbers]  # each row's own, first
    assert [m.group() if m else "" for m in marked] == ["themselves", "by trainer", "themselves"]
    assert "2 signed in themselves; the trainer marked the rest who came." in text


def test_after_a_film_s_captions_box_the_keys_still_run_the_room_and_escape_leaves_the_faq(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    """Captions pressed with Space in the film's section, then the clicker's Page Down: the captions box is
    hidden with the film's controls. Its focus once passed to the FAQ search, so B typed a letter there
    instead of blanking the room's screen, and the arrows moved the text cursor instead of the session."""
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.presentation.index == 1)  # section 2: a film
    captions = presenter.video_controls.captions_box
    qtbot.mouseClick(captions, Qt.MouseButton.LeftButton)
    qtbot.keyClick(captions, Qt.Key.Key_Space)
    qtbot.keyClick(captions, Qt.Key.Key_PageDown)
    qtbot.waitUntil(lambda: presenter.presentation.index == 2)
    focused = QApplication.focusWidget()
    assert focused is presenter.sections
    qtbot.keyClick(focused, Qt.Key.Key_B)
    assert presenter.presentation.view is AudienceView.BLANK
    assert presenter.faq.search.text() == ""
    qtbot.keyClick(focused, Qt.Key.Key_B)
    qtbot.keyClick(focused, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: presenter.presentation.index == 3)

    qtbot.keyClick(presenter, Qt.Key.Key_F)  # search the FAQ, then back to the room with Escape
    assert presenter.faq.search.hasFocus()
    qtbot.keyClicks(presenter.faq.search, "banter")
    qtbot.keyClick(presenter.faq.search, Qt.Key.Key_Escape)
    assert presenter.sections.hasFocus()
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: presenter.presentation.index == 4)
    assert presenter.faq.search.text() == "banter"  # what was searched stays for when it is wanted again


def test_at_200_percent_scaling_the_film_s_controls_are_reached_not_cut_off(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    """A 1920x1080 laptop at 200% scaling has 960x540 to show: the film's seek bar and Captions box ran past
    the right edge of their column, where nothing could reach them."""
    larger = presenter.font()
    larger.setPointSizeF(larger.pointSizeF() * 1.6)  # type as large as 200% scaling makes it, on a small screen
    presenter.setFont(larger)
    presenter.resize(960, 540)
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.presentation.index == 1)  # a film
    captions = presenter.video_controls.captions_box
    qtbot.waitUntil(captions.isVisible)
    column = presenter.right_scroll
    # Where the column is still too narrow for them it scrolls sideways, by mouse too; Tab to the box scrolls
    # it into view.
    column.ensureWidgetVisible(captions)
    left = captions.mapTo(column.viewport(), captions.rect().topLeft()).x()
    assert left >= 0 and left + captions.width() <= column.viewport().width()


def test_on_a_1280_by_720_screen_the_film_s_controls_fit_their_column_beside_its_scroll_bar(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    """A common laptop size: the column scrolls up and down (the film and the FAQ are taller than it), and with
    its scroll bar the Captions box and the Sound list ran past its right edge, behind a sideways scroll bar."""
    larger = presenter.font()
    larger.setPointSizeF(larger.pointSizeF() * 1.25)  # as 125% display scaling makes it
    presenter.setFont(larger)
    presenter.resize(1280, 630)  # the screen, less the window's title bar and the taskbar
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.presentation.index == 1)  # a film
    column = presenter.right_scroll
    qtbot.waitUntil(presenter.video_controls.captions_box.isVisible)
    presenter.screen_choice.addItem("Audience on PROJECTOR-IN-THE-MAIN-HALL (1024x768)")  # a long screen name
    qtbot.waitUntil(lambda: column.verticalScrollBar().isVisible(), timeout=3000)
    qtbot.wait(50)  # one pass of layout
    assert not column.horizontalScrollBar().isVisible()
    for control in (presenter.video_controls.captions_box, presenter.video_controls.sound_output):
        right = control.mapTo(column.viewport(), control.rect().topRight()).x()
        assert right < column.viewport().width(), control.accessibleName()


def test_a_film_loading_never_takes_the_keys_from_the_presenter(qtbot: QtBot, presenter: PresenterWindow) -> None:
    """The film's preview makes a window of its own when the film loads, and it took the focus: the next
    Space did nothing, and the arrows after it went to the FAQ search."""
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: presenter.presentation.index == 1)  # section 2: a film, which loads once stayed on
    qtbot.waitUntil(lambda: presenter.video.player.source().isValid(), timeout=5000)
    qtbot.wait(500)
    assert QApplication.focusWidget() is presenter.sections
    qtbot.keyClick(presenter.sections, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: presenter.presentation.index == 2)


def test_advice_that_cannot_make_up_all_the_time_says_how_late_the_session_will_finish(
    qtbot: QtBot, presenter: PresenterWindow
) -> None:
    """Later sections give back half their time at most: an hour behind, the advice said "to finish on time,
    shorten" sections by a few minutes, a promise it could not keep."""
    real, gone = presenter.clock.now, [0.0]
    presenter.clock.now = lambda: real() + gone[0]
    gone[0] = presenter.clock.targets_s[0] + 5 * 60  # five minutes over: later sections can absorb it
    qtbot.waitUntil(lambda: "To finish on time, shorten" in presenter.clock_board.advice.text(), timeout=3000)
    first, *ideas = presenter.clock_board.advice.text().split("\n")  # one section a line, to read at a glance
    assert re.fullmatch(r"Running [56] min behind\. To finish on time, shorten:", first), first
    assert ideas and all(re.fullmatch(r"   \d+ min from \S.*", idea) for idea in ideas), ideas
    titles = [s.title for s in presenter.presentation.plan.sections[1:]]
    assert all(idea.split(" min from ", 1)[1] in titles for idea in ideas)
    gone[0] = presenter.clock.targets_s[0] + 60 * 60  # an hour over
    qtbot.waitUntil(lambda: "expect to finish about" in presenter.clock_board.advice.text(), timeout=3000)
    said = presenter.clock_board.advice.text()
    found = re.match(r"Running (\d+) min behind\. Shortening these makes up (\d+) min of it: expect to finish "
                     r"about (\d+) min late\.\n   \d+ min from ", said)  # fmt: skip
    assert found is not None, said
    behind, made_up, late = (int(n) for n in found.groups())
    assert behind == made_up + late and made_up > 0 and "To finish on time" not in said


def test_the_section_clock_says_in_words_when_time_is_nearly_up(qtbot: QtBot, presenter: PresenterWindow) -> None:
    """Green and amber both said "section left": to someone who cannot tell the colours apart, or a screen
    reader, the last minute read like any other."""
    real, gone = presenter.clock.now, [0.0]
    presenter.clock.now = lambda: real() + gone[0]  # the section's time passes
    qtbot.waitUntil(lambda: "section left" in presenter.clock_board.section_clock.text(), timeout=3000)
    gone[0] = presenter.clock.targets_s[0] - 30  # half a minute left
    qtbot.waitUntil(lambda: "section nearly up" in presenter.clock_board.section_clock.text(), timeout=3000)
    gone[0] = presenter.clock.targets_s[0] + 30
    qtbot.waitUntil(lambda: "section over" in presenter.clock_board.section_clock.text(), timeout=3000)


def test_delete_asks_before_taking_a_booked_person_off_the_register(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Delete took a booked person off at once, and their booking with them: the lead's chase list then showed
    them as not booked. Someone booked is asked about first; "Keep them booked" is the default."""
    numbers = [n for (n,) in workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 2")]
    booked = [p for n in numbers if (p := roster.get_person(workspace.db, n))]
    session = new_session(plan())
    planning.plan_session(workspace.db, session, booked, "100234", datetime(2026, 11, 1, tzinfo=UTC))
    register = open_register(qtbot, workspace, tasks, session)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)
    asked = answer(qtbot, "Keep them booked")
    assert f"{register.lines[0].name} was booked on this session" in asked
    tasks.wait()
    assert len(register.lines) == 2
    register.activateWindow()
    qtbot.waitUntil(register.isActiveWindow)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)
    answer(qtbot, "Remove the booking")
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=5000)
    assert "Undo" in register.statusBar().currentMessage()


def test_delete_takes_off_someone_marked_absent_here_without_talking_of_a_booking(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """Someone added by mistake and marked absent (4) was asked about as "booked on this session", which they
    never were: only a booking is asked about."""
    session = new_session(plan())
    sessions.create_session(workspace.db, session, session.starts_at)
    register = open_register(qtbot, workspace, tasks, session)
    (number,) = workspace.db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 1").fetchone()
    qtbot.keyClicks(register.search, number)
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=5000)
    register.table.setFocus()
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_4)
    qtbot.waitUntil(lambda: register.lines[0].attendance.status is AttendanceStatus.ABSENT, timeout=5000)
    register.table.selectRow(0)
    qtbot.keyClick(register.table, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: register.lines == [], timeout=5000)
    assert "Undo" in register.statusBar().currentMessage()
