"""Import roster… in the Roster view: the file is chosen, read and checked in the background, the summary
shown, and the roster replaced only once confirmed (with a plain warning when many would leave)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from tests.ui.accessibility import unnamed_interactive_widgets
from tests.ui.clicks import click, open_dialog
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.store import roster
from trainer_desk.ui.changes import Change, ChangeChannel
from trainer_desk.ui.roster_import_dialog import RosterImportDialog
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.ui.roster_problems_dialog import RosterProblemsDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace

PEOPLE = [
    Person("090001", "Małgorzata", "Wiśniewska", "NORTH", PersonRole.OFFICER),
    Person("090002", "Siôn", "ap Dafydd", "NORTH", PersonRole.STAFF),
    Person("090003", "Thị Hương", "Nguyễn", "EAST", PersonRole.OFFICER),
    Person("090004", "فاطمة", "الزهراء", "EAST", PersonRole.SPECIAL),
    Person("090005", "伟", "王", "WEST", PersonRole.STAFF),
    Person("090006", "Zbigniew", "Łukasiewicz", "WEST", PersonRole.OFFICER),
    Person("090007", "Gwenllian", "Llywelyn", "NORTH", PersonRole.OFFICER),
    Person("090008", "Văn Minh", "Trần", "EAST", PersonRole.STAFF),
    Person("090009", "محمد", "العلي", "WEST", PersonRole.OFFICER),
    Person("090010", "秀英", "李", "NORTH", PersonRole.OFFICER),
]


@pytest.fixture
def panel(qtbot: QtBot, workspace: Workspace) -> Iterator[RosterPanel]:
    roster.replace_roster(workspace.db, PEOPLE)  # the demo roster makes way for ten real people
    tasks = TaskRunner()
    made = RosterPanel(workspace.db, workspace, tasks, ChangeChannel())
    qtbot.addWidget(made)
    made.show()
    yield made
    tasks.wait()


def roster_rows(workspace: Workspace) -> list[tuple[object, ...]]:
    return workspace.db.execute("SELECT * FROM people ORDER BY staff_number").fetchall()


def choose(qtbot: QtBot, panel: RosterPanel, path: Path) -> None:
    """Click Import roster…, pick the file in the chooser (as a double-click on it would) and click Open."""
    click(qtbot, panel, "Import roster…")
    chooser = open_dialog(qtbot)
    assert isinstance(chooser, QFileDialog)
    chooser.setDirectory(str(path.parent))
    chooser.selectFile(str(path))
    click(qtbot, chooser, "Open")
    qtbot.waitUntil(lambda: not chooser.isVisible(), timeout=5000)


def workbook(tmp_path: Path, people: list[Person]) -> Path:
    """An export where Excel kept the staff numbers as numbers (090001 became 90001)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Staff"
    sheet.append(["Staff Number", "First Name", "Last Name", "Unit", "Type"])
    for p in people:
        sheet.append([int(p.staff_number), p.forename, p.surname, p.unit_code, p.role.value])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_a_large_shrink_is_shown_and_asked_before_anything_changes(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    assert unnamed_interactive_widgets(panel) == []
    newcomer = Person("090011", "Dafydd", "ap Gwilym", "NORTH", PersonRole.OFFICER)
    path = workbook(tmp_path, [*PEOPLE[:7], newcomer])
    before = roster_rows(workspace)
    announced: list[frozenset[Change]] = []
    assert panel.changes is not None
    panel.changes.changed.connect(announced.append)

    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.confirm_dialog is not None and panel.confirm_dialog.isVisible(), timeout=10000)
    dialog = panel.confirm_dialog
    assert isinstance(dialog, RosterImportDialog)
    assert unnamed_interactive_widgets(dialog) == []
    assert dialog.text() == "Replace the roster with roster.xlsx?"
    said = dialog.informativeText()
    assert "8 people read: 1 would be added, 0 updated, 3 marked as left, 7 unchanged." in said
    assert "8 staff numbers arrived as numbers, without their leading zeros, and were padded to 6 digits" in said
    assert "Warning: 3 of the 10 people on the roster (30%) would be marked as left." in said
    assert dialog.icon() == QMessageBox.Icon.Warning
    click(qtbot, dialog, "Cancel")
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=3000)
    assert roster_rows(workspace) == before  # nothing changes without a yes
    assert panel.import_button.isEnabled()

    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.confirm_dialog is not dialog and panel.confirm_dialog.isVisible(), timeout=10000)
    click(qtbot, panel.confirm_dialog, "Import and mark 3 as left")
    qtbot.waitUntil(lambda: panel.explanation.text().startswith("Roster imported"), timeout=10000)
    assert panel.explanation.text() == (
        "Roster imported: 1 added, 0 updated, 3 marked as left, 7 unchanged. "
        "8 people this laptop can register, by unit."
    )
    assert roster.count_people(workspace.db) == 8
    assert roster.get_person(workspace.db, "090011") == newcomer
    assert announced == [frozenset({Change.ROSTER})]


def test_a_file_that_is_no_roster_is_refused_in_plain_words(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    before = roster_rows(workspace)
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
    box = panel.problem_box
    assert isinstance(box, RosterProblemsDialog)
    assert box.heading.text() == "Nothing was imported."
    assert "this is an old Excel .xls file" in box.summary.text()
    assert panel.explanation.text().startswith("Nothing was imported: roster.xls: this is an old Excel .xls file")
    click(qtbot, box, "OK")
    assert roster_rows(workspace) == before
    assert panel.import_button.isEnabled()


def test_the_chooser_opens_where_the_last_roster_came_from_the_next_time_too(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    """It opened in the home folder every time, however deep in a shared drive HR's exports are kept."""
    exports = tmp_path / "HR exports" / "2026"
    exports.mkdir(parents=True)
    path = workbook(exports, PEOPLE)
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.confirm_dialog is not None and panel.confirm_dialog.isVisible(), timeout=10000)
    click(qtbot, panel.confirm_dialog, "Cancel")

    tomorrow = RosterPanel(workspace.db, workspace, panel.tasks, ChangeChannel())  # as the app started again
    qtbot.addWidget(tomorrow)
    tomorrow.show()
    click(qtbot, tomorrow, "Import roster…")
    chooser = open_dialog(qtbot)
    assert isinstance(chooser, QFileDialog)
    assert Path(chooser.directory().absolutePath()) == exports  # the file is one click away
    chooser.selectFile(path.name)
    click(qtbot, chooser, "Open")
    qtbot.waitUntil(lambda: tomorrow.confirm_dialog is not None and tomorrow.confirm_dialog.isVisible(), timeout=10000)
    assert tomorrow.confirm_dialog.text() == "Replace the roster with roster.xlsx?"
    click(qtbot, tomorrow.confirm_dialog, "Cancel")
    kept = b"".join(f.read_bytes() for f in workspace.paths.config_dir.iterdir() if f.is_file())
    assert b"roster.xlsx" not in kept  # the folder is kept, not the file's name


def test_a_problem_names_the_column_as_the_trainer_sees_it_in_excel(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    """HR's own headers, in HR's order, saved as Excel's "CSV UTF-8": the empty cell is named by the letter and
    header the trainer sees when they open the file to fix it, and never by the person in that row."""
    before = roster_rows(workspace)
    numbers = [p.staff_number for p in PEOPLE[:4]]
    numbers[3] = ""  # row 5, فاطمة الزهراء's
    lines = ["Surname,Forename,Payroll Number,Department,Grade"]
    lines += [f"{p.surname},{p.forename},{n},{p.unit_code},PC" for p, n in zip(PEOPLE, numbers, strict=False)]
    path = tmp_path / "establishment.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode() + b"\r\n")
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
    box = panel.problem_box
    assert isinstance(box, RosterProblemsDialog)
    # the file by its name: the trainer chose it a moment ago
    assert box.summary.text() == "establishment.csv: 1 problem; nothing was imported."
    assert box.problems.toPlainText().splitlines() == ['row 5, column C "Payroll Number": is empty']
    assert PEOPLE[3].surname not in box.problems.toPlainText()
    widest = max(box.problems.fontMetrics().horizontalAdvance(line) for line in box.problems.toPlainText().splitlines())
    assert box.problems.viewport().width() >= widest  # each problem on a line of its own, whole
    click(qtbot, box, "OK")
    assert roster_rows(workspace) == before


def test_without_a_workspace_the_view_only_shows_counts(qtbot: QtBot, workspace: Workspace) -> None:
    panel = RosterPanel(workspace.db)
    qtbot.addWidget(panel)
    panel.show()
    assert not panel.import_button.isVisible()
    assert panel.explanation.text() == "260 people this laptop can register, by unit."


def test_a_roster_change_while_the_view_is_hidden_shows_when_it_is_next_seen(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace
) -> None:
    assert panel.explanation.text() == f"{len(PEOPLE)} people this laptop can register, by unit."
    panel.hide()  # the trainer is on another view
    roster.replace_roster(workspace.db, PEOPLE[:4], allow_shrink=True)
    panel.refresh_when_seen()  # what a roster change announces
    assert panel.explanation.text().startswith(f"{len(PEOPLE)} people")  # nothing counted while hidden
    panel.show()
    assert panel.explanation.text() == "4 people this laptop can register, by unit."


def test_units_written_by_the_names_the_app_shows_are_the_same_units(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    """HR's export says "North", "east" or "West" where the roster keeps NORTH, EAST and WEST: the same people,
    in the same units, so nothing would change."""
    names = {"NORTH": "North", "EAST": "east", "WEST": "Wést"}
    lines = ["Staff Number,First Name,Last Name,Unit,Type"]
    lines += [f"{p.staff_number},{p.forename},{p.surname},{names[p.unit_code]},{p.role.value}" for p in PEOPLE]
    path = tmp_path / "by-name.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.confirm_dialog is not None and panel.confirm_dialog.isVisible(), timeout=10000)
    dialog = panel.confirm_dialog
    assert isinstance(dialog, RosterImportDialog)
    assert "10 people read: 0 would be added, 0 updated, 0 marked as left, 10 unchanged." in dialog.informativeText()
    click(qtbot, dialog, "Cancel")


def test_a_file_wrong_on_hundreds_of_rows_is_said_in_a_few_lines_in_a_box_that_fits_the_screen(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace, tmp_path: Path
) -> None:
    """HR's own name for a unit on 294 rows, and one row without a surname: the problems the same but for the
    row are one line, the list scrolls inside the box, and the box, its advice and OK stay on the screen."""
    before = roster_rows(workspace)
    lines = ["Staff Number,First Name,Last Name,Unit,Type"]
    for i in range(1, 301):
        unit = "Central East" if i % 50 == 0 else "North BCU"
        surname = "" if i == 120 else "Evans"
        lines.append(f"{500000 + i},Siân,{surname},{unit},officer")
    path = tmp_path / "hr-export.csv"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    choose(qtbot, panel, path)
    qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
    box = panel.problem_box
    assert isinstance(box, RosterProblemsDialog)
    assert box.summary.text() == "hr-export.csv: 295 problems; nothing was imported."
    assert box.problems.toPlainText().splitlines() == [
        """column D "Unit": 'North BCU' is not a known unit: rows 2 to 50, 52 to 100, 102 to 150, 152 to 200, """
        "202 to 250 and 49 more",
        'row 121, column C "Last Name": is empty',
    ]
    assert box.advice.text().startswith(
        "Give each person's unit by its name or code, as known here: Central East (CENTRAL-EAST), "
    )
    screen = box.screen().availableGeometry()
    assert screen.contains(box.frameGeometry())  # every part of it on the screen
    for part in (box.heading, box.problems, box.advice, box.ok_button):
        assert part.isVisible()
        assert box.rect().contains(QRect(part.mapTo(box, QPoint(0, 0)), part.size()))  # not cut off below
    assert unnamed_interactive_widgets(box) == []
    assert box.focusWidget() is box.ok_button
    qtbot.keyClick(box.ok_button, Qt.Key.Key_Return)  # OK from the keyboard
    qtbot.waitUntil(lambda: not box.isVisible(), timeout=3000)
    assert roster_rows(workspace) == before


def test_a_stray_quotation_mark_is_named_with_the_rows_it_swallowed(
    qtbot: QtBot, panel: RosterPanel, workspace: Workspace
) -> None:
    """Excel's "CSV UTF-8" from Windows, with a `"` typed before a surname in row 12: read as it stands, rows 13
    to 61 became one cell and only "row 12 has 3 cells" was said, hiding the problems in the rows swallowed."""
    before = roster_rows(workspace)
    choose(qtbot, panel, Path(__file__).parent.parent / "data" / "rosters_real" / "stray-quote.csv")
    qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
    box = panel.problem_box
    assert isinstance(box, RosterProblemsDialog)
    assert box.heading.text() == "Nothing was imported."
    assert box.summary.text() == (
        'stray-quote.csv: row 12 opens a quotation mark (") in column C "Last Name" that is never closed, so rows '
        "13 to 61 could not be read. Remove the stray quotation mark, or close it, and choose the file again."
    )
    click(qtbot, box, "OK")
    assert roster_rows(workspace) == before
