"""The register's "Not saved" banner names only what is still not saved: a person saved after all, a feedback
form sent again or knowingly left, a removal undone all leave it; nothing on it is dropped unasked; and the
question asked before closing is worded for what is on it.

The disk is filled as `test_register_full_disk` fills it (`RLIMIT_FSIZE`)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, button, click, open_dialog
from tests.ui.registers import open_register
from tests.ui.test_register_full_disk import PEOPLE, banner_says, full_disk, on_register, open_feedback_not_saved, scan
from trainer_desk.store import roster
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace


def registered(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner, *numbers: str) -> RegisterWindow:
    roster.upsert_people(workspace.db, PEOPLE)
    window = open_register(qtbot, workspace, tasks)
    window.search.setFocus()
    for number in numbers:
        scan(qtbot, number)
        qtbot.waitUntil(lambda number=number: number in on_register(window), timeout=5000)  # type: ignore[misc]
    return window


def test_people_scanned_again_once_space_is_freed_leave_the_banner(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = registered(qtbot, workspace, tasks)
    with full_disk(workspace) as free:
        scan(qtbot, "600002")
        scan(qtbot, "600003")
        tasks.wait()
        qtbot.waitUntil(lambda: "Priya Raman (600003)" in banner_says(window), timeout=5000)
        free()
        scan(qtbot, "600002")
        scan(qtbot, "600003")
        qtbot.waitUntil(lambda: sorted(on_register(window)) == ["600002", "600003"], timeout=5000)
    qtbot.waitUntil(lambda: not window.not_saved.isVisible(), timeout=5000)
    assert "Kwame" not in banner_says(window)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)  # nothing to ask about: it closes
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)


def leave_with_pin(qtbot: QtBot, form: FeedbackWindow) -> None:
    qtbot.keyClick(form, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    pin = form.pin_dialog
    assert pin is not None
    qtbot.waitUntil(pin.isVisible)
    qtbot.keyClicks(pin.entry, "8642")
    qtbot.keyClick(pin.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not pin.isVisible(), timeout=3000)


def test_leaving_a_feedback_form_that_was_not_saved_asks_and_sending_it_again_clears_the_banner(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = open_register(qtbot, workspace, tasks)
    form = open_feedback_not_saved(qtbot, window, workspace)
    leave_with_pin(qtbot, form)
    said = answer(qtbot, "Keep it open")
    assert "not saved" in said and "lose them" in said
    assert form.isVisible() and form.yes.isChecked()  # the answers are still there
    qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.message.text().startswith("Thank you"), timeout=5000)
    qtbot.waitUntil(lambda: not window.not_saved.isVisible(), timeout=3000)
    form.force_close()


def test_a_feedback_form_left_knowingly_leaves_the_banner(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = open_register(qtbot, workspace, tasks)
    form = open_feedback_not_saved(qtbot, window, workspace)
    leave_with_pin(qtbot, form)
    answer(qtbot, "Leave and lose them")
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)
    assert not window.not_saved.isVisible()


def remove_first_line(qtbot: QtBot, window: RegisterWindow) -> None:
    window.table.setFocus()
    window.table.selectRow(0)
    qtbot.keyClick(window.table, Qt.Key.Key_Delete)


def test_closing_with_a_removal_not_saved_asks_about_saving_not_adding(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = registered(qtbot, workspace, tasks, "600001")
    with full_disk(workspace):
        remove_first_line(qtbot, window)
        qtbot.waitUntil(lambda: "removing Aoife Byrne" in banner_says(window), timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    box = open_dialog(qtbot)
    assert isinstance(box, QMessageBox)
    assert "removing Aoife Byrne" in box.text() and box.text().endswith("Close without saving these?")
    assert "adding" not in box.text() and button(box, "Close without saving")
    answer(qtbot, "Keep it open")
    assert window.isVisible()


def test_undo_takes_a_removal_not_saved_off_the_banner_and_it_is_never_made(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = registered(qtbot, workspace, tasks, "600001", "600002")
    with full_disk(workspace):
        remove_first_line(qtbot, window)
        qtbot.waitUntil(lambda: "removing" in banner_says(window), timeout=5000)
        window.search.setFocus()
        scan(qtbot, "600003")  # and someone else, not saved either
        qtbot.waitUntil(lambda: "Priya Raman" in banner_says(window), timeout=5000)
    removing = banner_says(window).split("removing ")[1].split()[0]
    qtbot.keyClick(window.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert "removing" not in banner_says(window) and "Priya Raman" in banner_says(window)
    assert "stays on the register" in window.statusBar().currentMessage()
    assert removing in window.statusBar().currentMessage()
    click(qtbot, window, "Try again")
    qtbot.waitUntil(lambda: len(on_register(window)) == 3, timeout=5000)
    tasks.wait()
    assert sorted(on_register(window)) == ["600001", "600002", "600003"]  # the removal was never made


def test_dismiss_asks_naming_what_goes_and_one_entry_can_be_dropped_alone(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = registered(qtbot, workspace, tasks)
    with full_disk(workspace):
        scan(qtbot, "600002")
        scan(qtbot, "600003")
        tasks.wait()
        qtbot.waitUntil(lambda: "Priya Raman (600003)" in banner_says(window), timeout=5000)
    click(qtbot, window, "Dismiss")
    said = answer(qtbot, "Keep them")
    assert "Kwame Mensah (600002)" in said and "Priya Raman (600003)" in said and "not be saved" in said
    assert "Kwame Mensah (600002)" in banner_says(window)  # kept, as answered
    drops = [
        b for b in window.not_saved.findChildren(QPushButton) if b.accessibleName().endswith("Kwame Mensah (600002)")
    ]
    drop = next(b for b in drops if b.isVisible())
    assert drop.focusPolicy() != Qt.FocusPolicy.NoFocus
    drop.setFocus()
    qtbot.keyClick(drop, Qt.Key.Key_Space)
    said = answer(qtbot, "Drop without saving")
    assert "Kwame Mensah (600002)" in said and "Priya" not in said
    qtbot.waitUntil(lambda: "Kwame" not in banner_says(window), timeout=3000)
    assert "Priya Raman (600003)" in banner_says(window) and window.not_saved.isVisible()
