"""Roster files as HR really sends them (UTF-16, CR-only, `sep=;`, title rows, cover and hidden sheets, numbers
that lost their zeros), and files that are no roster, each refused with words that say what it is."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from openpyxl import Workbook

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.people import PersonRole
from trainer_desk.core.roster_import import RosterFileError, read_roster

UNITS = ["NORTH", "SOUTH-EAST", "SO-PROTECTION"]
HEADER = ["Staff Number", "First Name", "Last Name", "Unit", "Type"]
ROWS = [
    ["090001", "Małgorzata", "Wiśniewska", "North", "Police Officer"],
    ["090002", "Siôn", "ap Dafydd", "South East", "Police Staff"],
    ["090003", "Thị Hương", "Nguyễn", "NORTH", "Special"],
    ["090004", "فاطمة", "الزهراء", "SO-PROTECTION", "officer"],
    ["090005", "伟", "王", "North", "staff"],
]
NAMES = [(r[1], r[2]) for r in ROWS]


def text_file(tmp_path: Path, name: str, rows: list[list[str]], separator: str, newline: str, encoding: str) -> Path:
    path = tmp_path / name
    path.write_bytes(newline.join(separator.join(r) for r in rows).encode(encoding) + newline.encode(encoding))
    return path


def names(path: Path) -> list[tuple[str, str]]:
    return [(p.forename, p.surname) for p in read_roster(path, UNITS).people]


@pytest.mark.parametrize(
    ("separator", "newline", "encoding", "described"),
    [
        ("\t", "\r\n", "utf-16", "tab-separated UTF-16 text"),  # Excel's "Unicode text"
        (",", "\r\n", "utf-16", "comma-separated UTF-16 text"),
        (",", "\r", "utf-8", "comma-separated text"),  # Excel's "CSV (Macintosh)": CR alone ends a line
        ("\t", "\n", "utf-8", "tab-separated text"),
        (";", "\r\n", "utf-8-sig", "semicolon-separated text"),
        (",", "\r\n", "utf-16-le", "comma-separated UTF-16 text"),  # UTF-16 that lost its BOM
    ],
    ids=["utf-16 tab", "utf-16 comma", "cr only", "tab", "semicolon", "utf-16 without bom"],
)
def test_text_exports_in_every_encoding_line_ending_and_separator(
    tmp_path: Path, separator: str, newline: str, encoding: str, described: str
) -> None:
    path = text_file(tmp_path, "roster.txt", [HEADER, *ROWS], separator, newline, encoding)
    read = read_roster(path, UNITS)
    assert [(p.forename, p.surname) for p in read.people] == NAMES
    assert [p.role for p in read.people][:3] == [PersonRole.OFFICER, PersonRole.STAFF, PersonRole.SPECIAL]
    assert read.notes == [f"Read {described}."]


def test_excels_sep_line_names_the_separator_and_is_not_a_row(tmp_path: Path) -> None:
    rows = [["090001", "Małgorzata", "Wiśniewska", "North", "officer"], ["090002", "", "ap Dafydd", "North", "x"]]
    path = tmp_path / "roster.csv"
    path.write_text("sep=;\r\n" + "\r\n".join(";".join(r) for r in [HEADER, *rows]) + "\r\n", encoding="utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [  # rows as Excel shows them: it hides the sep line
        'row 3, column B "First Name": is empty',
        'row 3, column E "Type": is not officer, staff, special, volunteer or contractor',
    ]
    path.write_text("sep=;\n" + "\n".join(";".join(r) for r in [HEADER, *ROWS]), encoding="utf-8")
    assert names(path) == NAMES


def test_a_header_with_nobody_below_it_is_refused(tmp_path: Path) -> None:
    path = text_file(tmp_path, "roster.csv", [HEADER, [""] * 5], ",", "\r\n", "utf-8")
    with pytest.raises(RosterFileError, match=r"row 1: the header has no people below it"):
        read_roster(path, UNITS)


def test_a_title_row_above_the_header_is_passed_over(tmp_path: Path) -> None:
    rows = [["Force roster export 01/12/2026", "", "", "", ""], [""] * 5, HEADER, *ROWS, ["1", "Jan", "Nowak", "X", ""]]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\r\n", "utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 9, column A "Staff Number": is not a valid staff number',
        """row 9, column D "Unit": 'X' is not a known unit""",
    ]
    path = text_file(tmp_path, "roster.csv", rows[:-1], ",", "\r\n", "utf-8")
    assert read_roster(path, UNITS).notes == ["Read comma-separated text, header in row 3."]


def test_missing_columns_name_the_headers_that_were_found(tmp_path: Path) -> None:
    rows = [["Name", "Dept", "Payroll Number"], ["Małgorzata Wiśniewska", "North", "090001"]]
    path = text_file(tmp_path, "roster.csv", rows, "\t", "\r\n", "utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert str(caught.value).splitlines()[1:] == [
        "  row 1: no column for the forename (a header such as 'Forename', 'First name', 'Firstname', 'Given name')",
        "  row 1: no column for the surname (a header such as 'Surname', 'Last name', 'Lastname', 'Family name')",
        '  headers found in row 1 (read as tab-separated text): "Name", "Dept", "Payroll Number"',
    ]


def test_short_and_long_rows_say_which_cells(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["090002", "Siôn", "ap Dafydd"], ["090003", "Thị Hương", "Nguyễn", "North", "staff", "x"]]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\n", "utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 3: has 3 cells where the header has 5: the cells for column D "Unit", column E "Type" are missing',
        "row 4: has 6 cells where the header has 5: extra cells past the last column (a separator inside a name?)",
    ]
    trailing = [HEADER, [*ROWS[0], ""], [*ROWS[1], "", ""]]  # empty cells after the last column are harmless
    assert len(read_roster(text_file(tmp_path, "ok.csv", trailing, ",", "\n", "utf-8"), UNITS).people) == 2


def test_control_characters_in_names_are_refused_with_the_row(tmp_path: Path) -> None:
    rows = [HEADER, ROWS[0], ["090002", "Siôn", "ap\x00Dafydd", "North", "staff"]]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\r\n", "utf-8")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 3, column C "Last Name": contains a control character (U+0000)'
    ]
    assert "Dafydd" not in str(caught.value)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("roster.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 8, "this is an old Excel .xls file"),
        ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "protected by a password"),
        (
            "roster.xls",
            b"<html><head><meta charset='utf-8'></head><body><table><tr><td>Staff Number</td></tr></table></body>",
            "this is an HTML page, not a spreadsheet",
        ),
        ("roster.xlsx", bytes((i * 7919 + 13) % 256 for i in range(4000)), "is named .xlsx but is neither"),
        ("roster.csv", b"%PDF-1.7\n" + bytes(100), "this is a PDF, not a spreadsheet"),
        ("roster.csv", b"Staff Number,First Name\r\n" + b"\x81\x8d,x\r\n", "neither UTF-8 nor Windows-1252"),
    ],
    ids=["old xls", "encrypted xlsx", "html as xls", "random bytes as xlsx", "pdf", "undecodable"],
)
def test_files_that_are_no_roster_are_named_for_what_they_are(
    tmp_path: Path, name: str, content: bytes, says: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserFacingError, match=says):
        read_roster(path, UNITS)


def workbook(tmp_path: Path, sheets: list[tuple[str, str, list[list[object]]]]) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, state, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return path


def test_the_first_visible_sheet_with_a_roster_header_is_read_and_named(tmp_path: Path) -> None:
    old_copy = [HEADER, ["111111", "Old", "Copy", "North", "officer"]]
    cover = [["Force roster"], ["Prepared by HR, December"], [], ["Contents: Staff"]]
    titled = [["Roster as at 1 December"], [], HEADER, *ROWS]
    sheets = [("Lookup", "hidden", old_copy), ("Cover", "visible", cover), ("Staff", "visible", titled)]
    path = workbook(tmp_path, sheets)
    read = read_roster(path, UNITS)
    assert [(p.forename, p.surname) for p in read.people] == NAMES
    assert read.notes == ['Read sheet "Staff", header in row 3 (skipped hidden sheet "Lookup", sheet "Cover").']


def test_a_workbook_without_a_roster_sheet_says_what_it_looked_at(tmp_path: Path) -> None:
    path = workbook(
        tmp_path,
        [("Cover", "visible", [["Force roster"]]), ("Data", "visible", [["Number", "Name", "BCU"], [1, "x", "y"]])],
    )
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert str(caught.value).splitlines()[1:] == [
        "  row 1: no column for the forename (a header such as 'Forename', 'First name', 'Firstname', 'Given name')",
        "  row 1: no column for the surname (a header such as 'Surname', 'Last name', 'Lastname', 'Family name')",
        '  headers found in row 1 of sheet "Data" (looked at sheet "Cover", sheet "Data"): "Number", "Name", "BCU"',
    ]


def numbers_workbook(tmp_path: Path, numbers: list[object]) -> Path:
    rows = [[number, *row[1:]] for number, row in zip(numbers, ROWS, strict=False)]
    return workbook(tmp_path, [("Staff", "visible", [HEADER, *rows])])


def test_numbers_that_lost_their_zeros_are_padded_to_the_rosters_width(tmp_path: Path) -> None:
    path = numbers_workbook(tmp_path, [90001, 90002, 190003, 90004, 90005])
    read = read_roster(path, UNITS, {"100001": "ann|lee"})  # a roster of six-digit numbers
    assert [p.staff_number for p in read.people] == ["090001", "090002", "190003", "090004", "090005"]
    assert read.notes[1] == (
        "4 staff numbers arrived as numbers, without their leading zeros, and were padded to 6 digits: rows 2, 3, 5, 6."
    )
    assert read.warnings == []


def test_text_cells_in_the_file_show_the_width_too(tmp_path: Path) -> None:
    path = numbers_workbook(tmp_path, ["090001", 90002, "190003", 90004.0, "190005"])
    read = read_roster(path, UNITS)
    assert [p.staff_number for p in read.people] == ["090001", "090002", "190003", "090004", "190005"]
    assert "padded to 6 digits: rows 3, 5." in read.notes[1]


def test_where_the_width_cannot_be_known_the_short_numbers_are_named(tmp_path: Path) -> None:
    path = numbers_workbook(tmp_path, [90001, 190002, 190003, 90004, 190005])
    read = read_roster(path, UNITS)
    assert [p.staff_number for p in read.people] == ["90001", "190002", "190003", "90004", "190005"]
    assert read.warnings == [
        "2 staff numbers arrived as numbers and are shorter than others (6 digits), so leading zeros may be "
        "lost: rows 2, 5. If HR's numbers start with 0, format the column as Text in Excel and export again."
    ]
    mixed = read_roster(path, UNITS, {"10001": "ann|lee", "100001": "bob|ray"})  # mixed widths: still unknown
    assert len(mixed.warnings) == 1 and mixed.notes == ['Read sheet "Staff".']


def test_padding_can_reveal_a_duplicate(tmp_path: Path) -> None:
    path = numbers_workbook(tmp_path, ["090001", 90001, "090003"])
    with pytest.raises(RosterFileError, match='row 3, column A "Staff Number": duplicate of row 2'):
        read_roster(path, UNITS)


def test_a_100_mb_file_is_refused_with_flat_memory(tmp_path: Path) -> None:
    """The check streams: a child process reading 100 MB stays far below the file's size in memory."""
    block = "".join(f"{100000 + i},Małgorzata,Wiśniewska,NORTH,officer\n" for i in range(10_000)).encode()
    path = tmp_path / "huge.csv"
    with path.open("wb") as file:
        file.write(b"staff_number,forename,surname,unit,role\n")
        for _ in range(100 * 2**20 // len(block) + 1):
            file.write(block)
    assert path.stat().st_size > 100 * 2**20
    script = textwrap.dedent(
        f"""
        import resource, sys
        from pathlib import Path
        from trainer_desk.core.roster_import import RosterFileError, read_roster
        try:
            read_roster(Path({str(path)!r}), ["NORTH"])
        except RosterFileError as error:
            print(error)
        # This process's own high-water mark. Not ru_maxrss: Linux carries that over from the parent through
        # fork and exec, so a large test runner would be counted too.
        status = Path("/proc/self/status").read_text()
        print("peak", next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:")))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    lines = done.stdout.splitlines()
    assert lines[1:3] == ["  row 200002: the file has more than 200,000 rows", "peak " + lines[2].split()[1]]
    peak_kib = int(lines[2].split()[1])  # kibibytes
    assert peak_kib < 300 * 1024, f"peak {peak_kib // 1024} MiB for a {path.stat().st_size // 2**20} MiB file"


def test_headers_with_the_punctuation_hr_exports_add_are_read(tmp_path: Path) -> None:
    """'Staff No.', 'Forename(s)' and 'Unit:' are the columns they say: only the full stop, the brackets or
    the colon differ from headers read before."""
    rows = [["Staff No.", "Forename(s)", "Surname", "Unit:"], ["090001", "Siân", "Ó Dónaill", "NORTH"]]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\r", "mac_roman")  # saved on a Mac
    [person] = read_roster(path, UNITS).people
    assert (person.staff_number, person.forename, person.unit_code) == ("090001", "Siân", "NORTH")


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"], ids=["windows", "mac"])
def test_a_typed_apostrophe_alone_is_read_in_the_encoding_it_was_saved_in(tmp_path: Path, encoding: str) -> None:
    rows = [["staff_number", "forename", "surname", "unit"], ["100001", "Sean", "O\u2019Brien", "NORTH"]]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\r", encoding)
    assert [(p.forename, p.surname) for p in read_roster(path, UNITS).people] == [("Sean", "O\u2019Brien")]


@pytest.mark.parametrize("encoding", ["cp1252", "mac_roman"], ids=["windows", "mac"])
def test_lines_ending_in_cr_alone_are_read_in_the_encoding_the_names_show(tmp_path: Path, encoding: str) -> None:
    """Every file whose lines end in CR alone was read as Mac Roman: a Windows-1252 roster saved that way came in
    as 'Siobh·n', '≈sa' and 'NÌ Bhriain', one click from replacing the names on the roster. Both encodings are
    read; the one whose accented characters read as a name's letters is taken."""
    people = [
        ("090001", "Siobhán", "Ní Bhriain"),
        ("090002", "Åsa", "Lindqvist"),
        ("090003", "José", "Muñoz"),
        ("090004", "Zoë", "Brontë"),
        ("090005", "Dafydd", "ap Siôn"),
        ("090006", "François", "Lefèvre"),
        ("090007", "Seán", "O\u2019Brien"),  # the apostrophe Word and Excel type
    ]
    rows = [["staff_number", "forename", "surname", "unit"], *([n, f, s, "NORTH"] for n, f, s in people)]
    path = text_file(tmp_path, "roster.csv", rows, ",", "\r", encoding)
    assert [(p.forename, p.surname) for p in read_roster(path, UNITS).people] == [(f, s) for _, f, s in people]


def test_problems_name_each_column_as_the_workbook_shows_it(tmp_path: Path) -> None:
    """HR fixes the file in Excel, which shows column letters and HR's own headers, never our names for them:
    "Payroll Number" (wrapped onto two lines in its cell) in column C, below a title, is named so."""
    header = ["Surname", "Forename", "Payroll\nNumber", "Department", "Grade"]
    rows = [
        ["Wiśniewska", "Małgorzata", "090001", "North", "PC"],
        ["ap Dafydd", "Siôn", "", "South East", "PS"],
        ["Nguyễn", "", "090003", "Atlantis", "PC"],
    ]
    path = workbook(tmp_path, [("Establishment", "visible", [["Establishment report"], [], header, *rows])])
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert [str(p) for p in caught.value.problems] == [
        'row 5, column C "Payroll Number": is empty',
        'row 6, column B "Forename": is empty',
        """row 6, column D "Department": 'Atlantis' is not a known unit""",
    ]
    assert "Dafydd" not in str(caught.value) and "Nguyễn" not in str(caught.value)


def test_a_header_is_quoted_short_and_without_its_control_characters(tmp_path: Path) -> None:
    """A header is HR's text, not a person's, but it may hold anything: a direction control would reorder the
    message after it, and a paragraph would bury the problem."""
    long = "Employee Number (as held by payroll, see HR policy 12, section 4)"
    rows = [["Name\u202e", long, "Dept"], ["Zoë Ní Bhriain", "090001", "North"]]
    path = text_file(tmp_path, "roster.txt", rows, "\t", "\r\n", "utf-16")
    with pytest.raises(RosterFileError) as caught:
        read_roster(path, UNITS)
    assert str(caught.value).splitlines()[-1] == (
        '  headers found in row 1 (read as tab-separated text): "Name\ufffd", '
        '"Employee Number (as held by payroll, se…", "Dept"'
    )
