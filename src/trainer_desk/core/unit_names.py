"""A unit as people write it in a spreadsheet: by its code ("CENTRAL-EAST") or by the name the app shows
("Central East", "Specialist Operations - Protection", "specialist operations protection"), whatever the case,
spacing, hyphens, ampersands or accents. HR's exports name units as their own systems do, rarely by our codes.

A code always means its own unit. A name two units share ("Response Team 1" in two BCUs) is refused, naming
both, rather than guessed: a wrong guess would move people into another unit's compliance figures."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def unit_key(text: str) -> str:
    """`text` folded as it is compared: accents dropped, case ignored, "&" read as "and", and every run of
    spaces, hyphens, slashes and other punctuation read as one space."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold().replace("&", " and ")
    return _NOT_WORD.sub(" ", plain).strip()


def unit_label(code: str, name: str) -> str:
    """A unit as the advice names it: "Central East (CENTRAL-EAST)", or its code alone where no name is known."""
    return f"{name} ({code})" if name else code


def unit_for_people(code: str, names: Mapping[str, str]) -> str:
    """A unit as the people reading a message know it, for every reason HQ gives a laptop: "North BCU
    (NORTH)". The code stays in brackets, since a name alone can be two units' ("Response Team 1" in two BCUs),
    unless the name is only the code written out ("North" for NORTH); a unit HQ has no name for is its code."""
    if not code:
        return "no unit"
    name = names.get(code, "")
    if name and unit_key(name) == unit_key(code):
        return name
    return unit_label(code, name)


@dataclass(frozen=True, slots=True)
class UnitMatch:
    """What a cell names: one unit's code, or (`shared`) the several units whose name it is."""

    code: str | None
    shared: tuple[str, ...] = ()


class UnitNames:
    """The units known here, found by code or by name."""

    def __init__(
        self, units: Iterable[str] | Mapping[str, str], elsewhere: Mapping[str, str] | None = None, here: str = ""
    ) -> None:
        """`units` maps each code to its name; a plain list of codes is found by code alone. `elsewhere` maps
        the codes and names of units that are not these but another force's, to that force's name, for someone
        who may see them: a row of one is not "not a known unit" but a sign the file is another force's than
        `here`, the force chosen."""
        self.names: dict[str, str] = dict(units) if isinstance(units, Mapping) else {code: "" for code in units}
        self.elsewhere = {unit_key(written): force for written, force in (elsewhere or {}).items()}
        self.here = here
        self._codes = {unit_key(code): code for code in self.names}
        self._named: dict[str, list[str]] = {}
        for code, name in sorted(self.names.items()):
            if name:
                self._named.setdefault(unit_key(name), []).append(code)

    def match(self, written: str) -> UnitMatch:
        key = unit_key(written)
        if not key:
            return UnitMatch(None)
        if key in self._codes:
            return UnitMatch(self._codes[key])
        found = self._named.get(key, [])
        if len(found) == 1:
            return UnitMatch(found[0])
        return UnitMatch(None, tuple(found))

    def other_force(self, written: str) -> str:
        """The name of the other force whose unit `written` is, for one who may be told; blank otherwise."""
        return self.elsewhere.get(unit_key(written), "")

    def labels(self) -> list[str]:
        """Every unit as "Name (CODE)", in the order of their names, for the advice under the problems."""
        return [unit_label(code, name) for code, name in sorted(self.names.items(), key=lambda u: (u[1], u[0]))]
