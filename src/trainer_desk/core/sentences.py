"""Joining messages into sentences that read as one, wherever a reason follows a colon."""

from __future__ import annotations

from collections.abc import Sequence


def after_colon(text: str) -> str:
    """A sentence to follow a colon: its first letter lower-cased, unless it starts a name such as HQ."""
    return text[0].lower() + text[1:] if text[:2].istitle() else text


_ENDINGS = (".", "!", "?", "…")


def sentence(text: str) -> str:
    """`text` ended once: a full stop added unless it already ends a sentence, so a message quoted in a line
    ("Now: ...(HTTP 302).") is never given a second one; '' stays ''."""
    text = text.rstrip()
    return text if not text or text.endswith(_ENDINGS) else f"{text}."


def listed(items: Sequence[str]) -> str:
    """Items as people list them: 'A', 'A and B', 'A, B and C'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}" if items else ""
