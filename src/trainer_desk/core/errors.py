"""Errors a person can act on, kept apart from our own bugs.

A `UserFacingError` carries a plain message (what is wrong and where) that the UI and the command line show
as it is. Anything else that escapes is a bug: it is logged with its traceback and the person gets a short
apology instead.
"""

from __future__ import annotations


class UserFacingError(Exception):
    """Something the person can fix or understand: a bad file, a full disk, an unreachable server."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message
