"""What every answer of HQ tells a browser about itself: run only HQ's own scripts, never inside another
site's frame, never guess a file's type, and (served over TLS) only ever come back over TLS.

The console shows the force's people to those allowed to see them, and takes their changes; the feedback pages
are opened on phones from a link. Escaping every page's text is the first guard against a name or a venue
carrying a script; these headers are the second, should one ever slip through. Plain ASGI, on every answer,
so that no page can be added without them and a laptop's push pays nothing for it.
"""

from __future__ import annotations

from typing import Any

# Pages draw their bars' widths and the phone page its look with inline styles; scripts come only from HQ's
# own /static files (the dashboard's chart reads its figures from a JSON block, which is not run).
POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
ONE_YEAR_S = 365 * 24 * 3600


class BrowserGuards:
    """Adds the headers below to every answer that does not set its own (the feedback pages keep their stricter
    referrer policy)."""

    def __init__(self, app: Any, over_tls: bool) -> None:
        self.app = app
        guards = {
            b"content-security-policy": POLICY.encode(),
            b"x-content-type-options": b"nosniff",
            b"x-frame-options": b"DENY",
            b"referrer-policy": b"same-origin",
        }
        if over_tls:
            guards[b"strict-transport-security"] = f"max-age={ONE_YEAR_S}".encode()
        self.guards = guards

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_guarded(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in self.guards.items() if name not in present)
            await send(message)

        await self.app(scope, receive, send_guarded)
