"""The disk fills while a trainer records: nothing is lost without a word. Each write that fails is named on the
register, with what to do, and stays named until it is saved (one press once space is freed); the room is told
only to tell the trainer.

The disk is filled as a full disk behaves for this process: no file may grow past the size its database files
have now (`RLIMIT_FSIZE`), so each write SQLite makes fails with "disk I/O error"; freeing space lifts the limit.
"""

from __future__ import annotations

import resource
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click, open_dialog
from tests.ui.registers import open_register
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import roster
from trainer_desk.ui.feedback_window import FeedbackWindow
from trainer_desk.ui.paper_forms_dialog import PaperFormsDialog
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

PEOPLE = [
    Person("600001", "Aoife", "Byrne", "NORTH", PersonRole.OFFICER),
    Person("600002", "Kwame", "Mensah", "NORTH", PersonRole.OFFICER),
    Person("600003", "Priya", "Raman", "NORTH", PersonRole.STAFF),
    Person("600004", "Tomasz", "Nowak", "NORTH", PersonRole.OFFICER),
    Person("600005", "Eilidh", "MacLeod", "NORTH", PersonRole.STAFF),
    Person("600006", "Jun", "Tanaka", "NORTH", PersonRole.OFFICER),
]
ROOM_TOLD = "Not saved. Please see the trainer."  # the room's one sentence, wherever it gave something
HINT = "Free some space on this computer's disk and try again."


@contextmanager
def full_disk(workspace: Workspace) -> Iterator[Callable[[], None]]:
    """The disk full from here on; the function it gives frees space. Always freed when the block ends."""
    workspace.writer.execute("SELECT 1")  # the writer's connection is open before the disk fills, as in the app
    database = workspace.paths.database
    sizes = [f.stat().st_size for f in database.parent.glob(f"{database.name}*") if f.stat().st_size]
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    ignored = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write that would grow a file fails, as on a full disk

    def free() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))

    resource.setrlimit(resource.RLIMIT_FSIZE, (min(sizes), hard))
    try:
        yield free
    finally:
        free()
        signal.signal(signal.SIGXFSZ, ignored)


def scan(qtbot: QtBot, number: str) -> None:
    typing_in = QApplication.focusWidget()
    assert typing_in is not None
    qtbot.keyClicks(typing_in, number)
    qtbot.keyClick(typing_in, Qt.Key.Key_Return)


def banner_says(window: RegisterWindow) -> str:
    """Every line the banner shows, as the trainer reads them."""
    return " ".join(label.text() for label in window.not_saved.findChildren(QLabel) if label.isVisible())


def on_register(window: RegisterWindow) -> list[str]:
    return [line.attendance.staff_number for line in window.lines]


def choose_pin(qtbot: QtBot, pin: str) -> None:
    prompt = open_dialog(qtbot)
    qtbot.keyClicks(prompt.findChild(QLineEdit), pin)
    qtbot.keyClick(prompt.findChild(QLineEdit), Qt.Key.Key_Return)


def open_feedback_not_saved(qtbot: QtBot, window: RegisterWindow, workspace: Workspace) -> FeedbackWindow:
    """The room ticks Yes and presses Send on a full disk; space is freed after."""
    click(qtbot, window, "Feedback form…")
    choose_pin(qtbot, "8642")
    qtbot.waitUntil(lambda: window.feedback_form is not None and window.feedback_form.isVisible(), timeout=3000)
    form = window.feedback_form
    assert form is not None
    qtbot.mouseClick(form.yes, Qt.MouseButton.LeftButton)
    with full_disk(workspace):
        qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: form.message.text().startswith("Not saved"), timeout=5000)
    assert "feedback form" in banner_says(window)
    return form


def test_people_scanned_while_the_disk_is_full_are_named_until_saved_and_added_once_space_is_freed(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    roster.upsert_people(workspace.db, PEOPLE)
    window = open_register(qtbot, workspace, tasks)
    window.search.setFocus()
    scan(qtbot, "600001")
    qtbot.waitUntil(lambda: on_register(window) == ["600001"], timeout=5000)

    with full_disk(workspace) as free:
        for person in PEOPLE[1:]:
            scan(qtbot, person.staff_number)
        scan(qtbot, "600006")  # a card scanned twice is one person not saved
        tasks.wait()
        qtbot.waitUntil(window.not_saved.isVisible, timeout=5000)
        banner = window.not_saved
        said = banner_says(window)
        for person in PEOPLE[1:]:  # each named, with their number, not just "Not saved"
            assert f"{person.full_name} ({person.staff_number})" in said, said
        assert "disk is full or failing" in said and HINT in banner.advice.text(), said
        assert ".." not in said and said.count("Jun Tanaka") == 1, said
        assert on_register(window) == ["600001"]
        # Not a line that goes: still there after the next scan is refused too, and after the status bar clears.
        window.statusBar().clearMessage()
        assert banner.isVisible() and "Jun Tanaka (600006)" in banner_says(window)
        assert banner.try_again.accessibleName() and banner.try_again.focusPolicy() != Qt.FocusPolicy.NoFocus

        free()
        click(qtbot, window, "Try again")
        qtbot.waitUntil(lambda: len(on_register(window)) == 6, timeout=5000)
    qtbot.waitUntil(lambda: not window.not_saved.isVisible(), timeout=5000)
    assert sorted(on_register(window)) == [person.staff_number for person in PEOPLE]


def test_closing_the_session_on_a_full_disk_says_so_and_closes_once_space_is_freed(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = open_register(qtbot, workspace, tasks)
    with full_disk(workspace) as free:
        click(qtbot, window, "Close session…")
        click(qtbot, open_dialog(qtbot), "Close session")
        qtbot.waitUntil(window.not_saved.isVisible, timeout=5000)
        assert "closing the session" in banner_says(window)
        assert window.commands["close"].isEnabled()  # still open: it was not closed
        free()
        click(qtbot, window, "Try again")
    qtbot.waitUntil(lambda: not window.commands["close"].isEnabled(), timeout=5000)
    assert not window.not_saved.isVisible()


def test_a_self_sign_in_not_saved_reaches_the_trainer_by_name(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    roster.upsert_people(workspace.db, PEOPLE)
    window = open_register(qtbot, workspace, tasks)
    click(qtbot, window, "Self sign-in…")
    choose_pin(qtbot, "2468")
    qtbot.waitUntil(lambda: window.kiosk is not None and window.kiosk.isVisible(), timeout=3000)
    kiosk = window.kiosk
    assert kiosk is not None
    with full_disk(workspace) as free:
        qtbot.keyClicks(kiosk.entry, "600002")
        qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: kiosk.reply.text() == ROOM_TOLD, timeout=5000)
        assert "Kwame Mensah (600002)" in banner_says(window)  # waiting for the trainer behind the kiosk
        kiosk.force_close()  # the trainer is back at the register
        assert window.not_saved.isVisible() and HINT in window.not_saved.advice.text()
        free()
        click(qtbot, window, "Try again")
    qtbot.waitUntil(lambda: on_register(window) == ["600002"], timeout=5000)


def test_the_feedback_form_tells_the_room_only_to_tell_the_trainer(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = open_register(qtbot, workspace, tasks)
    form = open_feedback_not_saved(qtbot, window, workspace)
    assert form.message.text() == ROOM_TOLD  # the words self sign-in says
    assert form.yes.isChecked()  # their answers stay, to send again
    assert window.not_saved.isVisible() and "feedback form" in banner_says(window)
    assert HINT in window.not_saved.advice.text()
    form.force_close()


def test_paper_forms_not_saved_on_a_full_disk_say_why_once_and_keep_the_rows(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    window = open_register(qtbot, workspace, tasks)
    click(qtbot, window, "Paper forms…")
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, PaperFormsDialog)
    qtbot.waitUntil(lambda: dialog.table.hasFocus(), timeout=3000)
    for key in (Qt.Key.Key_Y, Qt.Key.Key_Return):  # form 1: yes
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, key)
        QApplication.processEvents()  # as between a person's keystrokes
    with full_disk(workspace):
        click(qtbot, dialog, "Save the forms (Ctrl+S)")
        qtbot.waitUntil(lambda: dialog.message.text().startswith("Not saved"), timeout=5000)
    assert dialog.message.text() == (
        "Not saved: the disk is full or failing (disk I/O error). Free some space on this computer's disk and try "
        "again. Everything saved before is safe; do not restore a backup. The rows are still here."
    )
    assert dialog.table.item(0, 0) is not None and dialog.table.item(0, 0).text() == "y"  # type: ignore[union-attr]


def test_closing_the_register_with_people_not_saved_names_them_first(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    roster.upsert_people(workspace.db, PEOPLE)
    window = open_register(qtbot, workspace, tasks)
    window.search.setFocus()
    with full_disk(workspace):
        scan(qtbot, "600002")
        qtbot.waitUntil(window.not_saved.isVisible, timeout=5000)
    handle = window.windowHandle()
    assert handle is not None
    QApplication.sendEvent(handle, QCloseEvent())  # the window's close button, as the window system sends it
    said = answer(qtbot, "Keep it open")
    assert "Not saved on the register: Kwame Mensah (600002)." in said
    assert window.isVisible() and window.not_saved.isVisible()
