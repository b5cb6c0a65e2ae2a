"""Each force's own details, where one HQ serves several forces with one set of lesson content.

The shared `force.toml` beside the plans holds what every force's laptops show. A force whose details differ
(its name, values, wellbeing lead, reporting routes, support services...) has a file of its own in the
`forces/` folder beside it, named by the force's unit code in HQ's unit tree (`forces/WST.toml`), in the same
format: a `[force]` table. A laptop takes each field from its own force's file, then from the shared file,
then from IT's settings, so that a Westshire projector never shows Northshire's support lines.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from trainer_desk.core.force_fields import read_force_fields

FORCES_FOLDER = "forces"
SUFFIX = ".toml"


def force_file(root: Path, force_code: str) -> Path:
    """Where `force_code`'s own details lie in a content folder (the file may not exist)."""
    return root / FORCES_FOLDER / f"{force_code}{SUFFIX}"


def codes_in(root: Path) -> list[str]:
    """The force codes that have a file of their own in a content folder, sorted."""
    folder = root / FORCES_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p.name.removesuffix(SUFFIX) for p in folder.iterdir() if p.is_file() and p.name.endswith(SUFFIX))


def problems_in(root: Path, forces: Collection[str] | None) -> list[str]:
    """Each problem with the forces' own files, as "forces/FILE: message": a file that is not a `CODE.toml`, a
    code that is not one of `forces` (HQ's forces, the top units of its tree; None: not checked), and the field
    checks `force.toml` has. Without them a misspelt code would leave that force showing the shared details."""
    folder = root / FORCES_FOLDER
    if not folder.exists():
        return []
    if not folder.is_dir():
        return [f"{FORCES_FOLDER}: must be a folder holding one file per force, named by its unit code (WST.toml)"]
    problems = []
    for path in sorted(folder.iterdir()):
        inside = f"{FORCES_FOLDER}/{path.name}"
        if path.name.startswith("."):
            continue  # hidden files are never published
        code = path.name.removesuffix(SUFFIX)
        if not path.is_file() or not path.name.endswith(SUFFIX) or not code:
            problems.append(f"{inside}: only a file per force belongs here, named by its unit code (WST.toml)")
            continue
        if forces is not None and not forces:
            problems.append(
                f"{inside}: HQ has no unit tree yet, so it knows no force {code}: import the unit tree, then publish"
            )
        elif forces is not None and code not in forces:
            known = ", ".join(sorted(forces))
            problems.append(f"{inside}: {code} is not a force in HQ's unit tree (its forces: {known})")
        problems += [f"{inside}: {problem}" for problem in read_force_fields(path)[1]]
    return problems


@dataclass(frozen=True, slots=True)
class ForceCoverage:
    """Which forces have details of their own in a content folder, and which show the shared file's."""

    own: tuple[str, ...]
    shared: tuple[str, ...]


def coverage(root: Path, forces: Collection[str]) -> ForceCoverage:
    """Of `forces` (HQ's forces), those with a file of their own in `root` and those falling back."""
    with_own = set(codes_in(root))
    return ForceCoverage(
        tuple(sorted(code for code in forces if code in with_own)),
        tuple(sorted(code for code in forces if code not in with_own)),
    )


def plain_code(code: str) -> bool:
    """A code that names a file in `forces/` and nothing outside it."""
    return bool(code) and "/" not in code and "\\" not in code and code not in (".", "..")
