"""The sign-in sheet as a training lead holds it: every name sits inside its own row however long it is, a name
breaks only between words, the header row repeats on every page, and the trainer's signature never stands
alone on a page.

Row lines are found in the rendered page (pdftoppm); text positions come from the PDF's text (pypdf)."""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.export.sheet_roster import page_texts, readable, session_sheet
from trainer_desk.core.attendance import AttendanceStatus
from trainer_desk.core.reports import SessionSheet, SheetLine
from trainer_desk.export.attendance_sheet import write_attendance_sheet, write_sign_in_sheet

DPI = 144
PT = 72 / DPI  # points per pixel
MM = 72 / 25.4  # points per millimetre
# Where the sign-in sheet's columns are on the page, in points from the left edge.
LEFT = 15 * MM
NAME_COLUMN = (LEFT + 28 * MM, LEFT + 74 * MM)  # where a line of a name starts (the attendance sheet's is narrower)
TEXT_COLUMNS = (LEFT, LEFT + 116 * MM)  # staff number, name and unit: the columns that carry text
# Two places in Signature, where only row lines are drawn (on the attendance sheet the right of Status and the
# Walk-in column, as empty when nobody walked in).
EMPTY_COLUMNS = (LEFT + 124 * MM, LEFT + 148 * MM)
GRID_GREY = range(120, 180)  # the row lines, drawn in #8a94a6, as grey levels

THREE_LINE_NAME = "Gruffydd ap Rhys Featherstonehaugh-Llewellyn Konstantynowicz-Wiśniewska"
LONG_NAMES = {
    31: THREE_LINE_NAME,
    2: "Gruffydd ap Rhys Featherstonehaugh-Llewellyn",
    5: "Maria Konstantynowicz-Wiśniewska",
    9: "Nguyễn Thị Minh Khai",
    12: "عبد الرحمن بن محمد الزهراني",
    15: "欧阳慧敏",
    18: "Siân Featherstonehaugh-Konstantynowicz-Wiśniewska",
    23: "Llŷr ap Iorwerth ab Owain Featherstonehaugh",
    40: "Zofia Łęcka-Brzęczyszczykiewicz",
    47: "Anne-Marie Ní Bhriain-Featherstonehaugh",
    55: "Nguyễn Thị Minh Khai Konstantynowicz",
}


def register(size: int = 60) -> SessionSheet:
    """A register as a BCU training lead prints it: `size` people, with the long names where they fall."""
    lines = tuple(
        SheetLine(
            f"71{n:04d}",
            LONG_NAMES.get(n, f"Forename{n} Surname{n}"),
            "North",
            AttendanceStatus.PRESENT,
            datetime(2026, 10, 5, 9, n % 60, tzinfo=UTC),
        )
        for n in range(size)
    )
    return replace(session_sheet(), lines=lines)


@dataclass(frozen=True)
class Text:
    """One run of text as drawn: what it says, where it starts, and how far its letters reach up and down
    (in points from the top of the page)."""

    text: str
    x: float
    baseline: float
    top: float
    bottom: float


def texts(path: Path, page: int) -> list[Text]:
    reader = PdfReader(path)
    height = float(reader.pages[page].mediabox.height)
    found: list[Text] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size *= tm[3] * cm[3]
        # Letters reach up to 0.93 of the size above the baseline (an accented capital) and 0.24 below.
        found.append(Text(text.strip(), x, height - y, height - y - 0.93 * size, height - y + 0.24 * size))

    reader.pages[page].extract_text(visitor_text=visit)
    return found


def row_lines(path: Path, page: int) -> list[float]:
    """The horizontal row lines across the table, in points from the top, read from the rendered page."""
    rendered = subprocess.run(
        ["pdftoppm", "-f", str(page + 1), "-l", str(page + 1), "-r", str(DPI), "-gray", "-aaVector", "no", str(path)],
        check=True,
        capture_output=True,
    ).stdout
    magic, size, _depth, pixels = rendered.split(b"\n", 3)
    assert magic == b"P5"
    width, height = map(int, size.split())
    columns = [round(x / PT) for x in EMPTY_COLUMNS]
    rows = [y for y in range(height) if all(pixels[y * width + x] in GRID_GREY for x in columns)]
    return [y * PT for y in rows]


def rows_of_names(path: Path) -> list[list[str]]:
    """Each register row's name as printed, line by line, page after page (the header row left out)."""
    named: list[list[str]] = []
    for page in range(len(PdfReader(path).pages)):
        lines = row_lines(path, page)
        in_name_column = [t for t in texts(path, page) if NAME_COLUMN[0] <= t.x < NAME_COLUMN[1]]
        for above, below in pairwise(lines[1:]):  # the first band is the header row
            inside = sorted((t for t in in_name_column if above < t.baseline < below), key=lambda t: (t.baseline, t.x))
            by_line: dict[float, list[str]] = {}
            for text in inside:
                by_line.setdefault(round(text.baseline), []).append(text.text)
            if by_line:
                named.append([" ".join(parts) for parts in by_line.values()])
    return named


def breaks_inside_a_word(name: str, lines: list[str]) -> list[str]:
    """Where the printed lines break `name` other than at a space or just after a hyphen."""
    compact = "".join(readable(name).split())
    allowed, index = {0, len(compact)}, 0
    for word in readable(name).split():
        index += len(word)
        allowed.add(index)
        allowed.update(index - len(word) + n + 1 for n, char in enumerate(word) if char == "-")
    printed = ["".join(readable(line).split()) for line in lines]
    assert "".join(printed) == compact, (name, lines)
    ends = [sum(len(part) for part in printed[: n + 1]) for n in range(len(printed))]
    return [f"{compact[:end]} / {compact[end:]}" for end in ends if end not in allowed]


@pytest.fixture(scope="module")
def sign_in(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sign_in_sheet(register(), tmp_path_factory.mktemp("sign-in") / "sheet.pdf")


def test_no_text_crosses_a_row_line(sign_in: Path) -> None:
    crossing = []
    for page in range(len(PdfReader(sign_in).pages)):
        lines = row_lines(sign_in, page)
        for text in texts(sign_in, page) if lines else []:
            if not TEXT_COLUMNS[0] <= text.x < TEXT_COLUMNS[1] or text.bottom < lines[0] or text.top > lines[-1]:
                continue  # not in the table
            if not any(above <= text.top and text.bottom <= below for above, below in pairwise(lines)):
                crossing.append((page + 1, text.text))
    assert crossing == []


def test_rows_grow_to_fit_a_three_line_name_and_keep_room_to_sign(sign_in: Path) -> None:
    rows_with_staff_number = []
    for page in range(len(PdfReader(sign_in).pages)):
        lines = row_lines(sign_in, page)
        found = texts(sign_in, page)
        for above, below in pairwise(lines[1:]):
            assert below - above >= 10 * MM - 1, f"a row on page {page + 1} is {(below - above) / MM:.1f} mm tall"
            if any(t.text == "710031" and above < t.baseline < below for t in found):
                name = [t for t in found if NAME_COLUMN[0] <= t.x < NAME_COLUMN[1] and above < t.baseline < below]
                rows_with_staff_number.append((above, below, name))
    [(above, below, name)] = rows_with_staff_number
    assert readable(" ".join(t.text for t in name)) == readable(THREE_LINE_NAME)
    assert len({round(t.baseline) for t in name}) == 3
    assert min(t.top for t in name) >= above and max(t.bottom for t in name) <= below


@pytest.mark.parametrize("kind", ["sign-in", "attendance"])
def test_names_break_only_between_words(kind: str, tmp_path: Path) -> None:
    sheet = register()
    write = write_sign_in_sheet if kind == "sign-in" else write_attendance_sheet
    target = write(sheet, tmp_path / "sheet.pdf")
    printed = rows_of_names(target)
    assert len(printed) == len(sheet.lines)
    broken = {
        line.name: breaks_inside_a_word(line.name, lines) for line, lines in zip(sheet.lines, printed, strict=True)
    }
    assert {name: breaks for name, breaks in broken.items() if breaks} == {}


def test_the_header_row_repeats_on_every_page(sign_in: Path) -> None:
    pages = [readable(text) for text in page_texts(sign_in)]
    assert len(pages) >= 3
    assert all("Staff number Name Unit Signature Time in" in page for page in pages)


@pytest.mark.parametrize("size", range(54, 67))  # the trainer block crosses to a new page in here
def test_the_trainer_signature_never_stands_alone_on_a_page(size: int, tmp_path: Path) -> None:
    target = write_sign_in_sheet(register(size), tmp_path / "sheet.pdf")
    pages = [readable(text) for text in page_texts(target)]
    [last] = [n for n, page in enumerate(pages) if "Trainer: Siân Ó Dónaill" in page]
    assert "Staff number Name Unit Signature Time in" in pages[last]
    lines = [y for y in row_lines(target, last) if y < min(t.top for t in texts(target, last) if "Trainer" in t.text)]
    rows = len(lines) - 2  # the header row has a line above and below it; each row after it, one below
    assert rows >= 3, f"the trainer's signature has {rows} register rows with it"


@pytest.mark.parametrize("size", range(58, 70))  # the totals and the trainer block cross to a new page in here
def test_the_attendance_sheet_s_totals_and_signatures_never_stand_alone_on_a_page(size: int, tmp_path: Path) -> None:
    target = write_attendance_sheet(register(size), tmp_path / "sheet.pdf")
    pages = [readable(text) for text in page_texts(target)]
    [last] = [n for n, page in enumerate(pages) if "Totals:" in page]
    assert "Trainer: Siân Ó Dónaill" in pages[last]
    assert "Staff number Name Unit Status Time Walk-in Signed in" in pages[last]
    rows = sum(1 for n in range(size) if f"71{n:04d}" in pages[last])
    assert rows >= 3, f"the totals have {rows} register rows with them"
