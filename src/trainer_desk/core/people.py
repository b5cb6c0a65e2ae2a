"""People on the roster, as the register needs them and no more."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

# Staff and warrant numbers seen in HR exports: letters and digits, sometimes a short prefix.
_STAFF_NUMBER = re.compile(r"^(?=[A-Z]*[0-9])[A-Z0-9]{3,12}$")  # at least one digit: "ABC" is a typo, not a number


# Letters that Unicode decomposition leaves whole, spelled as people type them on a UK keyboard.
_NOT_NAME = re.compile(r"[^a-z0-9 ]+")
_WHOLE_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae", "Æ": "AE"})


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

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}"


def normalise_staff_number(raw: str) -> str:
    """Staff numbers are compared without spaces and case, as scanners and people type them differently."""
    return re.sub(r"[\s-]", "", raw).upper()


def is_valid_staff_number(number: str) -> bool:
    return bool(_STAFF_NUMBER.fullmatch(number))


@functools.lru_cache(maxsize=65_536)  # a force's roster repeats forenames and surnames many times over
def fold_name(text: str) -> str:
    """Fold a name for searching: accents, case and punctuation must not stop a match (Ni Bhriain, OBrien)."""
    if not text.isascii():  # most names are plain ASCII, which none of these steps would change
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_WHOLE_LETTERS)
    return _NOT_NAME.sub("", text.casefold().replace("-", " "))
