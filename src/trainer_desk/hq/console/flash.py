"""What an action did, said once on the page it leads to.

Carried in the signed session, not in the address: a line read from the address (`?done=…`) could be written by
anyone into a link, and the console would show it as its own confirmation ("Your session has expired: call …")."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import RedirectResponse

KEY = "done"


def done_then_go(request: Request, said: str, to: str) -> RedirectResponse:
    """Go to `to` (after a form was sent), where `said` is shown once."""
    request.session[KEY] = said[:300]
    return RedirectResponse(to, 303)


def said_once(request: Request) -> str:
    """What the last action said, if this page is the one it led to; then it is gone."""
    return str(request.session.pop(KEY, ""))
