"""The start-up passphrase window on a computer with no keyring: a slip is explained and asked again, and only
Quit gives up.

The dialog is modal and blocks in `exec()` as it does at start-up, so a timer answers each one as it opens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

import keyring
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from tests.memory_keyring import MemoryKeyring, NoKeyring
from tests.ui.accessibility import unnamed_interactive_widgets
from trainer_desk.__main__ import main
from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster
from trainer_desk.store.connection import is_plaintext
from trainer_desk.ui.passphrase_dialog import PassphraseDialog, ask_in_window
from trainer_desk.workspace import open_workspace

GOOD = "correct horse battery"
Step = Callable[[PassphraseDialog], None]


@pytest.fixture(autouse=True)
def no_keyring(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch) -> None:
    keyring.set_keyring(NoKeyring())  # the memory keyring fixture puts its own back afterwards
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "tests.memory_keyring.NoKeyring")  # and the window's children


@contextmanager
def answering(*steps: Step) -> Iterator[None]:
    """Run one step in each passphrase dialog as it opens. A step that fails cancels its dialog, so the test
    ends with the step's own error instead of waiting on a window nobody answers."""
    waiting = list(steps)
    failures: list[BaseException] = []

    def _on_timer_timeout() -> None:
        for widget in QApplication.allWidgets():  # asked over the main window, or on its own
            if isinstance(widget, PassphraseDialog) and widget.isVisible() and not widget.property("answered"):
                widget.setProperty("answered", True)
                try:
                    waiting.pop(0)(widget)
                except BaseException as error:
                    failures.append(error)
                    widget.reject()

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(_on_timer_timeout)
    timer.start()
    try:
        yield
    finally:
        timer.stop()
        if failures:
            raise failures[0]
    assert not waiting, f"{len(waiting)} passphrase window(s) expected but never shown"


def fields(dialog: PassphraseDialog) -> list[QLineEdit]:
    return [f for f in dialog.findChildren(QLineEdit) if f.isVisibleTo(dialog)]


def words_shown(dialog: PassphraseDialog) -> str:
    return " ".join(label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog))


def problem_shown(dialog: PassphraseDialog) -> str:
    return next(label.text() for label in dialog.findChildren(QLabel) if label.accessibleName() == "Problem")


def type_in(qtbot: QtBot, dialog: PassphraseDialog, *texts: str) -> None:
    """Type into the fields in order, as a person would, then press Enter in the last one."""
    for field, text in zip(fields(dialog), texts, strict=True):
        field.clear()
        qtbot.keyClicks(field, text)
    qtbot.keyClick(fields(dialog)[-1], Qt.Key.Key_Return)


def choose(qtbot: QtBot, passphrase: str) -> Step:
    return lambda dialog: type_in(qtbot, dialog, passphrase, passphrase)


def enter(qtbot: QtBot, passphrase: str, expected_problem: str = "") -> Step:
    def step(dialog: PassphraseDialog) -> None:
        assert len(fields(dialog)) == 1
        assert expected_problem in problem_shown(dialog)
        type_in(qtbot, dialog, passphrase)

    return step


def quit_dialog(qtbot: QtBot) -> Step:
    def step(dialog: PassphraseDialog) -> None:
        button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert button.text() == "Quit"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    return step


def test_choosing_a_passphrase_explains_each_slip_in_the_same_window(qtbot: QtBot, paths: AppPaths) -> None:
    def slips_then_good(dialog: PassphraseDialog) -> None:
        assert "cannot be recovered" in words_shown(dialog)
        assert len(fields(dialog)) == 2
        assert all(f.echoMode() == QLineEdit.EchoMode.Password for f in fields(dialog))
        assert unnamed_interactive_widgets(dialog) == []
        assert problem_shown(dialog) == ""

        type_in(qtbot, dialog, "short", "short")
        assert dialog.isVisible()
        assert problem_shown(dialog) == "Too short: use at least 10 characters."
        assert [f.text() for f in fields(dialog)] == ["", ""]  # ready to type both again

        type_in(qtbot, dialog, "1234567890", "1234567890")  # long enough, and the first a thief would try
        assert dialog.isVisible()
        assert problem_shown(dialog) == (
            "That is one of the most commonly used passwords, which are tried first: choose another."
        )

        type_in(qtbot, dialog, GOOD, GOOD + "!")
        assert dialog.isVisible()
        assert problem_shown(dialog) == "The two passphrases did not match: type them again."

        type_in(qtbot, dialog, GOOD, GOOD)

    with answering(slips_then_good):
        workspace = open_workspace(paths, ask_passphrase=ask_in_window)
    assert roster.count_people(workspace.db) == 260
    workspace.close()
    assert not is_plaintext(paths.database)


def test_a_wrong_passphrase_is_asked_again_with_the_reason(qtbot: QtBot, paths: AppPaths) -> None:
    with answering(choose(qtbot, GOOD)):
        open_workspace(paths, ask_passphrase=ask_in_window).close()

    def empty_then_wrong(dialog: PassphraseDialog) -> None:
        assert "cannot be recovered" not in words_shown(dialog)
        assert unnamed_interactive_widgets(dialog) == []
        type_in(qtbot, dialog, "")
        assert dialog.isVisible()
        assert problem_shown(dialog) == "Type the passphrase first."
        type_in(qtbot, dialog, "wrong horse battery")

    with answering(
        empty_then_wrong,
        enter(qtbot, "still the wrong one", "That passphrase does not open the data: try again."),
        enter(qtbot, GOOD, "That passphrase does not open the data: try again."),
    ):
        workspace = open_workspace(paths, ask_passphrase=ask_in_window)
    assert roster.count_people(workspace.db) == 260
    workspace.close()


def test_quit_gives_up_with_a_plain_message_and_changes_nothing(qtbot: QtBot, paths: AppPaths) -> None:
    with answering(quit_dialog(qtbot)), pytest.raises(UserFacingError, match="A passphrase is needed"):
        open_workspace(paths, ask_passphrase=ask_in_window)
    assert not paths.database.exists()

    with answering(choose(qtbot, GOOD)):
        open_workspace(paths, ask_passphrase=ask_in_window).close()
    before = paths.database.read_bytes()
    with (
        answering(enter(qtbot, "wrong horse battery"), quit_dialog(qtbot)),
        pytest.raises(UserFacingError, match="A passphrase is needed"),
    ):
        open_workspace(paths, ask_passphrase=ask_in_window)
    assert paths.database.read_bytes() == before


def test_the_passphrase_still_opens_the_data_once_a_keyring_appears(
    qtbot: QtBot, paths: AppPaths, memory_keyring: MemoryKeyring
) -> None:
    with answering(choose(qtbot, GOOD)):
        open_workspace(paths, ask_passphrase=ask_in_window).close()
    keyring.set_keyring(memory_keyring)
    with answering(enter(qtbot, "wrong horse battery"), enter(qtbot, GOOD, "does not open the data")):
        workspace = open_workspace(paths, ask_passphrase=ask_in_window)
    assert roster.count_people(workspace.db) == 260
    workspace.close()
    assert memory_keyring.secrets == {}


def test_the_app_shows_its_window_first_and_asks_for_the_passphrase_over_it(
    qtbot: QtBot, paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    over: list[str] = []

    def over_the_window(dialog: PassphraseDialog) -> None:
        parent = dialog.parentWidget()
        over.append(parent.windowTitle() if parent is not None and parent.isVisible() else "nothing")
        type_in(qtbot, dialog, GOOD, GOOD)

    with answering(over_the_window):
        assert main(["--data-dir", str(paths.data_dir), "--exit-after", "0.3"]) == 0
    assert over == ["Trainer Desk"]  # the main window, already on screen with its lesson plans
    said = capsys.readouterr().out
    assert said.index("Trainer Desk window is shown") < said.index("Trainer Desk is ready")
    assert not is_plaintext(paths.database)


def test_an_installation_check_on_a_computer_without_a_keyring_ends_by_itself(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--exit-after` checks that an installation starts; with no keyring and nobody at the keyboard, the
    passphrase question is withdrawn after the delay, and the check ends saying why, instead of waiting."""
    assert main(["--data-dir", str(paths.data_dir), "--exit-after", "0.3"]) == 1
    said = capsys.readouterr()
    assert "Trainer Desk window is shown" in said.out
    assert "A passphrase is needed to open Trainer Desk's data on this computer" in said.err
    assert not paths.database.exists()  # nothing was made without the passphrase
