"""A refused form's problem as its page shows it: beside the field it is about, where the error names one
(`FieldError`), else at the top of the page. `templates/fields.html` draws both."""

from __future__ import annotations

from trainer_desk.core.errors import FieldError, UserFacingError


def problem_at(error: UserFacingError, prefix: str = "", suffix: str = "", message: str = "") -> dict[str, str]:
    """The page's `problem` and `problem_field`: the id of the field the error names (a page with several
    forms of the same fields tells them apart by a prefix or a suffix of the field's name), or ''.
    `message`, if given, is said instead of the error's own words."""
    field = f"{prefix}{error.field}{suffix}" if isinstance(error, FieldError) else ""
    return {"problem": message or error.message, "problem_field": field}
