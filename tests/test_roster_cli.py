"""`trainer-desk roster import`: real HR files read, bad ones refused in plain words with the roster untouched,
and no import that empties the roster or shrinks it by more than a fifth unasked."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from trainer_desk.__main__ import main
from trainer_desk.paths import AppPaths
from trainer_desk.store import roster
from trainer_desk.workspace import open_workspace

HEADER = "Staff Number,First Name,Last Name,Unit,Type"
PEOPLE = [
    "090001,Małgorzata,Wiśniewska,NORTH,officer",
    "090002,Siôn,ap Dafydd,NORTH,staff",
    "090003,Thị Hương,Nguyễn,EAST,officer",
    "090004,فاطمة,الزهراء,EAST,special",
    "090005,伟,王,WEST,staff",
    "090006,Zbigniew,Łukasiewicz,WEST,officer",
    "090007,Gwenllian,Llywelyn,NORTH,officer",
    "090008,Văn Minh,Trần,EAST,staff",
    "090009,محمد,العلي,WEST,officer",
    "090010,秀英,李,NORTH,officer",
]


def roster_dump(paths: AppPaths) -> list[tuple[object, ...]]:
    """Everything the roster holds, row for row: equal dumps mean an untouched roster."""
    workspace = open_workspace(paths)
    try:
        people = workspace.db.execute("SELECT * FROM people ORDER BY staff_number").fetchall()
        terms = workspace.db.execute("SELECT * FROM people_search ORDER BY staff_number, kind, term").fetchall()
        return [*people, *terms]
    finally:
        workspace.close()


def run(paths: AppPaths, *args: str) -> int:
    return main(["--data-dir", str(paths.data_dir), "roster", "import", *args])


@pytest.fixture
def imported(paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> AppPaths:
    """A laptop whose roster is the ten people above (the demo roster it started with makes way unasked)."""
    path = tmp_path / "first.csv"
    path.write_text("\n".join([HEADER, *PEOPLE]) + "\n", encoding="utf-8")
    assert run(paths, str(path)) == 0
    assert "10 were added, 0 were updated, 260 were marked as left" in capsys.readouterr().out
    return paths


def xls_html() -> bytes:
    return b"<!DOCTYPE html><html><body><table><tr><td>Staff Number</td><td>First Name</td></tr></table></body></html>"


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("header-only.csv", (HEADER + "\r\n").encode(), "row 1: the header has no people below it"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048), "this is an old Excel .xls file"),
        ("web.xls", xls_html(), "this is an HTML page, not a spreadsheet"),
        ("noise.xlsx", bytes((i * 7919 + 13) % 256 for i in range(4000)), "is named .xlsx but is neither"),
        (
            "ragged.csv",
            "\r\n".join([HEADER, PEOPLE[0], "090002,Siôn,ap Dafydd"]).encode(),
            'row 3: has 3 cells where the header has 5: the cells for column D "Unit", column E "Type" are missing',
        ),
        (
            "nul.csv",
            "\r\n".join([HEADER, PEOPLE[0], "090002,Si\x00ôn,ap Dafydd,NORTH,staff"]).encode(),
            'row 3, column B "First Name": contains a control character (U+0000)',
        ),
        (
            "missing.txt",
            "Name\tDept\nMałgorzata Wiśniewska\tNORTH\n".encode(),
            'headers found in row 1 (read as tab-separated text): "Name", "Dept"',
        ),
        (
            "excel-csv.csv",  # Excel's "CSV (Comma delimited)": Windows-1252, ? for every letter it lacks
            "\r\n".join(
                [HEADER, PEOPLE[0], "090002,Łucja,Wiśniewska,NORTH,staff", "090003,Wei,张,NORTH,officer"]
            ).encode("cp1252", errors="replace"),
            'column B "First Name": has ? where a letter was: rows 2 and 3\n  column C "Last Name": has ? where a '
            "letter was: rows 2 to 4\n  Names have ? where letters were: the file was saved in "
            'a form that cannot hold every letter (Excel\'s "CSV (Comma delimited)"). Save it from Excel as "CSV UTF-8',
        ),
        (
            "unit-names.csv",
            "\r\n".join([HEADER, PEOPLE[0], "090002,Siôn,ap Dafydd,North BCU,staff"]).encode(),
            """row 3, column D "Unit": 'North BCU' is not a known unit\n  Give each person's unit by its name or """
            "code, as known here: ",
        ),
    ],
    ids=[
        "header only",
        "old xls",
        "html as xls",
        "random bytes",
        "ragged",
        "nul",
        "missing columns",
        "letters lost to Windows-1252",
        "unit written as its name",
    ],
)
def test_refusals_say_what_is_wrong_and_leave_the_roster_as_it_was(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, content: bytes, says: str
) -> None:
    before = roster_dump(imported)
    path = tmp_path / name
    path.write_bytes(content)
    assert run(imported, str(path)) == 1
    err = capsys.readouterr().err
    assert says in err
    assert "Małgorzata" not in err and "Siôn" not in err
    assert roster_dump(imported) == before


def test_a_large_shrink_shows_the_count_then_asks_for_allow_shrink(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = roster_dump(imported)
    path = tmp_path / "half.csv"
    path.write_text("\n".join([HEADER, *PEOPLE[:7]]) + "\n", encoding="utf-8")
    assert run(imported, str(path)) == 1
    captured = capsys.readouterr()
    assert "7 people read from half.csv: 0 would be added, 0 would be updated, 3 would be marked as left" in (
        captured.out
    )
    assert "3 of the 10 people on the roster (30%) would be marked as left, more than the 20%" in captured.err
    assert "import again with --allow-shrink" in captured.err
    assert roster_dump(imported) == before

    assert run(imported, str(path), "--dry-run") == 0
    assert "importing it needs --allow-shrink" in capsys.readouterr().out
    assert roster_dump(imported) == before

    assert run(imported, str(path), "--allow-shrink") == 0
    assert "3 were marked as left" in capsys.readouterr().out
    workspace = open_workspace(imported)
    assert roster.count_people(workspace.db) == 7
    workspace.close()


def test_a_small_shrink_needs_no_flag(imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "most.csv"
    path.write_text("\n".join([HEADER, *PEOPLE[:8]]) + "\n", encoding="utf-8")
    assert run(imported, str(path)) == 0
    assert "2 were marked as left" in capsys.readouterr().out


def test_excel_exports_are_read_not_crashed_on(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unicode_text = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with a BOM, tab-separated
    unicode_text.write_bytes(("\r\n".join([HEADER, *PEOPLE]).replace(",", "\t") + "\r\n").encode("utf-16"))
    assert run(imported, str(unicode_text)) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Read tab-separated UTF-16 text."
    assert "0 were added, 0 were updated, 0 were marked as left, 10 unchanged." in out
    mac = tmp_path / "mac.csv"  # Excel's "CSV (Macintosh)": CR alone ends each line
    mac.write_bytes(("\r".join([HEADER, *PEOPLE]) + "\r").encode())
    assert run(imported, str(mac)) == 0
    assert "10 unchanged" in capsys.readouterr().out


# A Persian surname, Nik-nam, whose letters the zero-width non-joiner (U+200C) keeps apart as Persian writes it.
NIKNAM = "\u0646\u06cc\u06a9\u200c\u0646\u0627\u0645"


def test_invisible_characters_pasted_into_names_are_refused_by_row_and_column(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A name pasted from a web page or a spreadsheet cell with a zero-width space or a direction mark looks like
    the real one but never matches it. The joiners Persian and Indic names need between their letters stay, and
    a byte-order mark at the very start of a cell (left by files joined together) goes without a word."""
    before = roster_dump(imported)
    pasted = tmp_path / "pasted.csv"
    pasted.write_text(
        "\n".join([HEADER, *PEOPLE, "090011,Ann\u200b,Lee,NORTH,officer", "090012,Omar,\u200fHaddad,EAST,staff"]),
        encoding="utf-8",
    )
    assert run(imported, str(pasted)) == 1
    err = capsys.readouterr().err
    assert 'row 12, column B "First Name": contains a zero-width space (U+200B), which cannot be seen' in err
    assert 'row 13, column C "Last Name": contains a right-to-left mark (U+200F), which cannot be seen' in err
    assert roster_dump(imported) == before

    fixed = tmp_path / "fixed.csv"
    fixed.write_text(
        "\n".join([HEADER, *PEOPLE, "090011,\ufeffAnn,Lee,NORTH,officer", f"090012,Mehran,{NIKNAM},EAST,staff"]),
        encoding="utf-8",
    )
    assert run(imported, str(fixed)) == 0
    assert "2 were added" in capsys.readouterr().out
    workspace = open_workspace(imported)
    try:
        ann, mehran = roster.get_person(workspace.db, "090011"), roster.get_person(workspace.db, "090012")
        assert ann is not None and mehran is not None
        assert (ann.forename, mehran.surname) == ("Ann", NIKNAM)
    finally:
        workspace.close()


def test_numbers_that_lost_their_zeros_are_padded_and_said(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    book = Workbook()
    cover = book.active
    cover.title = "Cover"
    cover.append(["HR roster, December"])
    sheet = book.create_sheet("Staff")
    sheet.append(HEADER.split(","))
    for line in PEOPLE:
        number, *rest = line.split(",")
        sheet.append([int(number), *rest])  # Excel kept 090001 as the number 90001
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert run(imported, str(path)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:2] == [
        'Read sheet "Staff" (skipped sheet "Cover").',
        "10 staff numbers arrived as numbers, without their leading zeros, and were padded to 6 digits: "
        "rows 2, 3, 4, 5, 6, 7, 8, 9, 10, 11.",
    ]
    assert out[2].endswith("0 were added, 0 were updated, 0 were marked as left, 10 unchanged.")
    workspace = open_workspace(imported)
    assert [p.staff_number for p in roster.search_people(workspace.db, "090001")] == ["090001"]
    workspace.close()


def test_a_workbook_with_a_name_in_a_cell_typed_as_a_number_is_refused_plainly_and_logs_no_name(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Some HR exporters type a cell as a number and put text in it. openpyxl's error quotes the cell: it
    was called a fault in the program, and the surname went to the log."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Staff"
    sheet.append(HEADER.split(","))
    sheet.append(["090002", "Siôn", 4242, "NORTH", "staff"])  # the number cell, to be given a surname below
    made = tmp_path / "made.xlsx"
    book.save(made)
    path = tmp_path / "hr-export.xlsx"
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for entry in source.infolist():
            data = source.read(entry.filename)
            out.writestr(entry, data.replace(b"<v>4242</v>", b"<v>Quinnell</v>"))
    before = roster_dump(imported)
    assert run(imported, str(path)) == 1
    err = capsys.readouterr().err
    assert 'not a readable Excel workbook: a cell in row 2 of sheet "Staff" is damaged' in err, err
    assert "fault in the program" not in err and "Quinnell" not in err
    assert roster_dump(imported) == before
    log = imported.log_dir / "trainer-desk.log"
    assert "Quinnell" not in (log.read_text(encoding="utf-8") if log.exists() else "")


def test_units_written_by_their_names_are_read_as_people_type_them(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """HR's export names units as the app shows them, not by code: any case, spacing, dash or accent."""
    written = [
        "North",
        "central east",
        "Specialist Operations \N{EN DASH} Protection",
        "SOUTH  EAST",
        "Nórth-West",
        "EAST",
    ]
    lines = [f"09{i:04d},Person,Number {i},{unit},officer" for i, unit in enumerate(written, start=1)]
    path = tmp_path / "by-name.csv"
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    assert run(imported, str(path), "--allow-shrink") == 0
    assert "6 were updated" in capsys.readouterr().out
    workspace = open_workspace(imported)
    try:
        units = [roster.get_person(workspace.db, f"09{i:04d}") for i in range(1, 7)]
        assert [p.unit_code if p else None for p in units] == [
            "NORTH",
            "CENTRAL-EAST",
            "SO-PROTECTION",
            "SOUTH-EAST",
            "NORTH-WEST",
            "EAST",
        ]
    finally:
        workspace.close()


def test_an_unknown_unit_is_answered_with_the_units_names_and_codes(
    imported: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = roster_dump(imported)
    path = tmp_path / "typo.csv"
    path.write_text("\n".join([HEADER, PEOPLE[0], "090002,Siôn,ap Dafydd,Central Est,staff"]) + "\n", "utf-8")
    assert run(imported, str(path)) == 1
    err = capsys.readouterr().err
    assert """row 3, column D "Unit": 'Central Est' is not a known unit""" in err
    assert "Give each person's unit by its name or code, as known here: Central East (CENTRAL-EAST), " in err
    assert "Specialist Operations - Protection (SO-PROTECTION)" in err
    assert roster_dump(imported) == before
