"""HQ serving three forces, as the national review ran it: Northshire, Westshire and Eastshire Police, where
Northshire and Westshire each have a team called "North Response Team 1", and the published content names
Northshire, whose learning team published it."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.paths import bundled

THREE_FORCES = [
    UnitNode("NSP", "Northshire Police", "force"),
    UnitNode("NSP-N", "Northshire North BCU", "BCU", "NSP"),
    UnitNode("NSP-RT1", "North Response Team 1", "team", "NSP-N"),
    UnitNode("WSP", "Westshire Police", "force"),
    UnitNode("WSP-N", "Westshire North BCU", "BCU", "WSP"),
    UnitNode("WSP-RT1", "North Response Team 1", "team", "WSP-N"),
    UnitNode("ESP", "Eastshire Police", "force"),
    UnitNode("ESP-C", "Eastshire Central BCU", "BCU", "ESP"),
]

PEOPLE = [
    Person("810001", "Aleksandra", "Wiśniewska", "NSP-RT1", PersonRole.OFFICER),
    Person("810002", "Rhys", "ap Gwilym", "NSP-RT1", PersonRole.STAFF),
    Person("820001", "Ífeoma", "Okafor", "WSP-RT1", PersonRole.OFFICER),
    Person("820002", "Trần", "Văn Minh", "WSP-RT1", PersonRole.STAFF),
    Person("830001", "Yusuf", "Al-Masri", "ESP-C", PersonRole.OFFICER),
]


def content_naming_northshire(folder: Path) -> Path:
    """The bundled lesson plans with a force.toml that names Northshire Police, as Northshire publishes them."""
    copied = shutil.copytree(bundled("lesson_plans"), folder / "lesson_plans")
    force = copied / "force.toml"
    named = force.read_text(encoding="utf-8").replace("# name = ", "name = ", 1)
    force.write_text(named.replace('"Demonstration Police Service"', '"Northshire Police"', 1), encoding="utf-8")
    return copied
