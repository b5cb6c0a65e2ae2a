"""CSV that opens cleanly in Excel (UTF-8 with a byte-order mark) and cannot run a formula.

A cell starting with =, +, -, @ (or a tab or carriage return) is read by spreadsheet programs as a formula;
such cells get a leading apostrophe, the usual neutraliser, so a name typed as '=HYPERLINK(...)' stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TextIO

from trainer_desk.core.atomic_file import atomic_target

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def write_rows(handle: TextIO, header: Sequence[str], rows: Iterable[Sequence[object]]) -> None:
    """The one place rows become CSV, so every export, download and printout is neutralised alike."""
    writer = csv.writer(handle)
    writer.writerow([safe_cell(h) for h in header])
    writer.writerows([safe_cell(v) for v in row] for row in rows)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[object]]) -> Path:
    with atomic_target(path) as partial, partial.open("w", newline="", encoding="utf-8-sig") as handle:
        write_rows(handle, header, rows)
    return path


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """The same CSV as a download's body, with the byte-order mark Excel needs to read it as UTF-8."""
    text = io.StringIO()
    write_rows(text, header, rows)
    return "\ufeff" + text.getvalue()
