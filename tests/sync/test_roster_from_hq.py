"""A laptop enrolled with HQ takes its roster from HQ. A roster file imported there would mark people HQ sent
as left, and since HQ then sends only what changed, they would never come back: so the command line and the
Roster view refuse the file in plain words and leave the roster as HQ sent it. Booking lists still work, and a
laptop that is not enrolled imports its roster as before."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.dates import ahead
from tests.hq_server import Hq
from tests.ui.clicks import click
from trainer_desk import hq_link
from trainer_desk.__main__ import main
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.hq import devices as hq_devices
from trainer_desk.hq import roster as hq_roster
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster
from trainer_desk.store.connection import Database
from trainer_desk.ui.changes import ChangeChannel
from trainer_desk.ui.roster_panel import RosterPanel
from trainer_desk.ui.roster_problems_dialog import RosterProblemsDialog
from trainer_desk.ui.tasks import TaskRunner
from trainer_desk.workspace import Workspace, open_workspace

# The force as HQ holds it; the BCU's own spreadsheet names only a few of them and one newcomer.
FORCE = [
    Person(f"7300{i:02d}", forename, surname, unit, PersonRole.OFFICER)
    for i, (forename, surname, unit) in enumerate(
        [
            ("Aleksandra", "Wiśniewska", "NORTH"),
            ("Rhys", "ap Gwilym", "NORTH"),
            ("Thị Lan", "Nguyễn", "EAST"),
            ("Yusuf", "Al-Masri", "EAST"),
            ("Siobhán", "Ní Bhriain", "NORTH"),
            ("Dafydd", "Llywelyn", "WEST"),
            ("Oluwaseun", "Adeyemi", "WEST"),
            ("Zbigniew", "Łukasiewicz", "NORTH"),
            ("Mei", "Chen", "EAST"),
            ("Ffion", "Rees", "WEST"),
        ],
        start=1,
    )
]
NEWCOMER = Person("739999", "Gwenllian", "Morgan", "NORTH", PersonRole.OFFICER)
HEADER = "Staff Number\tFirst Name\tLast Name\tUnit\tType"


def roster_file(folder: Path, people: list[Person], name: str = "bcu-roster.csv") -> Path:
    """As Excel's 'Unicode Text' saves it: UTF-16, tab-separated, CRLF."""
    lines = [HEADER, *(f"{p.staff_number}\t{p.forename}\t{p.surname}\t{p.unit_code}\t{p.role.value}" for p in people)]
    path = folder / name
    path.write_bytes("\r\n".join(lines).encode("utf-16"))
    return path


def roster_dump(db: Database) -> list[tuple[object, ...]]:
    """Everything the roster holds, row for row: equal dumps mean an untouched roster."""
    people = db.execute("SELECT * FROM people ORDER BY staff_number").fetchall()
    terms = db.execute("SELECT * FROM people_search ORDER BY staff_number, kind, term").fetchall()
    return [*people, *terms]


@pytest.fixture
def enrolled(hq: Hq, tmp_path: Path) -> Iterator[Workspace]:
    """A training lead's laptop, enrolled with HQ and synced: its roster is the force HQ sent."""
    hq_roster.import_roster(hq.engine, FORCE)
    workspace = open_workspace(AppPaths.resolve(tmp_path / "lead"))
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100800", "NORTH", role="training_lead"))
    hq_link.sync_once(workspace)
    assert roster.count_people(workspace.db) == len(FORCE)
    yield workspace
    workspace.close()


def test_the_command_line_refuses_a_roster_file_on_a_laptop_enrolled_with_hq(
    enrolled: Workspace, hq: Hq, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = roster_file(tmp_path, [*FORCE[:2], NEWCOMER])
    before = roster_dump(enrolled.db)
    data_dir = str(enrolled.paths.data_dir)
    enrolled.close()  # the command opens the laptop's data itself
    for extra in (["--allow-shrink"], ["--dry-run"]):
        assert main(["--data-dir", data_dir, "roster", "import", str(path), *extra]) == 1
        said = capsys.readouterr()
        assert said.err == (
            f"trainer-desk: This laptop takes its roster from HQ ({hq.url}), so a roster file cannot replace it "
            "here: import HR's file at HQ instead, in the console's Roster page, and sync.\n"
        )
        assert "marked as left" not in said.out
    after = open_workspace(enrolled.paths)
    try:
        assert roster_dump(after.db) == before
        assert roster.count_people(after.db) == len(FORCE)
        hq_link.sync_once(after)  # and the next sync finds nothing to mend
        assert roster_dump(after.db) == before
    finally:
        after.close()


def test_the_roster_view_says_the_roster_comes_from_hq_before_a_file_is_chosen(
    qtbot: QtBot, enrolled: Workspace, hq: Hq, tmp_path: Path
) -> None:
    """The trainer found HR's file and chose it, and only then heard this laptop takes its roster from HQ. The
    button is now greyed out with the reason beside it; a file chosen all the same (the chooser was open when
    the laptop enrolled) is still refused before anything is replaced."""
    path = roster_file(tmp_path, [*FORCE[:2], NEWCOMER])
    before = roster_dump(enrolled.db)
    tasks = TaskRunner()
    panel = RosterPanel(enrolled.db, enrolled, tasks, ChangeChannel())
    qtbot.addWidget(panel)
    panel.show()
    try:
        assert not panel.import_button.isEnabled()
        assert panel.import_note.isVisible()
        assert panel.import_note.text() == (
            f"This laptop takes its roster from HQ ({hq.url}), so there is no roster file to import here: HR's "
            "file is imported at HQ, in the console's Roster page, and reaches this laptop at its next sync."
        )
        panel.check_file(path)
        qtbot.waitUntil(lambda: panel.problem_box is not None and panel.problem_box.isVisible(), timeout=10000)
        box = panel.problem_box
        assert isinstance(box, RosterProblemsDialog)
        assert box.heading.text() == "Nothing was imported."
        assert box.summary.text() == (
            f"This laptop takes its roster from HQ ({hq.url}), so a roster file cannot replace it here: "
            "import HR's file at HQ instead, in the console's Roster page, and sync."
        )
        assert panel.explanation.text().startswith("Nothing was imported: this laptop takes its roster from HQ")
        assert panel.confirm_dialog is None  # never asked to replace the roster HQ sent
        click(qtbot, box, "OK")
        assert not panel.import_button.isEnabled()
        assert roster_dump(enrolled.db) == before
    finally:
        tasks.wait()


def test_a_roster_file_imported_over_hq_s_by_an_earlier_version_is_put_right_at_the_next_sync(
    enrolled: Workspace,
) -> None:
    """Before roster files were refused on enrolled laptops, one could be imported over HQ's roster: the
    BCU's sheet's few people kept, everyone else marked as left, names as the sheet spelt them. HQ sends only
    what changes, so that stayed wrong. The first sync after the update pulls HQ's whole record once."""
    db = enrolled.db
    with db.atomic():  # what the earlier version's import left, and the note of the one whole pull it had
        roster.upsert_people(db, [NEWCOMER, Person("730001", "Aleksandra", "Wisniewska", "NORTH", PersonRole.OFFICER)])
        db.execute("UPDATE people SET removed = 1 WHERE staff_number NOT IN ('730001', '730002', '739999')")
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('roster_source', 'import')")
        db.execute("DELETE FROM sync_state WHERE key = 'whole_pulls'")
        db.execute("INSERT OR REPLACE INTO sync_state (key, value) VALUES ('pulled_exemptions', '1')")
    assert len(roster.search_people(db, "Nguyễn")) == 0

    assert hq_link.sync_once(enrolled).roster_changes == len(FORCE)
    assert roster.count_people(db) == len(FORCE)
    assert roster.get_person(db, "730001") == FORCE[0]  # Wiśniewska, as HQ spells her
    assert [p.staff_number for p in roster.search_people(db, "Nguyễn")] == ["730003"]
    assert roster.get_person(db, "739999") is None  # the sheet's newcomer is not on HQ's roster
    assert hq_link.sync_once(enrolled).roster_changes == 0  # once only


def test_a_booking_list_still_plans_a_session_on_a_laptop_enrolled_with_hq(
    enrolled: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    booked = roster_file(tmp_path, FORCE[:3], "booked.csv")
    before = roster_dump(enrolled.db)
    data_dir = str(enrolled.paths.data_dir)
    enrolled.close()
    plan = ["sessions", "plan", "--plan", "signa-core", "--at", f"{ahead()}T09:30", "--venue", "Training room 2"]
    who = ["--unit", "north", "--trainer", "100800", "--expect", str(booked)]
    assert main(["--data-dir", data_dir, *plan, *who]) == 0
    assert "3 expected" in capsys.readouterr().out
    after = open_workspace(enrolled.paths)
    try:
        assert roster_dump(after.db) == before  # a booking list reads the roster, never replaces it
    finally:
        after.close()


def test_a_laptop_not_enrolled_with_hq_imports_its_roster_as_before(
    paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = roster_file(tmp_path, [*FORCE[:2], NEWCOMER])
    assert main(["--data-dir", str(paths.data_dir), "roster", "import", str(path)]) == 0
    assert "3 people read from bcu-roster.csv: 3 were added" in capsys.readouterr().out
    workspace = open_workspace(paths)
    try:
        assert roster.count_people(workspace.db) == 3
        assert roster.get_person(workspace.db, NEWCOMER.staff_number) == NEWCOMER
    finally:
        workspace.close()


def test_an_hq_with_no_roster_yet_leaves_an_imported_roster_and_says_so(workspace: Workspace, hq: Hq) -> None:
    """A laptop enrolled before HQ's roster was imported found nobody in its register after its first sync, and
    could not import one of its own (it takes its roster from HQ); the sync said '0 roster change(s)'. Now a
    roster imported on the laptop is kept and the sync says why, until HQ has one: then HQ's replaces it. The
    made-up demonstration roster goes, and the sync says that instead."""
    imported = [Person(f"6{n:05d}", f"F{n}", f"S{n}", "NORTH", PersonRole.STAFF) for n in range(12)]
    roster.replace_roster(workspace.db, imported, allow_shrink=True)
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    report = hq_link.sync_once(workspace)
    assert roster.count_people(workspace.db) == len(imported)
    assert "HQ has no roster for this laptop yet, so the roster held here is kept until it has." in report.summary()

    hq_roster.import_roster(hq.engine, FORCE)
    report = hq_link.sync_once(workspace)
    assert roster.count_people(workspace.db) == len(FORCE)  # HQ's, in place of the one imported here
    assert "no roster" not in report.summary()


def test_the_demo_roster_goes_at_the_first_sync_even_when_hq_has_no_roster(workspace: Workspace, hq: Hq) -> None:
    assert roster.count_people(workspace.db) > 0  # the made-up roster a new laptop starts with
    hq_link.enroll(workspace, hq.url, hq_devices.issue_code(hq.engine, "100234", "NORTH"))
    report = hq_link.sync_once(workspace)
    assert roster.count_people(workspace.db) == 0  # no made-up people to register, nor to send to HQ
    assert "the made-up demonstration roster is gone" in report.summary()
