"""Names from every culture in the register, as a trainer meets them: drawn in letters, not boxes, on a laptop
with no Chinese font of its own; found when typed whole; answered as names when no one has them; and greeted
at self sign-in in a form that reads well whatever the name."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QTextLayout
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from tests.ui.clicks import click, open_dialog, type_through_input_method
from tests.ui.registers import open_register
from tests.ui.test_keyboard_reach import new_session
from trainer_desk.app import build_main_window
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.plan_library import load_library
from trainer_desk.paths import bundled
from trainer_desk.store import roster, sessions
from trainer_desk.ui.kiosk_window import KioskWindow
from trainer_desk.ui.register_window import RegisterWindow
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.ui.walk_in_dialog import WalkInDialog
from trainer_desk.workspace import Workspace

LIBRARY = load_library(bundled("lesson_plans"))
PLAN = LIBRARY.get("signa-core")
WANG = Person("S900001", "\u5c0f\u660e", "\u738b", "NORTH", PersonRole.STAFF)  # 王小明: surname 王, forename 小明
LI = Person("S900002", "\u5c0f\u660e", "\u674e", "NORTH", PersonRole.STAFF)  # the same forename, surname 李
KIM = Person("S900003", "\ubbfc\uc900", "\uae40", "NORTH", PersonRole.STAFF)  # 김민준: surname 김, forename 민준
AMIN = Person("S900004", "Layla", "al-Amin", "NORTH", PersonRole.STAFF)


@pytest.fixture
def register(qtbot: QtBot, workspace: Workspace, tasks: TaskRunner) -> RegisterWindow:
    roster.upsert_people(workspace.db, [WANG, LI, KIM, AMIN])
    return open_register(qtbot, workspace, tasks)


def found(window: RegisterWindow) -> list[str]:
    return [window.results.item(row).text() for row in range(window.results.count())]


def drawn_as_boxes(text: str, font: QFont) -> list[str]:
    """The characters of `text` that would be drawn in `font`, with every fallback Qt finds, as an empty box:
    those no font drawing the text has, and any drawn with a font's 'missing' glyph (number 0)."""
    layout = QTextLayout(text, font)
    layout.beginLayout()
    layout.createLine().setLineWidth(1_000_000)  # all of it on one line
    layout.endLayout()
    runs = layout.glyphRuns()
    missing = [ch for ch in text if not ch.isspace() and not any(r.rawFont().supportsCharacter(ord(ch)) for r in runs)]
    return missing + ["(missing glyph)" for r in runs for glyph in r.glyphIndexes() if glyph == 0]


def choose_pin(qtbot: QtBot, pin: str) -> None:
    prompt = open_dialog(qtbot)
    qtbot.keyClicks(prompt.findChild(QLineEdit), pin)
    qtbot.keyClick(prompt.findChild(QLineEdit), Qt.Key.Key_Return)


def open_self_sign_in(qtbot: QtBot, register: RegisterWindow) -> KioskWindow:
    click(qtbot, register, "Self sign-in…")
    choose_pin(qtbot, "2468")
    qtbot.waitUntil(lambda: register.kiosk is not None and register.kiosk.isVisible(), timeout=3000)
    assert register.kiosk is not None
    return register.kiosk


def sign_in(qtbot: QtBot, kiosk: KioskWindow, number: str) -> str:
    kiosk.reply.clear()
    qtbot.keyClicks(kiosk.entry, number)
    qtbot.keyClick(kiosk.entry, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.reply.text() != "", timeout=5000)
    return kiosk.reply.text()


def test_a_chinese_name_is_drawn_in_letters_not_boxes_on_a_laptop_without_a_chinese_font(
    qtbot: QtBot, workspace: Workspace, tasks: TaskRunner
) -> None:
    """This machine has only DejaVu fonts, which have no Chinese: the name is drawn with the font we ship."""
    roster.upsert_people(workspace.db, [WANG])
    assert PLAN is not None
    session = new_session(PLAN)
    sessions.create_session(workspace.db, session, session.starts_at)
    main = build_main_window(workspace, tasks)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    areas = main.navigation
    sessions_area = areas.findItems("Sessions", Qt.MatchFlag.MatchExactly)[0]
    qtbot.mouseClick(areas.viewport(), Qt.MouseButton.LeftButton, pos=areas.visualItemRect(sessions_area).center())
    assert main.current_panel().accessibleName() == "Sessions"
    click(qtbot, main.current_panel(), "Register and feedback…")
    assert main.launcher is not None
    register = main.launcher.registers[session.uuid]
    qtbot.waitUntil(register.isActiveWindow)

    type_through_input_method(register.search, WANG.surname)
    qtbot.waitUntil(lambda: len(found(register)) == 1)
    assert drawn_as_boxes(found(register)[0], register.results.font()) == []
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: register.table.rowCount() == 1, timeout=5000)
    name = register.table.item(0, 1)
    assert name is not None and name.text() == WANG.full_name
    assert drawn_as_boxes(name.text(), register.table.font()) == []

    kiosk = open_self_sign_in(qtbot, register)
    reply = sign_in(qtbot, kiosk, WANG.staff_number)
    assert WANG.forename in reply
    assert drawn_as_boxes(reply, kiosk.reply.font()) == []
    kiosk.force_close()
    register.close()
    main.close()


@pytest.mark.parametrize(
    ("typed", "person"),
    [("\u738b\u5c0f\u660e", WANG), ("\u5c0f\u660e\u738b", WANG), ("\uae40\ubbfc\uc900", KIM)],
    ids=["chinese-surname-first", "chinese-forename-first", "korean"],
)
def test_a_name_written_without_spaces_is_found_when_typed_whole(
    qtbot: QtBot, register: RegisterWindow, typed: str, person: Person
) -> None:
    type_through_input_method(register.search, typed)
    assert register.search.text() == typed
    qtbot.waitUntil(lambda: len(found(register)) == 1)
    assert found(register)[0] == f"{person.full_name} · {person.staff_number} · North"  # not 李小明 too; the unit named
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=5000)
    assert register.lines[0].attendance.staff_number == person.staff_number


@pytest.mark.parametrize("typed", ["Smithe", "\u674e\u56db"], ids=["english", "chinese"])
def test_a_name_no_one_has_is_answered_as_a_name(qtbot: QtBot, register: RegisterWindow, typed: str) -> None:
    if typed.isascii():
        qtbot.keyClicks(register.search, typed)
    else:
        type_through_input_method(register.search, typed)
    assert found(register) == []
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    assert register.notice.text() == f"No one called {typed} was found on the roster. Add them as a walk-in?"
    click(qtbot, register, "Add a walk-in…")  # the name is carried into the form, to check, not to type again
    dialog = open_dialog(qtbot)
    assert isinstance(dialog, WalkInDialog)
    assert (dialog.number.text(), dialog.forename.text(), dialog.surname.text()) == ("", "", typed)
    dialog.reject()
    register.search.clear()
    qtbot.keyClicks(register.search, "x99999")  # a number still is answered as one
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    assert register.notice.text() == "No one with staff number X99999 is on the roster. Add them as a walk-in?"
    assert register.notice.isVisible()
    assert register.lines == []
    register.search.setFocus()  # where the trainer is typing (the dialog closed offscreen gives no focus back)
    qtbot.keyClick(register.search, Qt.Key.Key_Escape)  # Escape starts again: the box and its question clear
    assert register.search.text() == "" and not register.notice.isVisible()
    assert register.search.hasFocus()


@pytest.mark.parametrize(
    ("person", "greeted", "registered"),
    [
        (WANG, "\u5c0f\u660e", "\u738b\u5c0f\u660e"),
        (KIM, "\ubbfc\uc900", "\uae40\ubbfc\uc900"),
        (AMIN, "Layla", "Layla al-Amin"),
    ],
    ids=["chinese", "korean", "arabic"],
)
def test_self_sign_in_greets_by_the_whole_forename(
    qtbot: QtBot, register: RegisterWindow, person: Person, greeted: str, registered: str
) -> None:
    """Not '小明 王.' nor 'Layla a.' (the 'a' of 'al-'): the forename alone, and never the full name to the room.
    The register writes the name as its owner does: 王小明, family name first, not '小明 王'."""
    kiosk = open_self_sign_in(qtbot, register)
    assert sign_in(qtbot, kiosk, person.staff_number) == f"Welcome, {greeted}. You're signed in."
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=5000)
    assert register.table.item(0, 1).text() == registered
    register.tasks.wait()
    assert sign_in(qtbot, kiosk, person.staff_number) == f"You're already signed in, {greeted}."
    kiosk.force_close()


def test_a_name_that_looks_like_markup_is_shown_as_written_on_the_sign_in_screen(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    """A roster forename "<img src=x>" was drawn on the room's sign-in screen as a broken picture: the reply
    took names as rich text. A name is shown as its letters."""
    odd = Person("S900020", "<img src=x>", "Odd", "NORTH", PersonRole.STAFF)
    roster.upsert_people(workspace.db, [odd])
    kiosk = open_self_sign_in(qtbot, register)
    assert sign_in(qtbot, kiosk, odd.staff_number) == "Welcome, <img src=x>. You're signed in."
    assert kiosk.reply.textFormat() == Qt.TextFormat.PlainText  # drawn as those letters, not as a picture
    kiosk.force_close()


def test_the_next_name_typed_after_a_search_that_found_several_is_a_new_search(
    qtbot: QtBot, register: RegisterWindow, workspace: Workspace
) -> None:
    """A trainer typed a name that several people have and pressed Enter, then, at speed, the next person's name
    and Enter. The keys had gone to the list of people found: the name was lost in it, and Enter added whoever
    the list had jumped to. Now the keys stay in the search, the next name replaces the last, and only the person
    named is added."""
    aoife = Person("S900011", "Aoife", "Ní Bhriain", "NORTH", PersonRole.STAFF)
    siobhan = Person("S900012", "Siobhán", "Ní Bhriain", "NORTH", PersonRole.STAFF)
    rhys = Person("S900010", "Rhys", "Pritchard", "NORTH", PersonRole.STAFF)
    roster.upsert_people(workspace.db, [aoife, siobhan, rhys])
    qtbot.keyClicks(register.search, "ni bhriain")
    several = len(found(register))
    assert several >= 2
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    assert (
        register.notice.text()
        == f"{several} people match “ni bhriain”: press Down to choose one, then Enter. Typing starts a new search."
    )
    typing_into = QApplication.focusWidget()
    qtbot.keyClicks(typing_into, "pritchard rh")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(register.lines) == 1, timeout=5000)
    assert [line.attendance.staff_number for line in register.lines] == ["S900010"]

    qtbot.keyClicks(register.search, "ni")  # in the list with Down, then on typing: the letters go on into the search
    qtbot.keyClick(register.search, Qt.Key.Key_Down)
    assert register.results.hasFocus()
    qtbot.keyClicks(register.results, " bhriain")
    assert register.search.text() == "ni bhriain" and register.search.hasFocus()
    assert len(register.lines) == 1  # nobody added by typing in the list
    qtbot.keyClick(register.search, Qt.Key.Key_Down)
    qtbot.keyClick(register.results, Qt.Key.Key_Up)  # from the first line, back up to the search
    assert register.search.hasFocus()
    qtbot.keyClick(register.search, Qt.Key.Key_Down)
    qtbot.keyClick(register.results, Qt.Key.Key_Escape)  # and Escape starts again
    assert register.search.text() == "" and register.search.hasFocus()
    qtbot.keyClicks(register.search, "ni bhriain")  # several, Enter: the search is chosen, to be typed over...
    qtbot.keyClick(register.search, Qt.Key.Key_Return)
    qtbot.keyClick(register.search, Qt.Key.Key_Down)  # ...but taken down into the list, typing narrows it
    qtbot.keyClicks(register.results, " s")
    assert register.search.text() == "ni bhriain s"
