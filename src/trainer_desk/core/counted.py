"""A number with its noun, as people write it: "1 problem", "3 problems", "1 person", "2 people". Messages
said "1 problem(s)", which reads as a form, not a sentence; one function words every count the same way."""

from __future__ import annotations


def counted(count: int, one: str, many: str = "") -> str:
    """`count` and the noun for it: `one` for exactly one, else `many` (by default `one` with an s)."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def were(count: int) -> str:
    """The verb after a count ("1 record was sent", "3 records were sent"), so a sentence agrees with its number."""
    return "was" if count == 1 else "were"
