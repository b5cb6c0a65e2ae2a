"""HQ's `import-roster` reads the same files as the laptop and keeps the same rule: never an empty roster, and
no large shrink unless asked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from trainer_desk.hq import database as hq_database
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import schema
from trainer_desk.hq.cli import main as hq_main

HEADER = "Staff Number\tFirst Name\tLast Name\tUnit\tType"
PEOPLE = [
    "\t".join(cells)
    for cells in [
        ("090001", "Małgorzata", "Wiśniewska", "NORTH", "officer"),
        ("090002", "Siôn", "ap Dafydd", "NORTH", "staff"),
        ("090003", "Thị Hương", "Nguyễn", "NORTH", "officer"),
        ("090004", "فاطمة", "الزهراء", "NORTH", "special"),
        ("090005", "伟", "王", "NORTH", "staff"),
    ]
]


def sizes(home: Path) -> dict[str, int]:
    engine = hq_database.open_engine(f"sqlite:///{home / 'hq.sqlite3'}")
    try:
        return hq_roster.roster_sizes(engine)
    finally:
        engine.dispose()


def test_hq_import_refuses_an_empty_or_much_smaller_roster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "hq"
    args = ["--home", str(home), "import-roster"]
    unicode_text = tmp_path / "roster.txt"  # Excel's "Unicode text"
    unicode_text.write_bytes(("\r\n".join([HEADER, *PEOPLE]) + "\r\n").encode("utf-16"))
    assert hq_main([*args, str(unicode_text)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Read tab-separated UTF-16 text.",
        "5 people read: 5 added, 0 updated, 0 left",
    ]

    header_only = tmp_path / "empty.txt"
    header_only.write_bytes((HEADER + "\r\n").encode("utf-16"))
    assert hq_main([*args, str(header_only)]) == 1
    assert "row 1: the header has no people below it" in capsys.readouterr().err
    assert sizes(home) == {"NORTH": 5}

    fewer = tmp_path / "fewer.txt"
    fewer.write_bytes(("\r\n".join([HEADER, *PEOPLE[:3]]) + "\r\n").encode("utf-16"))
    assert hq_main([*args, str(fewer)]) == 1
    captured = capsys.readouterr()
    assert "3 people read: 2 of the 5 people on the roster (40%) would be marked as left." in captured.out
    assert "import again with --allow-shrink" in captured.err
    assert sizes(home) == {"NORTH": 5}

    assert hq_main([*args, str(fewer), "--allow-shrink"]) == 0
    assert "3 people read: 0 added, 0 updated, 2 left" in capsys.readouterr().out
    assert sizes(home) == {"NORTH": 3}


REAL_FILES = Path(__file__).parent.parent / "data" / "rosters_real"


def numbers(home: Path) -> list[str]:
    """The staff numbers on HQ's roster, as laptops would pull them."""
    engine = hq_database.open_engine(f"sqlite:///{home / 'hq.sqlite3'}")
    try:
        with engine.connect() as conn:
            query = select(schema.roster.c.staff_number).where(schema.roster.c.removed.is_(False))
            return sorted(conn.execute(query).scalars())
    finally:
        engine.dispose()


@pytest.fixture
def zeros_hq(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An HQ whose roster came from HR's CSV with numbers of six digits, three of them starting with 0."""
    home = tmp_path / "hq"
    assert hq_main(["--home", str(home), "import-roster", str(REAL_FILES / "zeros-base.csv")]) == 0
    assert "16 people read: 16 added" in capsys.readouterr().out
    return home


def test_hq_restores_zeros_a_resaved_csv_lost_to_the_same_people(
    zeros_hq: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The file a laptop imports unchanged imports unchanged at HQ: without this HQ re-keyed 012345 as 12345,
    and every laptop then pulled the change."""
    before = numbers(zeros_hq)
    assert hq_main(["--home", str(zeros_hq), "import-roster", str(REAL_FILES / "zeros-lost.csv")]) == 0
    out = capsys.readouterr().out
    assert "Leading zeros restored to 3 staff numbers, as a spreadsheet drops them" in out
    assert "16 people read: 0 added, 0 updated, 0 left" in out
    assert numbers(zeros_hq) == before
    assert "012345" in before


def test_hq_refuses_a_number_without_zeros_held_by_someone_else(
    zeros_hq: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = numbers(zeros_hq)
    assert hq_main(["--home", str(zeros_hq), "import-roster", str(REAL_FILES / "zeros-lost-other-name.csv")]) == 1
    err = capsys.readouterr().err
    assert 'row 2, column A "Staff Number": looks like a staff number on the roster that lost its leading zeros' in err
    assert "held by someone with another name" in err
    assert "Another" not in err
    assert numbers(zeros_hq) == before
