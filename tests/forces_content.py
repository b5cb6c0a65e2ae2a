"""One HQ for two forces, Westshire and Northshire, with lesson content published once for both: a shared
force.toml that names Northshire (as the one a review published did), and each force's own details beside it
in forces/WST.toml and forces/NTH.toml."""

from __future__ import annotations

import shutil
from pathlib import Path

from trainer_desk.core.people import Person, PersonRole
from trainer_desk.core.unit_tree import UnitNode
from trainer_desk.paths import bundled

WEST_AND_NORTH = [
    UnitNode("WST", "Westshire Police", "force"),
    UnitNode("WST-1", "Westshire BCU", "BCU", "WST"),
    UnitNode("NTH", "Northshire Police", "force"),
    UnitNode("NTH-1", "Northshire BCU", "BCU", "NTH"),
]
PEOPLE = [
    Person("610001", "Bethan", "Morgan", "WST-1", PersonRole.OFFICER),
    Person("620001", "Kwame", "Mensah", "NTH-1", PersonRole.OFFICER),
]
WEST_WELLBEING = "Westshire Wellbeing Service, 01632 960777"
NORTH_WELLBEING = "Northshire Wellbeing Hub, 01234 567890"


def plans_for_two_forces(tmp_path: Path, *, extra: dict[str, str] | None = None) -> Path:
    """The bundled plans with a shared force.toml naming Northshire, and a file of its own for each force
    (`extra`: more files, path -> text)."""
    folder = tmp_path / "lesson_plans"
    shutil.copytree(bundled("lesson_plans"), folder)
    (folder / "force.toml").write_text(
        f'[force]\nname = "Northshire Police"\nwellbeing_lead = "{NORTH_WELLBEING}"\n', encoding="utf-8"
    )
    (folder / "forces").mkdir()
    (folder / "forces" / "WST.toml").write_text(
        f'[force]\nname = "Westshire Police"\nwellbeing_lead = "{WEST_WELLBEING}"\n', encoding="utf-8"
    )
    (folder / "forces" / "NTH.toml").write_text(f'[force]\nwellbeing_lead = "{NORTH_WELLBEING}"\n', encoding="utf-8")
    for path, text in (extra or {}).items():
        (folder / path).write_text(text, encoding="utf-8")
    return folder
