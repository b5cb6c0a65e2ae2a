"""Errors a person can act on, kept apart from our own bugs.

A `UserFacingError` carries a plain message (what is wrong and where) that the UI and the command line show
as it is. Anything else that escapes is a bug: it is logged with its traceback and the person gets a short
apology instead.
"""

from __future__ import annotations

import traceback


class UserFacingError(Exception):
    """Something the person can fix or understand: a bad file, a full disk, an unreachable server."""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class FieldError(UserFacingError):
    """A `UserFacingError` about one thing typed or chosen in a form: `field` names it (as the form names it,
    'staff_number', 'due'), so that a page can show the message beside that field and put the cursor there,
    while the command line shows the message as any other."""

    def __init__(self, field: str, message: str, *, hint: str = "") -> None:
        super().__init__(message, hint=hint)
        self.field = field


class WriteFailedError(UserFacingError):
    """A write that could not be made for a reason outside the rules (the disk full or failing): the same write
    may be saved when tried again, so what shows it keeps it to try again. Any other `UserFacingError` from a
    write is a refusal by the rules (a cancelled session, someone already on the register), which would be
    refused again."""


def failure_record(error: BaseException) -> str:
    """A bug as the log keeps it: the kind of error and every frame, for each error in the chain, but never
    the error's own message, which may quote a person's name or staff number."""
    parts: list[str] = []
    current: BaseException | None = error
    while current is not None and len(parts) < 5:
        frames = "".join(traceback.format_tb(current.__traceback__))
        parts.append(f"{type(current).__module__}.{type(current).__qualname__}\n{frames}".rstrip())
        current = current.__cause__ or current.__context__
    return "\n  caused by ".join(parts)
