"""Find the line a TOML key was written on, so a problem can be reported as `file:line`.

The standard library's parser gives values but not positions. Lesson plans use a plain subset of TOML
(tables, arrays of tables, `key = value`), so a line scan that follows table headers is enough to point a
person at the right line; anything it cannot place falls back to the nearest enclosing table.
"""

from __future__ import annotations

import re

KeyPath = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\- ]+?)\s*\]\]?\s*(#.*)?$")
_ASSIGN = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=")


def key_lines(text: str) -> dict[KeyPath, int]:
    """Map key paths such as ('sections', 2, 'minutes') to 1-based line numbers."""
    lines: dict[KeyPath, int] = {}
    counts: dict[str, int] = {}
    table: KeyPath = ()
    in_multiline: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        header = _HEADER.match(line)
        if header:
            table = _table_path(header.group(1) == "[[", header.group(2), counts, lines)
            lines.setdefault(table, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault((*table, assign.group(1)), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_multiline = quote
    return lines


def _table_path(is_array: bool, dotted: str, counts: dict[str, int], lines: dict[KeyPath, int]) -> KeyPath:
    parts = [p.strip() for p in dotted.split(".")]
    path: KeyPath = ()
    for depth, part in enumerate(parts):
        prefix = ".".join(parts[: depth + 1])
        last = depth == len(parts) - 1
        if last and is_array:
            counts[prefix] = counts.get(prefix, -1) + 1
            path = (*path, part, counts[prefix])
        elif prefix in counts:  # a sub-table of the latest element of an array of tables
            path = (*path, part, counts[prefix])
        else:
            path = (*path, part)
    return path


def line_of(lines: dict[KeyPath, int], path: KeyPath) -> int:
    """The line of `path`, or of its nearest enclosing key; 1 when nothing encloses it."""
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 1


def basic_string(text: str) -> str:
    """`text` as a TOML basic string, for files HQ writes (programme rules, a FAQ answer): backslashes, quotes,
    line breaks and other control characters escaped, so any text a person typed reads back as typed."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch >= " " and ch != "\x7f" else f"\\u{ord(ch):04x}" for ch in escaped) + '"'
