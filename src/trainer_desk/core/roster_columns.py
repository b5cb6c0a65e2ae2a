"""Which of a roster file's columns hold what, and which row is the header.

HR exports name their columns in many ways, and some put a title or a date above the header, so the header is
looked for within the first rows rather than assumed to be row 1. The same scoring picks the separator of a
text file: the one under which a header appears.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from trainer_desk.core.people import HIDDEN

# Our column name, then the header names HR systems use for it (compared case- and space-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "staff_number": (
        "staff number",
        "staff no",
        "staff_no",
        "warrant number",
        "warrant no",
        "employee number",
        "employee id",
        "payroll number",
        "personnel number",
        "id",
        "number",
    ),
    "forename": ("first name", "firstname", "given name", "forenames", "first"),
    "surname": ("last name", "lastname", "family name", "second name", "last"),
    "unit": ("unit code", "bcu", "ocu", "command", "department", "dept", "borough", "unit name"),
    "role": ("type", "staff type", "person type", "category", "employee type"),
    "rank": ("grade", "rank or grade", "rank/grade", "band"),
    "team": ("team name", "section", "shift", "team or section"),
    "email": ("email address", "e-mail", "e-mail address", "work email", "work email address", "mail"),
    "joined": (
        "date joined",
        "join date",
        "joining date",
        "date of joining",
        "start date",
        "employment start date",
        "service start date",
    ),
}
REQUIRED = ("staff_number", "forename", "surname", "unit")
HEADER_SEARCH_ROWS = 20  # a title, a date and a blank line above the header are common; twenty is plenty
HEADER_SHOWN = 40  # characters of a header cell a message quotes: enough to recognise it, never a paragraph

_WANTED = {name: frozenset({name.replace("_", " "), *aliases}) for name, aliases in COLUMN_ALIASES.items()}
# Headers that name a staff number only when nothing better does: HR exports often carry a record "ID" or a
# phone "Number" beside the real staff number, and taking those would key the whole roster on the wrong column.
_GENERIC = frozenset({"id", "number"})


def header_key(header: str) -> str:
    """A header as compared with the names above: case, spacing, underscores and the punctuation HR exports
    add ("Staff No.", "Forename(s)", "Unit:") aside."""
    plain = header.replace("_", " ").replace("\ufeff", "").translate(_PUNCTUATION)
    return " ".join(plain.strip().casefold().split())


_PUNCTUATION = str.maketrans("", "", ".():#*")


def described(column: str) -> str:
    """A column as a person knows it, with headers that name it: for a message about a missing column."""
    names = [column.replace("_", " "), *COLUMN_ALIASES.get(column, ())]
    shown = (n.upper() if len(n) <= 3 else n[:1].upper() + n[1:] for n in names if "_" not in n)  # BCU, ID
    examples = list(dict.fromkeys(shown))[:4]
    return f"the {column.replace('_', ' ')} (a header such as {', '.join(repr(e) for e in examples)})"


def match_columns(header: Sequence[object]) -> dict[str, int]:
    """Our column names and where they are in `header`: a specific header ("Staff Number") wins over a generic
    one ("ID"); among equally good headers the first wins here, and `column_clashes` names the tie."""
    return {name: places[0] for name, places in _candidates(header).items()}


def column_clashes(header: Sequence[object]) -> dict[str, list[int]]:
    """Our columns that two or more equally good headers could be ("Staff No" and "Staff Number", or "ID" and
    "Number" with nothing better), with where they are: guessing would import the wrong numbers silently."""
    return {name: places for name, places in _candidates(header).items() if len(places) > 1}


def _candidates(header: Sequence[object]) -> dict[str, list[int]]:
    """For each of our columns, the positions of the best headers naming it (specific before generic)."""
    found: dict[str, tuple[bool, list[int]]] = {}
    for index, cell in enumerate(header):
        key = header_key(cell) if isinstance(cell, str) else ""
        for name, keys in _WANTED.items():
            if key not in keys:
                continue
            generic = key in _GENERIC
            best = found.get(name)
            if best is None or (best[0] and not generic):
                found[name] = (generic, [index])
            elif best[0] == generic:
                best[1].append(index)
    return {name: places for name, (_, places) in found.items()}


@dataclass(frozen=True, slots=True)
class HeaderGuess:
    index: int  # position among the rows looked at
    columns: dict[str, int]

    @property
    def complete(self) -> bool:
        return all(name in self.columns for name in REQUIRED)

    @property
    def score(self) -> tuple[int, int]:
        return sum(name in self.columns for name in REQUIRED), len(self.columns)

    @property
    def missing(self) -> list[str]:
        return [name for name in REQUIRED if name not in self.columns]


def find_header(rows: Sequence[Sequence[object]]) -> HeaderGuess | None:
    """The first row naming every required column; failing that, the row naming most of them (the one to
    describe when refusing); None when no row has a cell in it."""
    best: HeaderGuess | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if not any(isinstance(cell, str) and cell.strip() for cell in row):
            continue
        guess = HeaderGuess(index, match_columns(row))
        if guess.complete:
            return guess
        if best is None or guess.score > best.score:
            best = guess
    return best


def describe_headers(row: Sequence[object], limit: int = 20) -> str:
    """The header cells as found, quoted and shortened, so a refusal shows what the file calls its columns."""
    cells = [shown_header(cell) for cell in row if str(cell).strip()]
    shown = ", ".join(f'"{cell}"' for cell in cells[:limit])
    more = f" and {len(cells) - limit} more" if len(cells) > limit else ""
    return shown + more if shown else "no headers"


def shown_header(cell: object) -> str:
    """A header cell as a message can quote it. A header is no one's personal data, but it is whatever HR
    typed: Excel's wrapped headers ("Payroll\nNumber") are put on one line, any other control or direction
    character is shown as U+FFFD (one would reorder or hide the message's words after it), and a long one is
    cut short."""
    text = HIDDEN.sub("\ufffd", " ".join(str(cell).split()))
    return text if len(text) <= HEADER_SHOWN else text[: HEADER_SHOWN - 1] + "\u2026"


def column_letter(index: int) -> str:
    """A column as a spreadsheet names it: 0 is A, 26 is AA (Excel shows a CSV's columns so too)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def file_column(index: int, header: object) -> str:
    """A column as the person fixing the file sees it in Excel, by its letter and its header cell: 'column C
    "Payroll Number"'. Our own names for columns ("staff_number") mean nothing to them."""
    text = shown_header(header)
    return f'column {column_letter(index)} "{text}"' if text else f"column {column_letter(index)}"
