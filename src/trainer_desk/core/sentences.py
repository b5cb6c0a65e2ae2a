"""Joining messages into sentences that read as one, wherever a reason follows a colon."""

from __future__ import annotations


def after_colon(text: str) -> str:
    """A sentence to follow a colon: its first letter lower-cased, unless it starts a name such as HQ."""
    return text[0].lower() + text[1:] if text[:2].istitle() else text
