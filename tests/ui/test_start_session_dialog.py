"""Starting a session from the keyboard: trainers come from the roster, or as a checked staff number."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import answer
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.store import units
from trainer_desk.ui.start_session_dialog import StartSessionDialog
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))


@pytest.fixture
def dialog(qtbot: QtBot, workspace: Workspace) -> Iterator[StartSessionDialog]:
    plan = LIBRARY.get("signa-core")
    assert plan is not None
    made = StartSessionDialog(None, workspace.db, list(LIBRARY.plans), plan, units.list_units(workspace.db))
    qtbot.addWidget(made)
    made.open()
    qtbot.waitExposed(made)
    made.activateWindow()
    qtbot.waitUntil(made.isActiveWindow, timeout=3000)
    yield made
    made.close_without_asking()  # the test is over: nothing typed is asked about


def type_and_enter(qtbot: QtBot, dialog: StartSessionDialog, text: str) -> None:
    search = dialog.trainers.search
    qtbot.keyClicks(search, text)
    qtbot.keyClick(search, Qt.Key.Key_Return)


def chosen(dialog: StartSessionDialog) -> list[str]:
    shown = dialog.trainers.chosen_list
    return [shown.item(row).text() for row in range(shown.count())]


def clear_search(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Backspace)


def test_two_trainers_picked_by_keyboard_one_removed_then_started(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    assert unnamed_interactive_widgets(dialog) == []
    qtbot.mouseClick(dialog.venue, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.venue, "Training room 2")
    qtbot.keyClick(dialog.venue, Qt.Key.Key_Tab)
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.trainers.search  # Tab order: venue, unit, then the trainers

    type_and_enter(qtbot, dialog, "zainab evans")  # the only match is added
    assert chosen(dialog) == ["Zainab Evans (S271699) · leads the session"]
    assert dialog.isVisible()  # Enter in the search added a trainer; it did not start the session

    type_and_enter(qtbot, dialog, "quinn")  # several match: nobody is guessed
    assert "Several people match “quinn”" in dialog.trainers.notice.text()
    assert len(chosen(dialog)) == 1
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dialog.trainers.results
    found = dialog.trainers.results
    row = next(r for r in range(found.count()) if found.item(r).text().startswith("Dev Quinn · S123280"))
    for _ in range(row):
        qtbot.keyClick(found, Qt.Key.Key_Down)
    qtbot.keyClick(found, Qt.Key.Key_Return)
    assert chosen(dialog) == ["Zainab Evans (S271699) · leads the session", "Dev Quinn (S123280)"]
    assert QApplication.focusWidget() is dialog.trainers.search and dialog.trainers.search.text() == ""

    type_and_enter(qtbot, dialog, "147964")  # an exact staff number
    assert chosen(dialog)[-1] == "Chloe Smith-Jones (147964)"

    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Tab)  # no one found is listed: on to the chosen trainers
    assert QApplication.focusWidget() is dialog.trainers.chosen_list
    qtbot.keyClick(dialog.trainers.chosen_list, Qt.Key.Key_Home)
    qtbot.keyClick(dialog.trainers.chosen_list, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.trainers.chosen_list, Qt.Key.Key_Delete)
    assert chosen(dialog) == ["Zainab Evans (S271699) · leads the session", "Chloe Smith-Jones (147964)"]
    assert dialog.trainers.notice.text() == "Removed Dev Quinn (S123280)."
    qtbot.keyClick(dialog.trainers.chosen_list, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is dialog.trainers.remove_button

    qtbot.mouseClick(dialog.venue, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.venue, Qt.Key.Key_Return)  # Enter anywhere else starts
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.session is not None
    assert dialog.session.trainers == ("S271699", "147964")
    assert (dialog.session.venue, dialog.session.plan.plan_id) == ("Training room 2", "signa-core")


def test_a_title_and_name_is_refused_and_not_turned_into_a_staff_number(
    qtbot: QtBot, dialog: StartSessionDialog
) -> None:
    qtbot.keyClicks(dialog.venue, "Room 4")
    type_and_enter(qtbot, dialog, "PC Sam Jones")
    assert chosen(dialog) == []
    assert "No one on the roster matches “PC Sam Jones”" in dialog.trainers.notice.text()
    qtbot.keyClick(dialog.venue, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.session is None
    assert "“PC Sam Jones” is typed in Trainers but not added" in dialog.error.text()

    clear_search(qtbot, dialog)
    qtbot.keyClick(dialog.venue, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.session is None
    assert "Add the trainers" in dialog.error.text()


def test_a_number_not_on_the_roster_is_added_only_when_confirmed(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    type_and_enter(qtbot, dialog, "98")  # the start of no one's number, and too short to be one
    assert "“98” is not a staff number" in dialog.trainers.notice.text()
    clear_search(qtbot, dialog)

    type_and_enter(qtbot, dialog, "987 654")
    assert chosen(dialog) == []
    assert "No one with staff number 987654 is on this laptop's roster" in dialog.trainers.notice.text()
    assert dialog.trainers.add_anyway.isVisible()
    assert unnamed_interactive_widgets(dialog) == []
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)  # the trainer confirms it
    assert chosen(dialog) == ["987654 (not on this laptop's roster) · leads the session"]
    assert not dialog.trainers.add_anyway.isVisible()

    type_and_enter(qtbot, dialog, "s103433")  # a roster number, typed in lower case
    qtbot.keyClicks(dialog.trainers.search, "987654")
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)
    assert "is already a trainer" in dialog.trainers.notice.text()
    assert chosen(dialog)[1:] == ["Zainab Begum (S103433)"]

    type_and_enter(qtbot, dialog, "555555")
    qtbot.mouseClick(dialog.trainers.add_anyway, Qt.MouseButton.LeftButton)
    assert chosen(dialog)[-1] == "555555 (not on this laptop's roster)"


def test_a_trainer_can_be_removed_and_the_session_started_with_the_mouse(
    qtbot: QtBot, dialog: StartSessionDialog
) -> None:
    qtbot.keyClicks(dialog.venue, "Room 4")
    for trainer in ("zainab evans", "147964"):
        type_and_enter(qtbot, dialog, trainer)
    qtbot.mouseClick(dialog.trainers.remove_button, Qt.MouseButton.LeftButton)  # the one added last
    assert chosen(dialog) == ["Zainab Evans (S271699) · leads the session"]
    start = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    assert start.text() == "Start"
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert dialog.session is not None and dialog.session.trainers == ("S271699",)


def choose_unit_from_the_list(qtbot: QtBot, dialog: StartSessionDialog, code: str) -> None:
    """As a trainer does by keyboard: open the list (Alt+Down), walk to the unit, press Enter."""
    qtbot.keyClick(dialog.unit, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    view = dialog.unit.view()
    qtbot.waitUntil(view.isVisible, timeout=3000)
    target = dialog.unit.findData(code)
    while view.currentIndex().row() != target:
        qtbot.keyClick(view, Qt.Key.Key_Down if view.currentIndex().row() < target else Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not view.isVisible(), timeout=3000)


@pytest.mark.qt_log_ignore("does not support grabbing the keyboard")  # the open list, on the offscreen platform
def test_the_unit_is_the_lead_trainers_unless_the_trainer_chose_one(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    """The list's first unit was taken silently, and a North-West trainer's session recorded under Central East."""
    type_and_enter(qtbot, dialog, "S277139")  # Yasmin Evans, of North-West, leads
    assert dialog.unit.currentText().startswith("North West")
    assert dialog.unit.currentData() == "NORTH-WEST"

    choose_unit_from_the_list(qtbot, dialog, "WEST")  # the trainer picks West, as it is for another unit's room
    assert dialog.unit.currentData() == "WEST"
    clear_search(qtbot, dialog)
    type_and_enter(qtbot, dialog, "147964")  # a co-trainer of another unit: the chosen unit stays
    assert dialog.unit.currentData() == "WEST"


def test_a_stray_key_on_the_unit_leaves_it_to_the_lead_trainer(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    """Two presses of Down, or a letter typed while the Unit box had the focus, picked another BCU, and then even
    adding the lead trainer no longer put it right: HQ refused the session and everything in it."""
    before = dialog.unit.currentData()
    dialog.unit.setFocus()
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_W, Qt.Key.Key_End):
        qtbot.keyClick(dialog.unit, key)
    assert dialog.unit.currentData() == before

    type_and_enter(qtbot, dialog, "S277139")  # Yasmin Evans, of North-West, leads: her unit follows her
    assert dialog.unit.currentData() == "NORTH-WEST"
    qtbot.keyClicks(dialog.venue, "Room 4")
    qtbot.keyClick(dialog.venue, Qt.Key.Key_Return)
    assert dialog.session is not None and dialog.session.unit_code == "NORTH-WEST"
    assert "HQ will take the session only from a laptop enrolled for its unit" in dialog.unit_note.text()


def test_a_problem_shown_goes_once_it_is_put_right(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    start = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert "Add the trainers" in dialog.error.text()
    type_and_enter(qtbot, dialog, "S277139")
    assert dialog.error.text() == "Say where the session is held."  # the trainers' problem went; not the venue's
    qtbot.keyClicks(dialog.venue, "Room 2")
    assert dialog.error.text() == ""


def test_start_with_details_missing_takes_the_keys_to_the_first_field_to_put_right(
    qtbot: QtBot, dialog: StartSessionDialog
) -> None:
    """Enter with nothing filled in: the message sat below the checklist and the keys stayed on the plan list.
    A name typed in Trainers and not added is said once, and goes once the trainer changes it."""
    qtbot.keyClick(dialog.plan, Qt.Key.Key_Return)  # Enter, from the first field
    assert "Say where the session is held." in dialog.error.text()
    assert dialog.venue.hasFocus()
    assert dialog.venue.accessibleDescription() == "Say where the session is held."  # read out with the field
    qtbot.keyClicks(dialog.venue, "Training room 2")
    assert dialog.venue.accessibleDescription() == ""
    assert dialog.error.text().startswith("Add the trainers")  # put right, the venue's problem goes; not the rest
    qtbot.keyClicks(dialog.trainers.search, "zainab")  # typed, and Start pressed before it was added
    start = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(start, Qt.MouseButton.LeftButton)
    assert "“zainab” is typed in Trainers but not added" in dialog.error.text()
    assert dialog.trainers.search.hasFocus()
    clear_search(qtbot, dialog)
    assert "zainab" not in dialog.error.text()  # not left saying "zainab" once it is gone
    assert dialog.error.text().startswith("Add the trainers")  # what is still to do stays said


def test_the_start_of_a_staff_number_adds_the_one_trainer_it_finds(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    """The list showed the one person "s1232" found, and Enter twice added a trainer "S1232, not on this laptop's
    roster" to lead the session. Enter adds whom the list shows, as it does in the register."""
    qtbot.keyClicks(dialog.trainers.search, "s1232")
    found = dialog.trainers.results
    assert [found.item(r).text() for r in range(found.count())] == ["Dev Quinn · S123280 · Central North"]
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)
    assert chosen(dialog) == ["Dev Quinn (S123280) · leads the session"]


def test_escape_clears_the_trainer_search_and_asks_before_losing_what_was_typed(
    qtbot: QtBot, dialog: StartSessionDialog
) -> None:
    """Escape in the trainers' search, to clear it, closed the whole dialog: the venue and the trainers chosen
    were gone. Now Escape clears the search; Escape again asks, Keep typing the answer Enter gives."""
    qtbot.mouseClick(dialog.venue, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.venue, "Training room 2")
    type_and_enter(qtbot, dialog, "zainab evans")
    qtbot.keyClicks(dialog.trainers.search, "smi")
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.trainers.search.text() == ""
    assert dialog.venue.text() == "Training room 2" and len(chosen(dialog)) == 1

    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Escape)
    assert answer(qtbot, "Keep typing") == "What you typed here is not saved yet. Close without saving?"
    assert dialog.isVisible() and dialog.venue.text() == "Training room 2"
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Escape)
    answer(qtbot, "Close without saving")
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_escape_closes_a_dialog_nothing_was_typed_in_at_once(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_year_hq_would_refuse_cannot_be_typed(qtbot: QtBot, dialog: StartSessionDialog) -> None:
    """A slip of the keyboard (2099 for 2026) made a session no sync could send: HQ takes starts from 2000 to
    two years ahead, and sessions are planned at most 400 days ahead."""
    shown_before = dialog.when.text()
    qtbot.mouseClick(dialog.when, Qt.MouseButton.LeftButton)
    qtbot.keyClick(dialog.when, Qt.Key.Key_Home)
    for _ in range(3):  # to the year: the day's name, its number, the month, then the year
        qtbot.keyClick(dialog.when, Qt.Key.Key_Tab)
    assert dialog.when.currentSection() == QDateTimeEdit.Section.YearSection
    qtbot.keyClicks(dialog.when, "2099")
    qtbot.mouseClick(dialog.venue, Qt.MouseButton.LeftButton)  # on to the next field
    assert "2099" not in dialog.when.text()
    assert dialog.when.text() == shown_before  # the year as it was: nothing else moved
