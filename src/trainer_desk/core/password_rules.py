"""What makes a new password (HQ's console) or passphrase (a laptop's database) too easy to guess, as the NCSC
advises: not a length rule alone, which `aaaaaaaaaaaa` passes, but a refusal of the passwords people choose
most often, of one character repeated or a simple run of them, of one holding its own account's name, and of
one made from the names of the place it guards (`westshire2024`: a force's name and a year is tried early).
No rule of "a digit and a symbol": those push people to `Password1!`, which the list refuses anyway."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from trainer_desk.core.common_passwords import COMMON

COMMON_ONE = "That is one of the most commonly used passwords, which are tried first: choose another."
REPEATED = "A character or a few repeated over and over is guessed at once: choose another."
SEQUENCE = "A simple run of letters or digits (like abcdef or 987654) is guessed at once: choose another."
HOLDS_NAME = "A password must not contain your username: choose another."
LOCAL_NAME = (
    "A password made from the name of a force, a unit, the police or Trainer Desk (with digits or symbols added) "
    "is among the first tried here: choose another."
)
_ADDED = re.compile(r"^[\W\d_]*(.*?)[\W\d_]*$")  # what is left once digits and symbols around it are taken off


def guessable(password: str, username: str = "", local_names: Iterable[str] = ()) -> str:
    """Why `password` would be guessed quickly, or "" when it is fine (its length is checked by its caller,
    whose minimum differs). `local_names`: the names of the place it guards (its forces' and units'), which
    someone guessing tries first, as they do the common words."""
    plain = password.lower().replace(" ", "")
    if plain in COMMON or _stem(plain) in COMMON:
        return COMMON_ONE
    local = local_words(local_names)
    if plain in local or _stem(plain, 4) in local:
        return LOCAL_NAME
    if _repeats(plain):
        return REPEATED
    if _is_run(plain):
        return SEQUENCE
    name = username.strip().lower()
    if len(name) >= 3 and name in password.lower():
        return HOLDS_NAME
    return ""


def local_words(names: Iterable[str]) -> frozenset[str]:
    """Each name as a password would spell it (lowercase, no spaces, digits and symbols around it taken off),
    with each of its words of four letters or more, and "police" and "trainerdesk", which every force's HQ
    shares: "Westshire Police" gives `westshirepolice`, `westshire` and `police`."""
    words = {"police", "trainerdesk"}
    for name in names:
        plain = name.lower().replace(" ", "")
        words.update(w for w in (plain, _stem(plain, 4)) if w)
        words.update(w for w in re.split(r"[\W\d_]+", name.lower()) if len(w) >= 4)
    return frozenset(words)


def _stem(plain: str, shortest: int = 6) -> str:
    """`monkey2024!` → `monkey`: a common word with digits or symbols added is as easy to guess."""
    found = _ADDED.match(plain)
    stem = found.group(1) if found else plain
    return stem if len(stem) >= shortest else ""


def _repeats(plain: str) -> bool:
    """One character repeated, or a short group of up to three (`abcabcabcabc`, `121212121212`)."""
    return any(len(plain) >= 2 * size and plain == plain[:size] * (len(plain) // size) for size in (1, 2, 3))


def _is_run(plain: str) -> bool:
    """Each character one on from the last, up or down the alphabet or the digits."""
    steps = {ord(b) - ord(a) for a, b in itertools.pairwise(plain)}
    return len(plain) > 2 and len(steps) == 1 and steps <= {1, -1}
