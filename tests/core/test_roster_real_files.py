"""`trainer-desk roster import` on files as Excel really writes them, byte for byte (tests/data/rosters_real):
a CSV re-saved by Excel (leading zeros gone), an export with a record "ID" left of the staff number, and
Excel for Mac's "CSV (Macintosh)" (Mac Roman, CR line ends). Each was once read wrongly without a word: people
re-keyed under new numbers, record ids taken for staff numbers, names turned to mojibake."""

from __future__ import annotations

from pathlib import Path

import pytest

from trainer_desk.__main__ import main
from trainer_desk.paths import AppPaths
from trainer_desk.workspace import open_workspace

FILES = Path(__file__).parent.parent / "data" / "rosters_real"


def run(paths: AppPaths, name: str) -> int:
    return main(["--data-dir", str(paths.data_dir), "roster", "import", str(FILES / name)])


def people(paths: AppPaths) -> list[tuple[str, str, str]]:
    """The people on the roster as the trainer sees them: number and name."""
    workspace = open_workspace(paths)
    try:
        rows = workspace.db.execute(
            "SELECT staff_number, forename, surname FROM people WHERE removed = 0 ORDER BY staff_number"
        ).fetchall()
        return [(str(n), str(f), str(s)) for n, f, s in rows]
    finally:
        workspace.close()


@pytest.fixture
def zeros_roster(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> AppPaths:
    """A laptop whose roster came from HR's CSV with numbers of six digits, three of them starting with 0."""
    assert run(paths, "zeros-base.csv") == 0
    assert "16 were added" in capsys.readouterr().out
    return paths


def test_a_csv_resaved_by_excel_keeps_everyone_under_their_number(
    zeros_roster: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """Excel turns 012345 into 12345 when it re-saves a CSV; the people are the same, so nobody may be marked
    as left and added again (their training record would stay with the old number)."""
    before = people(zeros_roster)
    assert run(zeros_roster, "zeros-lost.csv") == 0
    out = capsys.readouterr().out
    assert "Leading zeros restored to 3 staff numbers, as a spreadsheet drops them" in out
    assert "0 were added, 0 were updated, 0 were marked as left, 16 unchanged" in out
    after = people(zeros_roster)
    assert after == before
    assert ("012345", "PersonA", "SurnameA") in after
    assert not any(number == "12345" for number, _, _ in after)


def test_a_number_without_zeros_held_by_someone_else_is_refused(
    zeros_roster: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """12345 for a name other than 012345's holder could be a typo or a new person: padding would re-key
    one person, leaving it would mark the other as left. Refused, roster untouched."""
    before = people(zeros_roster)
    assert run(zeros_roster, "zeros-lost-other-name.csv") == 1
    err = capsys.readouterr().err
    assert 'row 2, column A "Staff Number": looks like a staff number on the roster that lost its leading zeros' in err
    assert "held by someone with another name" in err
    assert "Another" not in err  # problems never repeat personal data
    assert people(zeros_roster) == before


def test_a_joiner_whose_number_lost_its_zeros_is_named_in_a_warning(
    zeros_roster: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nobody on the roster holds 045678, so there is no one to match the joiner to: the rest are restored, and
    the short number is named rather than passed over in silence."""
    assert run(zeros_roster, "zeros-lost-joiner.csv") == 0
    out = capsys.readouterr().out
    assert "Leading zeros restored to 3 staff numbers" in out
    assert "warning: 1 staff number is shorter than the 6 digits of the others and matches nobody" in out
    assert "row 18" in out
    assert "1 were added, 0 were updated, 0 were marked as left, 16 unchanged" in out


def test_an_id_column_left_of_the_staff_number_is_not_the_staff_number(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """A record "ID" (5001, 5002) is a generic header; "Staff Number" names the column that is meant."""
    assert run(paths, "id-first.csv") == 0
    assert "2 were added" in capsys.readouterr().out
    assert people(paths) == [("100001", "Ann", "Lee"), ("100002", "Bob", "Ray")]


def test_two_equally_good_staff_number_columns_are_refused_naming_both(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """With "Staff No" and "Staff Number" side by side there is no telling which is right: ask, naming both."""
    before = people(paths)
    assert run(paths, "two-staff-number-columns.csv") == 1
    err = capsys.readouterr().err
    assert (
        'row 1: two or more columns could be the staff number: column A "Staff No" and column B "Staff Number": '
        "rename or remove all but one"
    ) in err
    assert people(paths) == before


def test_an_excel_for_mac_csv_is_read_as_mac_roman(paths: AppPaths, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel for Mac's "CSV (Macintosh)" is Mac Roman with CR line ends; read as Windows-1252, Zoë Ní Bhriain
    came out with curly quotes where its ë and í were, with no error at all."""
    assert run(paths, "mac-csv-macroman.csv") == 0
    out = capsys.readouterr().out
    assert "Read as a Mac CSV (Mac Roman)." in out
    assert people(paths) == [
        ("100001", "Zoë", "Ní Bhriain"),
        ("100002", "Siobhán", "Ó Súilleabháin"),
        ("100003", "Renée", "Müller-Lüdenscheidt"),
        ("100004", "José", "Peña"),
    ]


def test_an_address_over_two_lines_in_one_cell_is_read_as_one_cell(
    paths: AppPaths, capsys: pytest.CaptureFixture[str]
) -> None:
    """A line break typed in a cell (Alt+Enter) is quoted by Excel and is part of the cell: the check for a
    stray quotation mark that swallowed the rows after it must leave such a file alone."""
    assert run(paths, "multi-line-address.csv") == 0
    assert "60 were added" in capsys.readouterr().out
    assert ("700105", "Siôn", "ap Dafydd") in people(paths)
