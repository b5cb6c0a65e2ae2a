"""Open a roster file as HR really sends it, and find the table in it.

Text files come in UTF-8 (with or without a BOM), Windows-1252 and UTF-16 (Excel's "Unicode text"), with any
line ending (Excel's "CSV (Macintosh)" ends lines with CR alone) and a comma, semicolon or tab between
cells. Workbooks come with cover sheets, hidden sheets and title rows above the header. Files that are not a
roster at all (an old .xls, a web page saved with an .xls name, random bytes) are named for what they are.

Rows are streamed: a file of any size is read with flat memory, so a huge file is refused, not swallowed.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import warnings
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_columns import (
    HEADER_SEARCH_ROWS,
    HeaderGuess,
    column_clashes,
    describe_headers,
    described,
    file_column,
    find_header,
)
from trainer_desk.core.roster_problems import RosterFileError, RosterProblem

Cell = str | int  # an int is a whole number as a workbook stores it: a staff number that lost its zeros
MAX_LINE_CHARS = 100_000  # a roster line is a few hundred characters; this is no roster
_CHUNK = 1 << 20
_HEAD_LINES = 40
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


class MissingColumnsError(RosterFileError):
    """No header naming the required columns was found; says which headers were found instead."""

    def __init__(self, source: str, row: int, missing: list[str], headers: str, where: str = "") -> None:
        problems = [RosterProblem(row, "-", f"no column for {described(name)}") for name in missing]
        super().__init__(source, problems, detail=f"headers found in row {row}{where}: {headers}")


@dataclass
class RosterTable:
    """The table found in a file: its header, then its rows as (row number as a spreadsheet shows it, cells)."""

    header_row: int
    header: list[Cell]
    guess: HeaderGuess
    rows: Iterator[tuple[int, list[Cell]]]
    description: str  # how the file was read, for the summary
    cells_counted: bool  # text rows have a number of cells; workbook rows are as wide as the sheet
    _closer: ExitStack = field(default_factory=ExitStack)

    def problem(self, row: int, column: str, message: str) -> RosterProblem:
        """A problem in one of our columns, carrying where the file has it and its header there, so that it
        is named as the person fixing the file sees it."""
        index = self.guess.columns[column]
        return RosterProblem(row, column, message, index, str(self.header[index]))

    def close(self) -> None:
        self._closer.close()

    def __enter__(self) -> RosterTable:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def open_roster_table(path: Path, source: str = "") -> RosterTable:
    """The roster table in `path`, ready to stream; UserFacingError saying what the file is when it is not,
    naming it as `source` (an upload's own name, not where the server keeps it) or else by its path."""
    source = source or str(path)
    try:
        with path.open("rb") as file:
            head = file.read(8192)
    except OSError as error:
        raise UserFacingError(f"{source}: cannot read the roster file: {error.strerror}") from error
    if not head.strip():
        raise RosterFileError(source, [RosterProblem(1, "-", "the file is empty")])
    if head.startswith(b"PK\x03\x04"):
        return _workbook_table(path, source)
    if head.startswith(_OLE2):
        if path.suffix.casefold() == ".xlsx":
            raise UserFacingError(
                f"{source}: this Excel file is protected by a password (or is an old .xls renamed .xlsx): "
                "remove the password, or open it in Excel and save it as .xlsx (Excel Workbook)."
            )
        raise UserFacingError(
            f"{source}: this is an old Excel .xls file, which cannot be read: "
            "open it in Excel and save it as .xlsx (Excel Workbook) or as CSV UTF-8."
        )
    if head.startswith(b"%PDF"):
        raise UserFacingError(f"{source}: this is a PDF, not a spreadsheet: ask HR for the export as .xlsx or CSV.")
    encoding = _text_encoding(head)
    if encoding is None:
        named = f"is named {path.suffix} but " if path.suffix else ""
        raise UserFacingError(
            f"{source}: this file {named}is neither a spreadsheet nor text: is it the right file? "
            "A roster is an .xlsx workbook or a CSV file."
        )
    return _text_table(path, source, encoding)


# --- text ---------------------------------------------------------------------------------------------------
def _text_encoding(head: bytes) -> str | None:
    """The encoding a BOM or the bytes themselves show; None for a file that is not text."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) - len(head) % 2]
    if sample and sample[1::2].count(0) * 10 > len(sample) * 4 and sample[0::2].count(0) * 10 < len(sample):
        return "utf-16-le"  # UTF-16 that lost its BOM: every other byte of Latin text is zero
    controls = sum(1 for byte in head if byte < 0x20 and byte not in b"\t\n\r\x0c") + head.count(0x7F)
    if controls * 20 > len(head):  # a stray NUL in a name is a bad cell; one byte in twenty is no text
        return None
    return "utf-8"  # confirmed (or replaced by Windows-1252) over the whole file in _confirm_utf8


def _confirm_utf8(path: Path, source: str) -> str:
    """UTF-8 if every byte of the file is; else Mac Roman when lines end in CR alone (Excel for Mac's "CSV
    (Macintosh)", whose é, ë and ñ read as Windows-1252 would turn into quotes and daggers without any error);
    else Windows-1252 (Excel's 'CSV' on Windows). Read in chunks, so even a huge file costs little memory."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    carriage_returns = line_feeds = 0
    utf8 = True
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            carriage_returns += chunk.count(b"\r")
            line_feeds += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
        if utf8:
            try:
                decoder.decode(b"", final=True)
                return "utf-8"
            except UnicodeDecodeError:
                pass
    if carriage_returns and not line_feeds:
        return _mac_or_windows(path)
    with path.open("rb") as file:
        offset = 0
        while chunk := file.read(_CHUNK):
            try:
                chunk.decode("cp1252")
            except UnicodeDecodeError as error:
                raise UserFacingError(
                    f"{source}: the file is neither UTF-8 nor Windows-1252 text (byte {offset + error.start}): "
                    "save it from Excel as CSV UTF-8."
                ) from error
            offset += len(chunk)
    return "cp1252"


def _mac_or_windows(path: Path) -> str:
    """Lines ending in CR alone are most often Excel for Mac's Mac Roman, but a Windows-1252 file can end its
    lines so too; every byte is a character in both, so neither fails to decode. Read both ways, the names'
    accented letters tell: Windows-1252's 'Siobhán' is Mac Roman's 'Siobh·n', and Mac Roman's 'Siobhán' is
    Windows-1252's 'Siobh‡n'. The one whose accented characters read more often as letters, in the case a
    name would have them, wins; Mac Roman on a tie."""
    scores = {"mac-roman": 0, "cp1252": 0}
    with path.open("rb") as file:
        while chunk := file.read(_CHUNK):
            for encoding in scores:
                scores[encoding] += _letters_as_in_names(chunk.decode(encoding, errors="replace"))
    return "cp1252" if scores["cp1252"] > scores["mac-roman"] else "mac-roman"


_TYPESET = frozenset("\u2018\u2019\u201c\u201d\u2013\u2014")  # the quotes and dashes Word and Excel type


def _letters_as_in_names(text: str) -> int:
    """How many characters beyond ASCII read as a name would have them: the quotes and dashes word processors
    type (O\u2019Brien), and letters, but not a capital straight after a small letter ('SiobhÈn') nor a small
    one between capitals ('OíBrien', the apostrophe read the other way)."""
    count = 0
    for index, character in enumerate(text):
        if ord(character) < 0x80:
            continue
        if character in _TYPESET:
            count += 1
            continue
        if not character.isalpha():
            continue
        before = text[index - 1] if index else " "
        after = text[index + 1] if index + 1 < len(text) else " "
        after_small = before.isalpha() and before.islower() and character.isupper()
        small_among_capitals = character.islower() and before.isupper() and after.isupper()
        if not (after_small or small_among_capitals):
            count += 1
    return count


def _lines(stream: IO[str], source: str) -> Iterator[str]:
    """Physical lines, whatever ends them, each at most MAX_LINE_CHARS long."""
    number = 0
    while line := stream.readline(MAX_LINE_CHARS):
        number += 1
        if len(line) >= MAX_LINE_CHARS and not line.endswith(("\n", "\r")):
            raise UserFacingError(
                f"{source}: line {number} is longer than {MAX_LINE_CHARS:,} characters; this is not a roster "
                "export. Nothing was imported."
            )
        yield line


def _text_table(path: Path, source: str, encoding: str) -> RosterTable:
    if encoding == "utf-8":
        encoding = _confirm_utf8(path, source)
    closer = ExitStack()
    try:
        # newline="" hands every line ending (CRLF, LF, CR alone) to the csv module, which knows them all.
        stream = closer.enter_context(path.open(encoding=encoding, newline="", errors="strict"))
        lines = _lines(stream, source)
        head = list(itertools.islice(lines, _HEAD_LINES))
        _refuse_markup("".join(head[:10]), source)
        separator = None
        first = head[0].strip().casefold() if head else ""
        if first.startswith("sep=") and len(first) == 5:  # Excel's own hint; Excel hides the line
            separator = head[0].strip()[4]
            head = head[1:]
        if separator is None:
            separator = _sniff_separator(head)
        records = csv.reader(itertools.chain(head, lines), delimiter=separator)
        numbered = _numbered_text_rows(records, source)
        looked_at = list(itertools.islice(numbered, HEADER_SEARCH_ROWS))
        guess = find_header([cells for _, cells in looked_at])
        if guess is None:
            raise RosterFileError(source, [RosterProblem(1, "-", "the file is empty")])
        if not guess.complete:
            row, header = looked_at[guess.index]
            where = f" (read as {_SEPARATORS.get(separator, repr(separator))}-separated text)"
            raise MissingColumnsError(source, row, guess.missing, describe_headers(header), where)
        header_row, header = looked_at[guess.index]
        _refuse_clashes(source, header_row, header)
        rows = _refuse_runaway_quotes(
            itertools.chain(looked_at[guess.index + 1 :], numbered), separator, list(header), source
        )
        separated = f"{_SEPARATORS.get(separator, repr(separator))}-separated"
        if encoding == "mac-roman":
            description = "as a Mac CSV (Mac Roman)" + ("" if separator == "," else f", {separated}")
        else:
            kind = "UTF-16 text" if encoding.startswith("utf-16") else "text"
            description = f"{separated} {kind}"
        if header_row > 1:
            description += f", header in row {header_row}"
        return RosterTable(header_row, list(header), guess, rows, description, True, closer)
    except UnicodeDecodeError as error:
        closer.close()
        raise UserFacingError(
            f"{source}: the file is not {encoding.upper()} text throughout ({error.reason}); nothing was imported."
        ) from error
    except BaseException:
        closer.close()
        raise


def _numbered_text_rows(records: Iterator[list[str]], source: str) -> Iterator[tuple[int, list[Cell]]]:
    number = 0
    try:
        for number, cells in enumerate(records, start=1):
            yield number, list(cells)
    except csv.Error as error:
        raise UserFacingError(
            f"{source}: row {number + 1} cannot be read as CSV ({error}); nothing was imported."
        ) from error
    except UnicodeDecodeError as error:
        raise UserFacingError(
            f"{source}: row {number + 1} is not valid text ({error.reason}); nothing was imported."
        ) from error


def _refuse_runaway_quotes(
    rows: Iterator[tuple[int, list[Cell]]], separator: str, header: list[Cell], source: str
) -> Iterator[tuple[int, list[Cell]]]:
    """The rows, refusing the file at a cell whose quotation mark swallowed the rows after it. A stray `"` at
    the start of a cell (`"Patel,NORTH,...` with no closing quote) makes the csv module read every line after
    it into that one cell, and the file then looks like one short row: the problems in the rows swallowed were
    never seen. A real multi-line cell (an address over two lines) holds a line break or two and a comma at
    most; a line inside a cell with as many separators as the header has is a row of the file."""
    enough = max(len(header) - 1, 2)
    rows = iter(rows)
    for number, cells in rows:
        for index, cell in enumerate(cells):
            if not isinstance(cell, str) or ("\n" not in cell and "\r" not in cell):
                continue
            lines = cell.splitlines()
            if any(line.count(separator) >= enough for line in lines[1:]):
                # Never closed: the reader met the end of the file inside it, so nothing follows it.
                closed = index < len(cells) - 1 or next(rows, None) is not None
                named = file_column(index, header[index] if index < len(header) else "")
                raise _runaway_quote(source, number, named, number + len(lines) - 1, closed)
        yield number, cells


def _runaway_quote(source: str, row: int, column: str, last: int, closed: bool) -> UserFacingError:
    swallowed = f"row {last}" if last == row + 1 else f"rows {row + 1} to {last}"
    where = f"is not closed until row {last}" if closed else "is never closed"
    return UserFacingError(
        f'{source}: row {row} opens a quotation mark (") in {column} that {where}, so {swallowed} could not be '
        "read. Remove the stray quotation mark, or close it, and choose the file again."
    )


def _sniff_separator(head: list[str]) -> str:
    """The separator under which a header appears; failing that, the one that splits the first line most."""
    best, best_score = ",", (-1, -1, -1)
    for separator in _SEPARATORS:
        try:
            rows = list(csv.reader(head[:HEADER_SEARCH_ROWS], delimiter=separator))
        except csv.Error:
            continue
        guess = find_header(rows)
        widest = max((len(r) for r in rows), default=0)
        score = (*(guess.score if guess else (0, 0)), widest)
        if score > best_score:
            best, best_score = separator, score
    return best


def _refuse_clashes(source: str, header_row: int, header: list[Cell]) -> None:
    """Refuse a header where two columns are equally good candidates for one of ours (two "Staff No"
    columns, or "ID" and "Number" with no "Staff Number"): whichever we took, half the time it would be the
    wrong one, and a roster keyed on record ids looks perfectly normal until it is used."""
    clashes = column_clashes(header)
    if not clashes:
        return
    problems = [
        RosterProblem(
            header_row,
            name,
            f"two or more columns could be the {name.replace('_', ' ')}: "
            + " and ".join(file_column(i, header[i]) for i in places)
            + ": rename or remove all but one",
        )
        for name, places in clashes.items()
    ]
    raise RosterFileError(source, problems)


def _refuse_markup(head: str, source: str) -> None:
    start = head.lstrip().casefold()[:2000]
    if start.startswith("<") and ("<html" in start or "<!doctype html" in start or "<table" in start):
        raise UserFacingError(
            f"{source}: this is an HTML page, not a spreadsheet (some HR systems save a web page with an .xls "
            "name): open it in Excel and save it as .xlsx (Excel Workbook) or as CSV UTF-8."
        )
    if start.startswith("<?xml") and "urn:schemas-microsoft-com:office:spreadsheet" in start:
        raise UserFacingError(
            f"{source}: this is an Excel 2003 XML spreadsheet: open it in Excel and save it as .xlsx (Excel Workbook)."
        )
    if start.startswith(("{\\rtf", "<?xml", "<")):
        raise UserFacingError(f"{source}: this is a document or markup, not a spreadsheet or CSV file.")


# --- workbooks ----------------------------------------------------------------------------------------------
def _workbook_table(path: Path, source: str) -> RosterTable:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as error:
        raise UserFacingError(f"{source}: not a readable Excel workbook (the file is damaged)") from error
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            what = "an OpenDocument file (LibreOffice): save it as .xlsx (Excel Workbook)"
        elif "word/document.xml" in names:
            what = "a Word document, not a spreadsheet"
        else:
            what = "a zip archive, not an Excel workbook"
        raise UserFacingError(f"{source}: this is {what}.")
    from openpyxl import load_workbook  # only for Excel files: it is slow to import

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about features it skips; the cells are what we need
            workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserFacingError(f"{source}: not a readable Excel workbook ({type(error).__name__})") from error
    closer = ExitStack()
    closer.callback(workbook.close)
    try:
        return _first_roster_sheet(workbook, source, closer)
    except BaseException:
        closer.close()
        raise


def _first_roster_sheet(workbook: Any, source: str, closer: ExitStack) -> RosterTable:
    """The first visible sheet with a roster header; hidden sheets (lookups, old copies) are never read."""
    skipped: list[str] = []
    best: tuple[str, int, HeaderGuess, list[Cell]] | None = None
    for sheet in workbook.worksheets:
        if sheet.sheet_state != "visible":
            skipped.append(f'hidden sheet "{sheet.title}"')
            continue
        rows = _sheet_rows(sheet, source)
        looked_at = list(itertools.islice(rows, HEADER_SEARCH_ROWS))
        guess = find_header([cells for _, cells in looked_at])
        if guess is not None and guess.complete:
            header_row, header = looked_at[guess.index]
            _refuse_clashes(source, header_row, header)
            description = f'sheet "{sheet.title}"'
            if header_row > 1:
                description += f", header in row {header_row}"
            if skipped:
                description += f" (skipped {', '.join(skipped)})"
            return RosterTable(
                header_row,
                header,
                guess,
                itertools.chain(looked_at[guess.index + 1 :], rows),
                description,
                False,
                closer,
            )
        skipped.append(f'sheet "{sheet.title}"')
        if guess is not None and (best is None or guess.score > best[2].score):
            best = (sheet.title, looked_at[guess.index][0], guess, looked_at[guess.index][1])
    looked = f" (looked at {', '.join(skipped)})" if skipped else ""
    if best is None:
        raise UserFacingError(f"{source}: no sheet has a roster header{looked}; nothing was imported.")
    title, row, guess, header = best
    raise MissingColumnsError(source, row, guess.missing, describe_headers(header), f' of sheet "{title}"{looked}')


def _sheet_rows(sheet: Any, source: str) -> Iterator[tuple[int, list[Cell]]]:
    """A sheet's rows, numbered as Excel numbers them. openpyxl reads cells as they are asked for, and raises
    its own errors for a damaged one (text in a cell typed as a number, as some HR exporters write): said as
    what it is, a damaged workbook, never quoting the cell (its text is someone's name)."""
    values = iter(sheet.values)
    number = 0
    while True:
        try:
            found = next(values)
        except StopIteration:
            return
        except Exception:  # openpyxl raises many kinds; its message quotes the cell
            raise UserFacingError(
                f'{source}: not a readable Excel workbook: a cell in row {number + 1} of sheet "{sheet.title}" is '
                "damaged (its type does not match what it holds). Open the file in Excel and save it again, or "
                "export it as CSV UTF-8."
            ) from None
        number += 1
        yield number, [_cell(v) for v in found]


def _cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < 1e15 else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value)
