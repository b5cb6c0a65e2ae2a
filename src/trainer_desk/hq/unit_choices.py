"""Units in a list to choose from, as the tree reads: the force, then each BCU followed by its teams, indented.
Sorted by name alone, "Westshire Police" came after "South BCU" and a team far from its BCU, and nobody could
tell which unit held which."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Engine

from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq.units import parents_and_names

INDENT = "\u00a0\u00a0\u00a0"  # non-breaking: a browser keeps it at the start of an option, as it drops spaces
UNDER = "\u2013\u00a0"  # an en dash before a unit under another, for a list read without its indentation


def tree_choices(engine: Engine, codes: Iterable[str]) -> list[tuple[str, str]]:
    """Each of `codes` with the words an option shows, in tree order (`in_tree_order`)."""
    with engine.connect() as conn:
        tree = parents_and_names(conn)
    return in_tree_order(codes, tree or {u.code: (None, u.name) for u in DEFAULT_UNITS})


def in_tree_order(codes: Iterable[str], tree: Mapping[str, tuple[str | None, str]]) -> list[tuple[str, str]]:
    """`codes` under the nearest unit above each that is among them, those under one unit by name, each as
    (code, words): its name as people know it ("North BCU (NORTH)"), indented once for each unit above it in
    the list. A unit the tree does not know stands at the top."""
    chosen = set(codes)
    names = {code: name for code, (_parent, name) in tree.items()}

    def above(code: str) -> str:
        parent = tree[code][0] if code in tree else None
        while parent is not None and parent not in chosen:
            parent = tree[parent][0] if parent in tree else None
        return parent or ""

    children: dict[str, list[str]] = {}
    for code in chosen:
        children.setdefault(above(code), []).append(code)
    shown: list[tuple[str, str]] = []

    def add(parent: str, depth: int) -> None:
        for code in sorted(children.get(parent, []), key=lambda c: (unit_for_people(c, names).casefold(), c)):
            words = unit_for_people(code, names)
            shown.append((code, INDENT * depth + UNDER + words if depth else words))
            add(code, depth + 1)

    add("", 0)
    return shown
