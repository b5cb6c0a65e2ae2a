"""Demonstration content in a set of lesson plans: what the bundled plans ship with so that a trainer can try
them, and what no force should show a room as its own. One check lists every piece, for publishing an upload
and for going back to an earlier version alike, so that each front end asks once, for all of it.

A piece says so itself: a plan.toml with `sample_media = true` (the bundled sample films), and a force.toml or
programmes.toml with `demonstration = true` at its top (the made-up force's facts, policy and due dates). A
force that replaces them deletes the line."""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.force_fields import FORCE_FILE
from trainer_desk.hq import published
from trainer_desk.hq.published import PROGRAMME_RULES


class DemonstrationContentError(UserFacingError):
    """Content that is still the demonstration's, refused because nobody said to publish it anyway.

    Its own kind so that each front end can say how to say so: the command line names its flag, the console
    its tick box."""

    def __init__(self, pieces: list[str]) -> None:
        super().__init__(
            "not published: this content is still the demonstration's: "
            + "; ".join(pieces)
            + ". Replace it with the force's own, or publish anyway with --allow-sample-media."
        )
        self.pieces = pieces


def demonstration_content(folder: Path, files: list[Path]) -> list[str]:
    """Each piece of demonstration content among `files` (inside `folder`), in words a person reads. A file
    that cannot be read is left to the laptop's validator, which names the line."""
    films = []
    pieces = []
    for path in files:
        inside = path.relative_to(folder).as_posix()
        if path.name == "plan.toml" and _read(path).get("sample_media") is True:
            films.append(path.parent.relative_to(folder).as_posix())
        elif inside == FORCE_FILE and _read(path).get("demonstration") is True:
            pieces.append(
                f"{FORCE_FILE} holds the demonstration force's facts and policy (its values, where to report, "
                "support and wellbeing contacts), which laptops would show as the force's own"
            )
        elif inside == PROGRAMME_RULES and (read := _read(path)).get("demonstration") is True:
            pieces.append(f"{PROGRAMME_RULES} holds the demonstration force's due dates{_dates(read)}")
    if films:
        pieces.insert(
            0, "these plans use the bundled sample films, which trainers would show as real: " + ", ".join(films)
        )
    return pieces


def in_version(files: dict[str, str], blobs: Path) -> list[str]:
    """The demonstration content of a published version (path -> sha256): going back to it asks as publishing
    it did."""
    names = ("plan.toml", FORCE_FILE, PROGRAMME_RULES)
    wanted = {p: sha for p, sha in files.items() if Path(p).name in names and (blobs / sha).is_file()}
    with tempfile.TemporaryDirectory() as folder:
        published.lay_out(wanted, blobs, Path(folder))
        return demonstration_content(Path(folder), sorted(Path(folder) / p for p in wanted))


def _read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def _dates(rules: dict[str, Any]) -> str:
    entries = rules.get("programme", [])
    dates = sorted(
        {e["due"] for e in entries if isinstance(e, dict) and hasattr(e.get("due"), "isoformat")}
        if isinstance(entries, list)
        else set()
    )
    return f" ({', '.join(d.strftime('%-d %b %Y') for d in dates)})" if dates else ""


def in_current(engine: Engine, blobs: Path) -> list[str]:
    """The demonstration content of the version laptops take now, by the same check as publishing: once
    published "anyway", nothing said so, and the made-up force's due dates read as the force's own."""
    version = published.current(engine)
    return in_version(version.files, blobs) if version is not None else []


def in_rules(files: dict[str, str], blobs: Path) -> list[str]:
    """The demonstration content in a version's programme rules alone (path -> sha256): what a change to one
    programme, which publishes that file again, must ask about."""
    return in_version({p: sha for p, sha in files.items() if p == PROGRAMME_RULES}, blobs)
