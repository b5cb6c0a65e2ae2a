from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.__main__ import main
from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.roster_guard import RosterShrinkError
from trainer_desk.core.roster_import import name_key
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster
from trainer_desk.workspace import Workspace, open_workspace

PEOPLE = [
    Person("100001", "Aoife", "Ní Bhriain", "NORTH", PersonRole.OFFICER),
    Person("100002", "Sean", "O'Brien", "NORTH", PersonRole.OFFICER),
    Person("100003", "Lars", "Sørensen", "EAST", PersonRole.STAFF),
    Person("100004", "Kofi", "Smith-Jones", "EAST", PersonRole.OFFICER),
    Person("100005", "Jo", "Brown", "WEST", PersonRole.STAFF),
    Person("S20001", "Brian", "Johnson", "WEST", PersonRole.STAFF),
]


@pytest.fixture
def db(workspace: Workspace):  # type: ignore[no-untyped-def]
    roster.replace_roster(workspace.db, PEOPLE)
    return workspace.db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ni bh", ["100001"]),
        ("Bhriain", ["100001"]),
        ("obrien", ["100002"]),
        ("O'Bri", ["100002"]),
        ("sorensen", ["100003"]),
        ("SØR", ["100003"]),
        ("jones", ["100004"]),
        ("smith-j", ["100004"]),
        ("kofi smith", ["100004"]),
        ("smith kofi", ["100004"]),
        ("10000", ["100001", "100002", "100003", "100004", "100005"]),
        ("s2", ["S20001"]),
        ("zzz", []),
    ],
)
def test_search_by_any_part_of_a_name_or_number(db, typed: str, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    assert [p.staff_number for p in roster.search_people(db, typed)] == expected


def test_surname_matches_come_before_forename_matches(db) -> None:  # type: ignore[no-untyped-def]
    # 'jo': surname Johnson and Jones (via Smith-Jones) first, then forename Jo
    assert [p.staff_number for p in roster.search_people(db, "jo")] == ["S20001", "100004", "100005"]


def test_an_import_replaces_the_roster_and_keeps_leavers_as_tombstones(db) -> None:  # type: ignore[no-untyped-def]
    moved = Person("100002", "Sean", "O'Brien", "WEST", PersonRole.OFFICER)
    new = Person("100009", "Mei", "Chen", "EAST", PersonRole.STAFF)
    incoming = [*PEOPLE[:1], moved, *PEOPLE[2:5], new]  # S20001 left
    planned = roster.plan_changes(db, incoming)
    assert (len(planned.added), len(planned.updated), planned.left, planned.unchanged) == (1, 1, ["S20001"], 4)
    assert roster.count_people(db) == 6  # a dry run changes nothing
    roster.replace_roster(db, incoming)
    assert roster.count_people(db) == 6
    assert roster.get_person(db, "S20001") is None
    assert db.execute("SELECT removed FROM people WHERE staff_number = 'S20001'").fetchone() == (1,)
    assert roster.search_people(db, "johnson") == []
    assert roster.get_person(db, "100002") == moved


def test_the_command_line_import_with_dry_run(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = AppPaths.resolve(tmp_path / "d")
    csv = tmp_path / "hr.csv"
    csv.write_text("staff_number,forename,surname,unit\n300001,Ada,Lovelace,NORTH\n300002,Alan,Turing,EAST\n")
    data = ["--data-dir", str(paths.data_dir)]
    assert main([*data, "roster", "import", str(csv), "--dry-run"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Read comma-separated text.\n"
        "2 people read from hr.csv: 2 would be added, 0 would be updated, 260 would be marked as left, 0 unchanged."
    )
    assert main([*data, "roster", "import", str(csv)]) == 0
    assert "2 were added" in capsys.readouterr().out
    csv.write_text("staff_number,forename,surname,unit\n300001,Ada,Lovelace,NOWHERE\n")
    assert main([*data, "roster", "import", str(csv)]) == 1
    assert """row 2, column D "unit": 'NOWHERE' is not a known unit""" in capsys.readouterr().err
    workspace = open_workspace(paths)
    assert roster.count_people(workspace.db) == 2  # the failed import changed nothing
    workspace.close()


def test_an_import_never_empties_the_roster(db) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(RosterShrinkError, match="an import never leaves the roster empty"):
        roster.replace_roster(db, [], allow_shrink=True)
    assert roster.count_people(db) == 6


def test_more_than_a_fifth_leaving_needs_allow_shrink(db) -> None:  # type: ignore[no-untyped-def]
    before = db.execute("SELECT * FROM people ORDER BY staff_number").fetchall()
    planned = roster.plan_changes(db, PEOPLE[:4])
    assert planned.shrink.needs_confirmation and planned.shrink.describe() == (
        "2 of the 6 people on the roster (33%) would be marked as left"
    )
    with pytest.raises(RosterShrinkError) as caught:
        roster.replace_roster(db, PEOPLE[:4])
    assert caught.value.shrink.leaving == 2 and "--allow-shrink" in str(caught.value)
    assert db.execute("SELECT * FROM people ORDER BY staff_number").fetchall() == before
    assert len(roster.replace_roster(db, PEOPLE[:4], allow_shrink=True).left) == 2
    assert roster.count_people(db) == 4
    assert not roster.plan_changes(db, PEOPLE[:5]).shrink.needs_confirmation  # one in five may go unasked


def test_the_demo_roster_makes_way_unasked_and_holds_no_numbers(workspace: Workspace) -> None:
    assert roster.count_people(workspace.db) == 260
    assert roster.staff_number_holders(workspace.db) == {}  # made-up numbers say nothing of HR's
    roster.replace_roster(workspace.db, PEOPLE[:2])
    assert roster.count_people(workspace.db) == 2
    assert roster.staff_number_holders(workspace.db) == {
        p.staff_number: name_key(p.forename, p.surname) for p in PEOPLE[:2]
    }
