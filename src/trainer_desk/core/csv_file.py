"""CSV that opens cleanly in Excel (UTF-8 with a byte-order mark) and cannot run a formula.

A cell starting with =, +, -, @ (or a tab or carriage return) is read by spreadsheet programs as a formula;
such cells get a leading apostrophe, the usual neutraliser, so a name typed as '=HYPERLINK(...)' stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from pathlib import Path
from typing import Any, TextIO

from trainer_desk.core.atomic_file import atomic_target

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """The one place rows become CSV, so every export, download and printout is neutralised alike."""
    writer = csv.writer(handle)
    writer.writerow([safe_cell(h) for h in header])
    _write_cells(writer, rows)


def _write_cells(writer: Any, rows: Iterable[Sequence[object]]) -> None:
    writer.writerows([safe_cell(v) for v in row] for row in rows)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with atomic_target(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as handle:
        write_rows(handle, header, rows)
    return path


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The same CSV as a download's body, with the byte-order mark Excel needs to read it as UTF-8."""
    return "".join(csv_pieces(header, rows))


def csv_pieces(header: Sequence[str], rows: Iterable[Sequence[object]], per_piece: int = 2000) -> Iterator[str]:
    """The same CSV a piece at a time (the byte-order mark and header, then `per_piece` rows each), so a
    download of millions of rows is sent as it is read rather than held whole in memory first."""
    text = io.StringIO()
    write_rows(text, header, ())
    yield "\ufeff" + text.getvalue()
    writer = csv.writer(text)
    batch = list(islice(rows_iter := iter(rows), per_piece))
    while batch:
        text.seek(0)
        text.truncate()
        _write_cells(writer, batch)
        yield text.getvalue()
        batch = list(islice(rows_iter, per_piece))
