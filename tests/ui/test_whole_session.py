"""A trainer's whole session, as they do it: the app started through `main()` on a new data folder, then only
clicks and keys, from the plan library to the exported attendance sheet and quitting. And a laptop that dies
mid-session: the next start resumes to exactly one presenter and one audience screen."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import keyring
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QLineEdit, QListWidget, QWidget
from pytestqt.qtbot import QtBot

from tests.file_keyring import FILE_ENV, FileKeyring
from tests.ui.clicks import answer, button, click, open_dialog
from tests.ui.films import play_film
from trainer_desk.__main__ import main
from trainer_desk.core.people import fold_name
from trainer_desk.store import roster
from trainer_desk.ui.audience_window import AudienceWindow
from trainer_desk.ui.main_window import MainWindow
from trainer_desk.ui.presenter_window import PresenterWindow
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.reports_panel import ReportsPanel
from trainer_desk.ui.sessions_panel import SessionsPanel

HERE = Path(__file__).parent


def run_app(qtbot: QtBot, data: Path, script: Callable[[MainWindow], None]) -> None:
    """Start the app with `main()` and run `script` against its window as a person would; the script ends by
    quitting. Whatever it raised is raised here, once the app has closed."""
    failures: list[BaseException] = []

    def drive() -> None:
        try:
            qtbot.waitUntil(lambda: bool(visible(MainWindow)), timeout=5000)
            window = visible(MainWindow)[0]  # this run's: an earlier test's closed window may still exist
            assert isinstance(window, MainWindow)
            script(window)
        except BaseException as error:
            failures.append(error)
        finally:
            QApplication.closeAllWindows()  # whatever is still open, so main() returns

    QTimer.singleShot(200, drive)
    assert main(["--data-dir", str(data)]) == 0
    if failures:
        raise failures[0]
    assert not [w for w in QApplication.topLevelWidgets() if w.isVisible()], "a window was left open"


def visible(kind: type[QWidget]) -> list[QWidget]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def pick(qtbot: QtBot, listing: QListWidget, text: str) -> None:
    item = next(listing.item(i) for i in range(listing.count()) if listing.item(i).text().startswith(text))
    qtbot.mouseClick(listing.viewport(), Qt.MouseButton.LeftButton, pos=listing.visualItemRect(item).center())
    assert listing.currentItem() is item


def type_into_dialog(qtbot: QtBot, text: str) -> None:
    entry = open_dialog(qtbot).findChild(QLineEdit)
    assert entry is not None
    qtbot.keyClicks(entry, text)
    qtbot.keyClick(entry, Qt.Key.Key_Return)


def test_a_whole_session_by_clicks_and_keys(qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data, home = tmp_path / "data", tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))  # where the save dialog suggests the sheet goes
    seen: dict[str, object] = {}

    def day(window: MainWindow) -> None:
        plans = window.current_panel()
        pick(qtbot, plans.list, "Signa")  # type: ignore[attr-defined]
        # Greyed out until the database is open (the keyring is asked for its key first), as the trainer sees.
        qtbot.waitUntil(lambda: button(plans, "Start a session…").isEnabled(), timeout=20000)
        click(qtbot, plans, "Start a session…")
        dialog = open_dialog(qtbot)
        qtbot.keyClicks(dialog.venue, "Training room 2")  # type: ignore[attr-defined]
        qtbot.keyClicks(dialog.trainers.search, "s123280")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.trainers.search, Qt.Key.Key_Return)  # type: ignore[attr-defined]
        click(qtbot, dialog, "Start")
        qtbot.waitUntil(lambda: bool(visible(PresenterWindow)), timeout=5000)
        presenter = visible(PresenterWindow)[0]
        assert isinstance(presenter, PresenterWindow)
        presenter.activateWindow()
        qtbot.waitUntil(presenter.isActiveWindow)
        assert len(visible(AudienceWindow)) == 1

        sections = presenter.presentation.plan.sections
        assert presenter.presentation.plan.duration_minutes == 60
        for number in range(1, len(sections)):
            qtbot.keyClick(presenter, Qt.Key.Key_Right)
            assert f"{number + 1}. {sections[number].title}" in presenter.heading.text()
            if sections[number].video is not None and "played" not in seen:
                play_film(qtbot, presenter)
                qtbot.waitUntil(lambda: presenter.video_controls.seek.value() > 500, timeout=15000)
                qtbot.keyClick(presenter, Qt.Key.Key_K)
                seen["played"] = True
        assert seen.get("played"), "the plan's film was played"
        qtbot.keyClick(presenter, Qt.Key.Key_F)
        qtbot.keyClicks(presenter.faq.search, "what counts as banter")
        assert presenter.faq.shown_questions(), "the FAQ answers a question as people ask it"
        qtbot.keyClick(presenter.faq.search, Qt.Key.Key_Escape)

        click(qtbot, presenter, "Register")
        qtbot.waitUntil(lambda: bool(visible(RegisterWindow)), timeout=5000)
        register = visible(RegisterWindow)[0]
        assert isinstance(register, RegisterWindow)
        register.activateWindow()
        qtbot.waitUntil(register.isActiveWindow)
        db = register.workspace.db
        people = [
            p
            for (number,) in db.execute("SELECT staff_number FROM people ORDER BY staff_number LIMIT 40")
            if (p := roster.get_person(db, number))
        ]
        for person in people[:4]:  # by name: the full name finds one person, and Enter adds them
            qtbot.keyClicks(register.search, fold_name(person.full_name))
            if register.results.count() > 1:
                qtbot.keyClick(register.search, Qt.Key.Key_Down)
                while register.results.currentItem().data(Qt.ItemDataRole.UserRole) != person:
                    qtbot.keyClick(register.results, Qt.Key.Key_Down)
                qtbot.keyClick(register.results, Qt.Key.Key_Return)
            else:
                qtbot.keyClick(register.search, Qt.Key.Key_Return)
            register.search.setFocus()
        for person in people[4:8]:  # by scan: the number and Enter
            qtbot.keyClicks(register.search, person.staff_number)
            qtbot.keyClick(register.search, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(register.lines) == 8, timeout=5000)
        click(qtbot, register, "Add a walk-in…")
        walk_in = open_dialog(qtbot)
        qtbot.keyClicks(walk_in.number, "W90001")  # type: ignore[attr-defined]
        qtbot.keyClicks(walk_in.forename, "Sian")  # type: ignore[attr-defined]  # QTest types ASCII only
        qtbot.keyClicks(walk_in.surname, "Evans")  # type: ignore[attr-defined]
        qtbot.keyClick(walk_in.unit, Qt.Key.Key_Down)  # type: ignore[attr-defined]  # a unit, from the keyboard
        qtbot.keyClick(walk_in, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: len(register.lines) == 9, timeout=5000)
        click(qtbot, register, "Self sign-in…")
        type_into_dialog(qtbot, "2468")
        qtbot.waitUntil(lambda: register.kiosk is not None and register.kiosk.isVisible(), timeout=3000)
        kiosk = register.kiosk
        assert kiosk is not None
        qtbot.keyClicks(kiosk.entry, people[8].staff_number)
        qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: kiosk.reply.text().startswith("Welcome"), timeout=5000)
        qtbot.keyClick(kiosk, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # the room cannot quit the app
        qtbot.wait(200)
        assert kiosk.isVisible() and QApplication.activeModalWidget() is None
        qtbot.keyClick(kiosk, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        pin = open_dialog(qtbot)  # nor from the PIN question over it
        qtbot.keyClick(pin, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        qtbot.wait(200)
        assert QApplication.activeModalWidget() is pin
        type_into_dialog(qtbot, "2468")
        qtbot.waitUntil(lambda: not kiosk.isVisible(), timeout=3000)
        qtbot.waitUntil(lambda: len(register.lines) == 10, timeout=5000)
        assert register.totals.text().startswith("10 on the register")

        click(qtbot, register, "Feedback form…")
        type_into_dialog(qtbot, "1357")
        qtbot.waitUntil(lambda: register.feedback_form is not None and register.feedback_form.isVisible())
        form = register.feedback_form
        assert form is not None
        for count, (choice, before, after) in enumerate(
            ((form.yes, "2", "4"), (form.yes, "3", "5"), (form.no, "", "")), 1
        ):
            qtbot.mouseClick(choice, Qt.MouseButton.LeftButton)
            if before:
                qtbot.keyClicks(form.scores[0][1], before)
                qtbot.keyClicks(form.scores[0][2], after)
            qtbot.mouseClick(form.send, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda n=count: form.count == n, timeout=5000)
        qtbot.keyClick(form, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
        type_into_dialog(qtbot, "1357")
        qtbot.waitUntil(lambda: not form.isVisible(), timeout=3000)

        presenter.activateWindow()
        qtbot.waitUntil(presenter.isActiveWindow)
        click(qtbot, presenter, "End session")
        answer(qtbot, "End session")
        qtbot.waitUntil(lambda: not visible(PresenterWindow) and not visible(AudienceWindow), timeout=5000)
        register.activateWindow()
        click(qtbot, register, "Close session…")
        checklist = answer(qtbot, "Close session")
        assert "Register: 10 attendees" in checklist and "Feedback: 3 forms" in checklist
        qtbot.waitUntil(lambda: "Closed" in register.heading.text(), timeout=5000)
        seen["names"] = [line.name for line in register.lines]
        register.close()

        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_4, Qt.KeyboardModifier.ControlModifier)  # Go > Reports
        reports = window.current_panel()
        assert reports.accessibleName() == "Reports"
        click(qtbot, reports, "Export…")
        chooser = open_dialog(qtbot)
        assert isinstance(chooser, QFileDialog)
        click(qtbot, chooser, "Save")  # the suggested name, in the home folder
        qtbot.waitUntil(lambda: "saved" in reports.explanation.text().lower(), timeout=15000)
        seen["sheet"] = next(home.glob("*.pdf"))
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)

    run_app(qtbot, data, day)
    sheet = seen["sheet"]
    assert isinstance(sheet, Path)
    text = " ".join(page.extract_text() for page in PdfReader(sheet).pages)
    names = seen["names"]
    assert isinstance(names, list) and len(names) == 10
    for plain in (n for n in names if n.isascii()):
        assert plain in text


def a_laptop_that_died_at_section_4(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The data folder of an app killed while it delivered section 4 of a session."""
    data, ring = tmp_path / "data", tmp_path / "keyring.json"
    monkeypatch.setenv(FILE_ENV, str(ring))  # the child's database key, for this process to open it after
    keyring.set_keyring(FileKeyring())
    child = subprocess.Popen(
        [sys.executable, str(HERE / "session_until_killed.py"), str(data)],
        stdout=subprocess.PIPE,
        text=True,
        env={
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHON_KEYRING_BACKEND": "tests.file_keyring.FileKeyring",
            "PYTHONPATH": str(HERE.parent.parent),
        },
    )
    try:
        assert child.stdout is not None
        # A bound: a child that never gets there fails this test with what it said, not the whole run.
        ready, _, _ = select.select([child.stdout], [], [], 60)
        said = child.stdout.readline().strip() if ready else "nothing within 60 s"
    finally:
        child.send_signal(signal.SIGKILL)  # the battery dies
        child.wait(timeout=30)
        if child.stdout is not None:
            child.stdout.close()
    assert said == "delivering section 4", f"the app said {said!r}; its messages are in the test's output"
    return data


def test_a_laptop_that_dies_mid_session_resumes_to_one_presenter(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = a_laptop_that_died_at_section_4(tmp_path, monkeypatch)

    def resume(window: MainWindow) -> None:
        assert "stopped at section 4" in answer(qtbot, "Resume")
        qtbot.waitUntil(lambda: bool(visible(PresenterWindow)), timeout=5000)
        qtbot.wait(300)
        assert len(visible(PresenterWindow)) == 1 and len(visible(AudienceWindow)) == 1
        presenter = visible(PresenterWindow)[0]
        assert isinstance(presenter, PresenterWindow) and presenter.presentation.index == 3
        presenter.activateWindow()
        qtbot.waitUntil(presenter.isActiveWindow)
        qtbot.keyClick(presenter, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # from where the trainer is
        assert "A session is being presented" in answer(qtbot, "Quit")  # quitting closes them too

    run_app(qtbot, data, resume)


def test_a_session_not_resumed_at_start_is_resumed_later_from_sessions(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "Not now" at start-up, then the trainer is ready: the session's line says where it is, and its button
    takes the projector back to section 4, once."""
    data = a_laptop_that_died_at_section_4(tmp_path, monkeypatch)
    died = datetime.now(UTC)

    def later(window: MainWindow) -> None:
        assert "Resume delivery in Sessions" in answer(qtbot, "Not now")
        window.navigation.setCurrentRow(1)
        panel = window.current_panel()
        assert isinstance(panel, SessionsPanel)
        qtbot.waitUntil(lambda: panel.list.count() == 1, timeout=5000)
        assert panel.list.item(0).text().endswith("delivery stopped part-way")
        window.navigation.setCurrentRow(3)  # Reports names it as Sessions does, not "running"
        reports = window.current_panel()
        assert isinstance(reports, ReportsPanel)
        assert reports.session.itemText(0).endswith("delivery stopped part-way")
        window.navigation.setCurrentRow(1)
        assert not visible(PresenterWindow)
        click(qtbot, panel, "Resume delivery…")
        qtbot.waitUntil(lambda: bool(visible(PresenterWindow)), timeout=5000)
        presenter = visible(PresenterWindow)[0]
        assert isinstance(presenter, PresenterWindow) and presenter.presentation.index == 3
        qtbot.waitUntil(lambda: panel.list.item(0).text().endswith("running"), timeout=5000)
        assert button(panel, "Start this session…").isEnabled() is False  # not a second presenter
        qtbot.wait(300)
        assert len(visible(PresenterWindow)) == 1 and len(visible(AudienceWindow)) == 1
        qtbot.keyClick(presenter, Qt.Key.Key_P)  # the clock goes on
        assert window.workspace is not None
        db = window.workspace.db
        qtbot.waitUntil(lambda: db.execute("SELECT count(*) FROM section_timings").fetchone()[0] == 5)
        # The section the laptop died in ends where it was last saved: the time away is not sent as teaching.
        timed = db.execute("SELECT started_at, ended_at FROM section_timings ORDER BY started_at").fetchall()
        assert [datetime.fromisoformat(ended) <= died for _, ended in timed[:4]] == [True] * 4, (timed, died)
        assert timed[4][1] is None and datetime.fromisoformat(timed[4][0]) > died  # resumed: a row of its own

        click(qtbot, presenter, "End session")
        answer(qtbot, "End session")
        qtbot.waitUntil(lambda: panel.list.item(0).text().endswith("delivered, register open"), timeout=5000)
        assert not button(panel, "Start this session…").isEnabled()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # nothing presented: no question

    run_app(qtbot, data, later)
