"""A force's units as a tree, in the force's own names and codes: the force at the top, then its BCUs or
commands, then teams, as deep as the force likes. HQ imports it from the force's `units.toml`; laptops receive
it from HQ like the roster.

```toml
[[unit]]
code = "FERN"
name = "Fernshire Constabulary"
kind = "force"

[[unit]]
code = "FERN-N"
name = "Northern BCU"
kind = "BCU"
parent = "FERN"
```
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from pathlib import Path

from trainer_desk.core.counted import counted
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.units import UnitKind

_CODE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,39}$")
_SPECIALIST = {"ocu", "command", "specialist", "department"}


@dataclass(frozen=True, slots=True)
class UnitNode:
    code: str
    name: str
    kind: str  # the force's word for its level: force, BCU, command, team
    parent: str | None = None

    @property
    def legacy_kind(self) -> UnitKind:
        """BCU or OCU, as reports that predate the tree group units."""
        return UnitKind.OCU if self.kind.casefold() in _SPECIALIST else UnitKind.BCU


def read_unit_tree(path: Path, shown_as: str = "") -> list[UnitNode]:
    """The units in `path`, checked: unique well-formed codes, names, and every parent a unit of the file,
    with no unit its own ancestor. Every problem is named with the unit's place in the file, and the file by
    `shown_as` where given (an upload's own name, not where HQ keeps it)."""
    shown = shown_as or str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as error:
        raise UserFacingError(f"{shown}: cannot be read ({error})") from error
    except tomllib.TOMLDecodeError as error:
        raise UserFacingError(f"{shown}: not valid TOML ({error})") from error
    entries = raw.get("unit")
    if not isinstance(entries, list) or not entries or not all(isinstance(e, dict) for e in entries):
        raise UserFacingError(f"{shown}: no units: write each as a [[unit]] table with code, name and kind")
    problems: list[str] = []
    nodes: list[UnitNode] = []
    for number, entry in enumerate(entries, start=1):
        unknown = set(entry) - {"code", "name", "kind", "parent"}
        code = str(entry.get("code", "")).strip().upper()
        name = " ".join(str(entry.get("name", "")).split())
        kind = str(entry.get("kind", "")).strip()
        parent = str(entry["parent"]).strip().upper() if entry.get("parent") else None
        where = f"unit {number}" + (f" ({code})" if code else "")
        if unknown:
            problems.append(f"{where}: unknown {'key' if len(unknown) == 1 else 'keys'} {', '.join(sorted(unknown))}")
        if not _CODE.match(code):
            problems.append(f"{where}: code must be 1 to 40 capital letters, digits, '-' or '_'")
        if not name or len(name) > 120 or not name.isprintable():
            problems.append(f"{where}: needs a name of up to 120 characters")
        if not kind or len(kind) > 40:
            problems.append(f"{where}: needs a kind (the force's word for its level, e.g. force, BCU, team)")
        nodes.append(UnitNode(code, name, kind, parent))
    codes = [n.code for n in nodes]
    problems += [f"code {c} is used by more than one unit" for c in sorted({c for c in codes if codes.count(c) > 1})]
    known = set(codes)
    problems += [
        f"unit {n.code}: parent {n.parent} is not a unit in the file"
        for n in nodes
        if n.parent and n.parent not in known
    ]
    problems += _cycles(nodes)
    if problems:
        raise UserFacingError(
            f"{shown}: {counted(len(problems), 'problem')} in the unit tree; nothing was imported.\n  "
            + "\n  ".join(problems)
        )
    return nodes


def unit_tree_text(nodes: list[UnitNode]) -> str:
    """`nodes` as a units.toml that `read_unit_tree` reads back as the same units: what a learning team
    downloads from HQ to edit, rather than write the force's tree from nothing. Each unit after its parent, in
    the order given; a name is written as a TOML basic string (JSON's escapes are TOML's)."""
    tables = []
    for node in nodes:
        lines = [
            "[[unit]]",
            f"code = {_quoted(node.code)}",
            f"name = {_quoted(node.name)}",
            f"kind = {_quoted(node.kind)}",
        ]
        if node.parent:
            lines.append(f"parent = {_quoted(node.parent)}")
        tables.append("\n".join(lines))
    return "\n\n".join(tables) + "\n"


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")  # TOML alone refuses a raw DEL


def _cycles(nodes: list[UnitNode]) -> list[str]:
    parents = {n.code: n.parent for n in nodes}
    found = []
    for node in nodes:
        seen, current = {node.code}, node.parent
        while current is not None and current in parents:
            if current in seen:
                found.append(f"unit {node.code} is inside itself (through {current})")
                break
            seen.add(current)
            current = parents[current]
    return found


def within(tree: Iterable[UnitNode], code: str) -> frozenset[str]:
    """`code` and every unit under it, however deep: what a report or view about a unit covers, as HQ counts
    a unit (a BCU's people are those placed in it and in each of its teams). A code the tree does not hold
    covers itself alone."""
    return under({node.code: node.parent for node in tree}, code)


def under(parents: Mapping[str, str | None], code: str) -> frozenset[str]:
    """`within` for a tree given as each unit's parent: the laptop's and HQ's one rule for what a unit
    covers."""
    children: dict[str | None, list[str]] = {}
    for unit, parent in parents.items():
        if parent is not None:
            children.setdefault(parent, []).append(unit)
    covered, waiting = {code}, [code]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in covered:
                covered.add(child)
                waiting.append(child)
    return frozenset(covered)


def top_name(tree: Iterable[UnitNode]) -> str | None:
    """The name of the unit at the top of the tree, the force, where it has exactly one; None where it has
    none or several, since then no one name speaks for every unit."""
    tops = [node.name for node in tree if node.parent is None]
    return tops[0] if len(tops) == 1 else None


def force_named(tree: Iterable[UnitNode], codes: Iterable[str]) -> str | None:
    """The name of the one unit at the top above all of `codes` (their force), for a page about them; None
    where they sit under several tops (a national HQ's report on many forces), or the tree holds none of them."""
    tops = forces_above(tree, codes)
    return tops[0] if len(tops) == 1 else None


def forces_above(tree: Iterable[UnitNode], codes: Iterable[str]) -> list[str]:
    """The names of the units at the top above `codes` (the forces they belong to), in name order; a code the
    tree does not hold (a retired unit) is passed over."""
    nodes = {node.code: node for node in tree}
    tops: set[str] = set()
    for code in codes:
        seen: set[str] = set()
        while code in nodes and nodes[code].parent is not None and code not in seen:
            seen.add(code)
            code = str(nodes[code].parent)
        if code in nodes:
            tops.add(nodes[code].name)
    return sorted(tops, key=str.casefold)


def force_of_each(tree: Iterable[UnitNode], codes: Iterable[str]) -> dict[str, str]:
    """Each of `codes` with its force's name, where they span more than one force: what a page or file about
    them says beside each unit, since two forces may each have a "North Response Team 1". Empty where they
    are of one force (or the tree names none), so a one-force HQ's pages read as before."""
    nodes = list(tree)
    wanted = set(codes)
    if not has_forces(nodes) or len(forces_above(nodes, wanted)) < 2:
        return {}
    return {code: name for code in wanted if (name := force_named(nodes, [code]))}


def has_forces(tree: Iterable[UnitNode]) -> bool:
    """Whether the tree's tops are forces: several tops (each a force of a national HQ), or one of the kind
    'force'. A single-force HQ's tree whose top is a BCU, or no tree at all, names no force: its papers take
    the force's name from the published content instead."""
    tops = [node for node in tree if node.parent is None]
    return len(tops) > 1 or any(node.kind.casefold() == "force" for node in tops)


def forces_in_words(names: list[str]) -> str:
    """Several forces as a page says them: each by name where there are two or three, else 'all forces'."""
    if len(names) == 1:
        return names[0]
    if 2 <= len(names) <= 3:
        return ", ".join(names[:-1]) + " and " + names[-1]
    return "all forces"


def force_for(tree: Iterable[UnitNode], codes: Iterable[str], published: str, fallback: str) -> str:
    """The one name HQ gives the force (or forces) a paper, page or mail is about: the tree's force above the
    units where the tree has forces, so that one HQ serving several forces prints each force's own name;
    else the name the published content gives, else the tree's top, else `fallback`. About no unit in
    particular (a link HQ does not know), a tree of several forces speaks for none of them: `fallback`."""
    nodes = list(tree)
    wanted = list(codes)
    if has_forces(nodes):
        tops = forces_above(nodes, wanted or [node.code for node in nodes])
        if tops and (wanted or len(tops) == 1):
            words = forces_in_words(tops)
            return words[0].upper() + words[1:]
        if not wanted:
            return fallback
    return published or force_named(nodes, wanted) or fallback


@dataclass(frozen=True, slots=True)
class RolledUp:
    """One unit's row: its totals are its own and those of every unit under it; `depth` is how far under the
    top row it sits, for indenting it under the unit it is part of."""

    code: str
    totals: tuple[int, ...]
    depth: int


def rolled_up(
    own: Mapping[str, tuple[int, ...]], tree: Iterable[UnitNode], scope: AbstractSet[str] | None = None
) -> list[RolledUp]:
    """Rows per unit from each unit's own figures (people, completed, ...): each unit counts itself and every
    unit under it, as HQ's dashboard counts them, in the tree's order (a unit, then the units under it by
    name). Only units in `scope` get a row (None: every unit), so a BCU's report stops at the BCU; a unit the
    tree does not know stands on its own at the top."""
    nodes = {node.code: node for node in tree}
    totals: dict[str, list[int]] = {}
    for unit, figures in own.items():
        current: str | None = unit
        while current is not None and (scope is None or current in scope):
            total = totals.setdefault(current, [0] * len(figures))
            for index, figure in enumerate(figures):
                total[index] += figure
            current = nodes[current].parent if current in nodes else None
    children: dict[str, list[str]] = {}
    for code in totals:
        parent = nodes[code].parent if code in nodes else None
        children.setdefault(parent if parent in totals else "", []).append(code)
    rows: list[RolledUp] = []

    def add(parent: str, depth: int) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: (_name(nodes, c).casefold(), c)):
            rows.append(RolledUp(code, tuple(totals[code]), depth))
            add(code, depth + 1)

    add("", 0)
    return rows


def _name(nodes: Mapping[str, UnitNode], code: str) -> str:
    return nodes[code].name if code in nodes else code
