"""A force's own facts in its lesson plans: `{{force.name}}`, `{{force.values}}` and the rest, filled from the
force's settings when a plan is loaded.

The bundled plans are written for any force. What differs between forces (its name and values, where to report
a colleague and whom to call, the wellbeing contact, the rule on stepping out of a session) is written once
in `force.toml` beside the plans (published by HQ like the plans), or in IT's settings file, and every
script, audience slide, FAQ answer and support card takes it from there. A field a plan uses but nobody has
filled in shows on screen as "[… not set]", and the trainer is told before the session starts.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

FORCE_FILE = "force.toml"

# Every field a plan may use, with what it is: the text of the "not set" marker and of the validator's warnings.
FIELDS: dict[str, str] = {
    "name": "the force's name",
    "values": "the force's values",
    "reporting_routes": "the force's routes for reporting a colleague, with contacts",
    "support_services": "support for staff, with numbers",
    "sexual_violence_support": "a specialist sexual-violence support line",
    "wellbeing_lead": "the wellbeing contact for this session",
    "stepping_out": "the force's policy on stepping out of a session",
}

PLACEHOLDER = re.compile(r"\{\{\s*force\.([A-Za-z0-9_]*)\s*\}\}")

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ForceFields:
    """The force's facts by field name; a field left out or blank is not set."""

    values: Mapping[str, str]

    def value(self, name: str) -> str:
        return self.values.get(name, "").strip()

    def fill(self, text: str) -> str:
        """`text` with every placeholder replaced: by the force's fact, or by a visible "not set" marker."""
        if "{{" not in text:
            return text
        return PLACEHOLDER.sub(
            lambda m: self.value(m.group(1)) or f"[{FIELDS.get(m.group(1), m.group(1))}: not set]", text
        )

    def missing_in(self, texts: Iterable[str]) -> list[str]:
        """The fields `texts` use that are not set, in the order of FIELDS."""
        used = {m.group(1) for text in texts for m in PLACEHOLDER.finditer(text)}
        return [name for name in FIELDS if name in used and not self.value(name)]

    def over(self, fallback: ForceFields) -> ForceFields:
        """These fields, with `fallback`'s for any not set here."""
        merged = {name: self.value(name) or fallback.value(name) for name in FIELDS}
        return ForceFields({k: v for k, v in merged.items() if v})


NO_FIELDS = ForceFields({})


def _not_set(name: str) -> str:
    return f"[{FIELDS.get(name, name)}: not set]"


def unknown_placeholders(text: str) -> list[tuple[int, str]]:
    """(line, name) of every placeholder naming no field: a misspelt one would otherwise show as not set."""
    return [
        (number, match.group(1))
        for number, line in enumerate(text.splitlines(), start=1)
        for match in PLACEHOLDER.finditer(line)
        if match.group(1) not in FIELDS
    ]


def read_force_fields(file: Path) -> tuple[ForceFields, list[str]]:
    """The fields in a `force.toml` (a `[force]` table), and its problems as "line: message" texts. A file
    that is missing is no problem: nothing is set."""
    if not file.is_file():
        return NO_FIELDS, []
    try:
        raw = tomllib.loads(file.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        return NO_FIELDS, [f"cannot be read: {error}"]
    return from_table(raw.get("force", {}))


def from_table(table: Any) -> tuple[ForceFields, list[str]]:
    """Fields from a parsed `[force]` table (force.toml's, or the one in IT's settings)."""
    if not isinstance(table, dict):
        return NO_FIELDS, ["[force] must be a table of text values"]
    problems = [f"unknown force field '{name}'" for name in table if name not in FIELDS]
    problems += [f"force field '{name}' must be text" for name, v in table.items() if not isinstance(v, str)]
    return ForceFields({k: v for k, v in table.items() if k in FIELDS and isinstance(v, str)}), problems


def fill_all(item: T, force: ForceFields) -> T:
    """`item` (a plan, a section, an FAQ entry, or a tuple of them) with every text in it filled in."""
    if isinstance(item, str):
        return force.fill(item)  # type: ignore[return-value]
    if isinstance(item, tuple):
        return tuple(fill_all(part, force) for part in item)  # type: ignore[return-value]
    if is_dataclass(item) and not isinstance(item, type):
        changes = {
            f.name: fill_all(getattr(item, f.name), force)
            for f in fields(item)
            if isinstance(getattr(item, f.name), (str, tuple)) or is_dataclass(getattr(item, f.name))
        }
        return replace(item, **changes)
    return item


def texts_of(item: Any) -> list[str]:
    """Every text in a plan, section, FAQ entry or tuple of them (to find the fields it uses)."""
    if isinstance(item, str):
        return [item]
    if isinstance(item, tuple):
        return [text for part in item for text in texts_of(part)]
    if is_dataclass(item) and not isinstance(item, type):
        return [text for f in fields(item) for text in texts_of(getattr(item, f.name))]
    return []
