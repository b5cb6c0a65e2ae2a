from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_file import RosterFileError, parse_roster, read_roster_csv

UNITS = {"NORTH", "SOUTH"}
HEADER = "staff_number,forename,surname,unit,role,rank\n"


def test_a_clean_file_gives_every_person() -> None:
    people = parse_roster(
        HEADER + "100001,Aoife,Ní Bhriain,NORTH,officer,Constable\nS200002,Lars,Sørensen,SOUTH,staff,Band C\n",
        "r.csv",
        UNITS,
    )
    assert [p.staff_number for p in people] == ["100001", "S200002"]
    assert people[0].surname == "Ní Bhriain"


def test_every_problem_is_named_by_row_and_column_and_nothing_is_returned() -> None:
    text = HEADER + (
        "100001,Aoife,Ní Bhriain,NORTH,officer,\n"
        "100001,Sam,Okafor,NORTH,officer,\n"  # duplicate
        "x,,Patel,WEST,chef,\n"  # bad number, empty forename, unknown unit, bad role
    )
    with pytest.raises(RosterFileError) as caught:
        parse_roster(text, "r.csv", UNITS)
    shown = [str(p) for p in caught.value.problems]
    assert shown == [
        "row 3, column staff_number: duplicate of row 2",
        "row 4, column staff_number: not a valid staff number",
        "row 4, column forename: is empty",
        "row 4, column unit: unknown unit",
        "row 4, column role: must be one of contractor, officer, special, staff, volunteer",
    ]
    assert "nothing was imported" in str(caught.value)
    assert "Okafor" not in str(caught.value)  # problems never repeat personal data


def test_a_missing_column_is_reported_against_the_header_row() -> None:
    with pytest.raises(RosterFileError, match="row 1, column unit: column is missing"):
        parse_roster("staff_number,forename,surname,role\n", "r.csv", UNITS)


def test_a_file_that_is_not_text_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "roster.csv"
    bad.write_bytes(b"\xff\xfe\x00garbage\x9c")
    with pytest.raises(UserFacingError, match=r"roster.csv: roster file is not UTF-8 text"):
        read_roster_csv(bad, UNITS)
