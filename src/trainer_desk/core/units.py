"""Organisation units: where people work and whose compliance a training lead answers for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    BCU = "BCU"  # Basic Command Unit: a geographic area
    OCU = "OCU"  # specialist command


@dataclass(frozen=True, slots=True)
class OrgUnit:
    code: str
    name: str
    kind: UnitKind


def _bcu(name: str) -> OrgUnit:
    return OrgUnit(code=name.upper().replace(" ", "-"), name=name, kind=UnitKind.BCU)


# The default profile: the twelve BCUs and one specialist command. IT can replace the list in config.
DEFAULT_UNITS: tuple[OrgUnit, ...] = (
    *(
        _bcu(name)
        for name in (
            "Central East",
            "Central North",
            "Central South",
            "Central West",
            "East",
            "North",
            "North East",
            "North West",
            "South",
            "South East",
            "South West",
            "West",
        )
    ),
    OrgUnit(code="SO-PROTECTION", name="Specialist Operations - Protection", kind=UnitKind.OCU),
)
