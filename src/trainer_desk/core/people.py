"""People on the roster, as the register needs them and no more."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# Staff and warrant numbers seen in HR exports: letters and digits, sometimes a short prefix.
_STAFF_NUMBER = re.compile(r"^(?=[A-Z]*[0-9])[A-Z0-9]{3,12}$")  # at least one digit: "ABC" is a typo, not a number


# Letters that Unicode decomposition leaves whole, spelled as people type them on a UK keyboard.
# Letters and digits of every script stay (王, محمد, Иван): only punctuation and symbols go.
_NOT_NAME = re.compile(r"[^\w ]|_")
# Letters that do not decompose into a base letter and an accent, written as a keyboard without them would
# (\u0131 is Turkish's dotless i).
_WHOLE_LETTERS = str.maketrans(
    {"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE", "đ": "d", "Đ": "D", "\u0131": "i"}
)


class PersonRole(StrEnum):
    OFFICER = "officer"
    STAFF = "staff"
    SPECIAL = "special"  # special constable
    VOLUNTEER = "volunteer"
    CONTRACTOR = "contractor"


@dataclass(frozen=True, slots=True)
class Person:
    staff_number: str
    forename: str
    surname: str
    unit_code: str
    role: PersonRole
    rank: str = ""  # rank for officers, grade for staff
    team: str = ""  # the team or section within the unit, where HR records one
    joined: date | None = None  # when they joined the force, where HR records it: new joiners' due dates
    email: str = ""  # for HQ's six-month follow-up invitation only: HQ keeps it, laptops never store it

    @property
    def full_name(self) -> str:
        return written_name(self.forename, self.surname)


# Han (with its extensions and compatibility forms), kana and Hangul, and the marks written inside such names
# (the repeat mark of 佐々木): the scripts whose names are written family name first, with no space between.
_EAST_ASIAN_NAME = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u3005-\u3007\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\uff65-\uff9f\U00020000-\U0003ffff]+"
)
# A name in katakana alone is most often a foreign name transliterated, written forename first.
_KATAKANA_ONLY = re.compile("[\u30a0-\u30ff\uff65-\uff9f]+")


def written_name(forename: str, surname: str) -> str:
    """A name as its owner writes it, from a roster's forename and surname columns: a Chinese, Japanese or
    Korean name family name first with no space (王小明 from 小明 and 王, as HR files them), any other
    forename first (Aleksandra Wiśniewska). One rule for the register, the sheets, the console and HQ's
    files; the self sign-in greeting uses the forename alone."""
    if (
        _EAST_ASIAN_NAME.fullmatch(forename)
        and _EAST_ASIAN_NAME.fullmatch(surname)
        and not (_KATAKANA_ONLY.fullmatch(forename) and _KATAKANA_ONLY.fullmatch(surname))
    ):
        return f"{surname}{forename}"
    return " ".join(part for part in (forename, surname) if part)


# What hides or reorders the text shown of anything: control characters (Unicode's Cc), line and paragraph
# separators, and the invisible marks that turn the text after them around (bidirectional embeddings, overrides
# and isolates: "Evil\u202egnp.exe" shows as "Evilexe.png"). Names in Arabic or Hebrew need none of them. What HQ
# and a laptop take from each other is checked against this alone (`record_checks`): a registration an earlier
# release wrote cannot be typed again, and is refused for good if refused at all.
GARBLING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")

# Scripts whose names put a zero-width non-joiner or joiner (U+200C, U+200D) between their letters to choose a
# letter's form: Arabic with its supplements and presentation forms (Persian, Urdu, Pashto, Kurdish), Syriac,
# Thaana and N'Ko, the Indic scripts and Sinhala, Myanmar, Khmer and Mongolian.
_JOINING_SCRIPTS = "\u0600-\u08ff\u0900-\u0dff\u1000-\u109f\u1780-\u18af\ua8e0-\ua8ff\ufb50-\ufdff\ufe70-\ufefc"
_JOINERS = "\u200c\u200d"

# What no name, room or other text a person types holds: all the above, and the characters a copy from a web page
# or a spreadsheet cell brings that cannot be seen yet stop a name matching the same name typed (search,
# duplicates, compliance): the zero-width space, the word joiner, a byte-order mark, the direction marks
# (U+200E, U+200F and Arabic's U+061C), and a joiner anywhere but between two letters of a script that uses it.
# One definition, for the roster's import (at the laptop and at HQ) and a walk-in.
HIDDEN = re.compile(
    f"{GARBLING.pattern}|[\u061c\u200b\u200e\u200f\u2060\ufeff]"
    f"|(?<![{_JOINING_SCRIPTS}])[{_JOINERS}]|[{_JOINERS}](?![{_JOINING_SCRIPTS}])"
)

_INVISIBLE = {
    "\u200b": "a zero-width space",
    "\u200c": "a zero-width non-joiner",
    "\u200d": "a zero-width joiner",
    "\u2060": "a word joiner",
    "\ufeff": "a byte-order mark",
    "\u200e": "a left-to-right mark",
    "\u200f": "a right-to-left mark",
    "\u061c": "an Arabic letter mark",
}


def hidden_character(text: str) -> str:
    """The first character of `text` that `HIDDEN` finds, in words ("a line break", "a control character
    (U+001B)", "a zero-width space (U+200B), which cannot be seen but ..."), or '' when there is none. The words
    say why it matters, since the person reading them cannot see what they are asked to remove."""
    found = HIDDEN.search(text)
    if found is None:
        return ""
    ch = found.group()
    if ch in "\r\n\u2028\u2029":
        return "a line break"
    if unicodedata.category(ch) == "Cc":
        return f"a control character (U+{ord(ch):04X})"
    if ch in _INVISIBLE:
        where = " between letters that do not use it" if ch in _JOINERS else ""
        said = f"{_INVISIBLE[ch]} (U+{ord(ch):04X}){where}"
        return f"{said}, which cannot be seen but stops searches and matches finding it"
    return f"a direction control (U+{ord(ch):04X}), which reorders the letters shown after it"


def normalise_staff_number(raw: str) -> str:
    """Staff numbers are compared without spaces and case, as scanners and people type them differently."""
    return re.sub(r"[\s-]", "", raw).upper()


def is_valid_staff_number(number: str) -> bool:
    return bool(_STAFF_NUMBER.fullmatch(number))


@functools.lru_cache(maxsize=65_536)  # a force's roster repeats forenames and surnames many times over
def fold_name(text: str) -> str:
    """Fold a name for searching: accents, case and punctuation must not stop a match (Ni Bhriain, OBrien,
    Dang for Đặng, Yildiz for the Turkish name with a dotless i), and a name in Arabic or Chinese script is
    found as typed."""
    if not text.isascii():  # most names are plain ASCII, which none of these steps would change
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_WHOLE_LETTERS)
    return _NOT_NAME.sub("", text.casefold().replace("-", " "))


_DAY_FIRST = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


def parse_joined(text: str) -> date | None:
    """A joining date as HR writes it: 2026-01-31 (a workbook's date cell arrives so), or day first as in
    the UK (31/01/2026, 31 Jan 2026). Empty: not recorded. Anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for pattern in _DAY_FIRST:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
