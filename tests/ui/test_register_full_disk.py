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
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.clicks import answer, click, open_dialog
from tests.ui.registers import open_register
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import roster
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


def on_register(window: RegisterWindow) -> list[str]:
    return [line.attendance.staff_number for line in window.lines]


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
        said = " ".join(label.text() for label in (banner.problem, banner.who, banner.advice))
        for person in PEOPLE[1:]:  # each named, with their number, not just "Not saved"
            assert f"{person.full_name} ({person.staff_number})" in banner.who.text(), said
        assert "disk is full or failing" in said and HINT in banner.advice.text(), said
        assert ".." not in said and banner.who.text().count("Jun Tanaka") == 1, said
        assert on_register(window) == ["600001"]
        # Not a line that goes: still there after the next scan is refused too, and after the status bar clears.
        window.statusBar().clearMessage()
        assert banner.isVisible() and "Jun Tanaka (600006)" in banner.who.text()
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
        assert "closing the session" in window.not_saved.who.text()
        assert window.commands["close"].isEnabled()  # still open: it was not closed
        free()
        click(qtbot, window, "Try again")
    qtbot.waitUntil(lambda: not window.commands["close"].isEnabled(), timeout=5000)
    assert not window.not_saved.isVisible()


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
