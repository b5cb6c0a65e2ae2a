"""Rosters in the shapes HR systems export them, and broken ones: all or nothing, every problem named."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import PersonRole
from trainer_desk.core.roster_import import RosterFileError, name_key, read_roster, read_roster_file

UNITS = ["NORTH", "SOUTH-EAST", "SO-PROTECTION"]


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize(
    ("encoding", "bom"),
    [("utf-8", b""), ("utf-8", b"\xef\xbb\xbf"), ("cp1252", b"")],
    ids=["utf-8", "utf-8 with BOM", "Windows-1252"],
)
def test_encodings(tmp_path: Path, encoding: str, bom: bytes) -> None:
    text = "Staff Number,First Name,Last Name,BCU,Type,Grade\r\n100001,Siobhán,O'Brien,North,Police Officer,PC\r\n"
    path = tmp_path / "roster.csv"
    path.write_bytes(bom + text.encode(encoding))
    [person] = read_roster_file(path, UNITS)
    assert (person.staff_number, person.forename, person.surname, person.unit_code, person.role, person.rank) == (
        "100001",
        "Siobhán",
        "O'Brien",
        "NORTH",
        PersonRole.OFFICER,
        "PC",
    )


def test_semicolons_and_header_aliases_in_any_case(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "WARRANT NO;forenames;SURNAME;unit;staff type\nab 12345;Lars;Sørensen;south east;police staff\n\n",
    )
    [person] = read_roster_file(path, UNITS)
    assert (person.staff_number, person.unit_code, person.role) == ("AB12345", "SOUTH-EAST", PersonRole.STAFF)


def test_excel_workbooks(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Employee ID", "Given name", "Family name", "Command", "Category"])
    sheet.append([200001, "Aoife", "Ní Bhriain", "SO-PROTECTION", "Special Constable"])
    sheet.append([200002, "Kofi", "Smith-Jones", "NORTH", None])
    book.save(tmp_path / "roster.xlsx")
    people = read_roster_file(tmp_path / "roster.xlsx", UNITS)
    assert [(p.staff_number, p.role) for p in people] == [
        ("200001", PersonRole.SPECIAL),
        ("200002", PersonRole.OFFICER),
    ]


def test_every_problem_is_listed_and_nothing_is_returned(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "r.csv",
        "staff_number,forename,surname,unit,role\n"
        "100001,Aoife,Ní Bhriain,NORTH,officer\n"
        "100001,Sam,Okafor,NORTH,officer\n"
        "x!,,Patel,ATLANTIS,chef\n"
        "100004,Mei,Chen,NORTH,staff\n",
    )
    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 3, column A "staff_number": duplicate of row 2',
        'row 4, column A "staff_number": is not a valid staff number',
        'row 4, column B "forename": is empty',
        """row 4, column D "unit": 'ATLANTIS' is not a known unit""",
        'row 4, column E "role": is not officer, staff, special, volunteer or contractor',
    ]
    message = str(caught.value)
    assert message.startswith(f"{path}: 5 problems; nothing was imported.")
    assert "Okafor" not in message and "Patel" not in message


def test_missing_columns_and_damaged_files(tmp_path: Path) -> None:
    with pytest.raises(RosterFileError, match="row 1: no column for the unit \\(a header such as 'Unit', "):
        read_roster_file(write(tmp_path, "a.csv", "staff number,forename,surname\n1,a,b\n"), UNITS)
    with pytest.raises(RosterFileError, match="the file is empty"):
        read_roster_file(write(tmp_path, "b.csv", ""), UNITS)
    broken = tmp_path / "c.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UserFacingError, match=r"c\.xlsx: not a readable Excel workbook"):
        read_roster_file(broken, UNITS)
    with pytest.raises(UserFacingError, match="cannot read the roster file"):
        read_roster_file(tmp_path / "missing.csv", UNITS)


def test_a_team_column_is_kept(tmp_path: Path) -> None:
    path = write(
        tmp_path, "r.csv", "Staff Number,First Name,Last Name,Unit,Section\n100001,Ada,Lovelace,NORTH,Response A\n"
    )
    [person] = read_roster_file(path, UNITS)
    assert person.team == "Response A"


def test_a_file_wrong_on_every_row_counts_every_problem_and_shows_the_first(tmp_path: Path) -> None:
    rows = "".join(f"{300000 + i},Małgorzata,Wiśniewska,ATLANTIS\n" for i in range(1500))
    path = write(tmp_path, "r.csv", "staff_number,forename,surname,unit\n" + rows)
    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path, UNITS)
    message = str(caught.value).splitlines()
    assert message[0].endswith("r.csv: 1,500 problems; nothing was imported.")
    assert message[1] == """  column D "unit": 'ATLANTIS' is not a known unit: rows 2 to 1001"""
    assert message[-2] == "  ... and 500 more problems"  # beyond those kept
    assert message[-1].startswith("  Give each person's unit by its name or code, as known here: ")
    assert caught.value.total == 1500 and len(caught.value.problems) == 1000  # kept, not all held


def test_a_line_break_inside_a_quoted_name_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", 'staff_number,forename,surname,unit\r\n100001,"Nguyễn\r\nVăn",Trần,NORTH\r\n')
    with pytest.raises(RosterFileError, match='row 2, column B "forename": contains a line break'):
        read_roster_file(path, UNITS)


def test_a_character_that_reorders_what_is_shown_of_a_name_is_refused_and_arabic_names_are_not(
    tmp_path: Path,
) -> None:
    """ "Evil\u202egnp.exe" showed on the register as "Evilexe.png". Right-to-left names need no such control."""
    path = write(
        tmp_path,
        "r.csv",
        "staff_number,forename,surname,unit\r\n100001,Evil\u202egnp.exe,Name,NORTH\r\n"
        "100002,\u0641\u0627\u0637\u0645\u0629,\u0627\u0644\u0632\u0647\u0631\u0627\u0621,NORTH\r\n",
    )
    with pytest.raises(RosterFileError) as caught:
        read_roster_file(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 2, column B "forename": contains a direction control (U+202E), which reorders the letters shown after it'
    ]


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\xff\xfe", b" \r\n\r\n"], ids=["0", "bom", "16", "blank"])
def test_an_empty_file_is_called_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(content)
    with pytest.raises(RosterFileError, match="row 1: the file is empty"):
        read_roster_file(path, UNITS)


ROSTER = {"012345": name_key("Ann", "Lee"), "100001": name_key("Bob", "Ray")}


def number_cell(tmp_path: Path, number: int, forename: str, surname: str) -> Path:
    """A workbook where Excel kept the staff number as a number, so 012345 is 12345."""
    book = Workbook()
    book.active.append(["Staff Number", "First Name", "Last Name", "Unit"])
    book.active.append([number, forename, surname, "NORTH"])
    book.save(tmp_path / "roster.xlsx")
    return tmp_path / "roster.xlsx"


def test_a_number_cell_keeps_its_holder_whatever_the_name_and_text_does_not(tmp_path: Path) -> None:
    """A number cell cannot have held its zeros: 12345 among six-digit numbers is 012345, and a new surname is
    its holder's (married, or corrected by HR). Text typed short may be another person's number: refused."""
    read = read_roster(number_cell(tmp_path, 12345, "Ann", "Lee"), UNITS, ROSTER)
    assert [p.staff_number for p in read.people] == ["012345"]
    assert read.notes[1].startswith("1 staff number arrived as numbers, without their leading zeros")
    married = read_roster(number_cell(tmp_path, 12345, "Ann", "Okafor"), UNITS, ROSTER)
    assert [(p.staff_number, p.surname) for p in married.people] == [("012345", "Okafor")]
    text = write(tmp_path, "r.csv", "Staff Number,First Name,Last Name,Unit\n12345,Cai,Ode,NORTH\n")
    with pytest.raises(RosterFileError, match=r'row 2, column A "Staff Number": .* held by someone with another name'):
        read_roster(text, UNITS, ROSTER)


def test_a_longer_number_in_the_file_means_there_is_no_one_width_to_pad_to(tmp_path: Path) -> None:
    """A roster of six digits, and a file with a seven-digit number: numbers have no one width after all, so a
    short number cell nobody holds is named, not padded to six."""
    book = Workbook()
    book.active.append(["Staff Number", "First Name", "Last Name", "Unit"])
    book.active.append([54321, "Dee", "Fox", "NORTH"])
    book.active.append(["1000002", "Eli", "Gray", "NORTH"])
    book.save(tmp_path / "roster.xlsx")
    read = read_roster(tmp_path / "roster.xlsx", UNITS, ROSTER)
    assert sorted(p.staff_number for p in read.people) == ["1000002", "54321"]
    assert read.warnings == [
        "1 staff number arrived as numbers and is shorter than others (7 digits), so leading zeros may be "
        "lost: row 2. If HR's numbers start with 0, format the column as Text in Excel and export again."
    ]


def test_a_roster_of_mixed_widths_still_restores_by_name(tmp_path: Path) -> None:
    """Without one width there is nothing to pad to, but the holder's number says where the zeros go."""
    path = write(tmp_path, "r.csv", "Staff Number,First Name,Last Name,Unit\n12345,Ann,Lee,NORTH\n")
    read = read_roster(path, UNITS, {**ROSTER, "1000002": name_key("Dee", "Fox")})
    assert [p.staff_number for p in read.people] == ["012345"]
    assert read.notes[1].startswith("Leading zeros restored to 1 staff number, as a spreadsheet drops them")
    assert read.warnings == []
