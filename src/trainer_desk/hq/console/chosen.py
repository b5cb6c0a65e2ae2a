"""The programme (or lesson plan) a person last chose on a form, which the form starts on next time.

Recording several Signa exemptions, downloading one report after another, or planning a run of sessions of one
plan each meant choosing it again, since every form started on the first in the list. Kept in the signed
session the console already has, one entry a form, and written only by the form's own request: nothing new is
stored about the person, and it goes when they sign out."""

from __future__ import annotations

from fastapi import Request

KEY = "chosen"


def remember(request: Request, form: str, value: str) -> None:
    """`value` is what the person chose on `form` ("exemptions", "plan", "reports")."""
    kept = dict(request.session.get(KEY) or {})
    kept[form] = value[:80]
    request.session[KEY] = kept


def last_chosen(request: Request, form: str) -> str:
    """What the person last chose on `form`, or "" (the form starts on its first choice)."""
    kept = request.session.get(KEY)
    return str(kept.get(form, "")) if isinstance(kept, dict) else ""
