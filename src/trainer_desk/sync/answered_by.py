"""Whether an answer at HQ's address came from HQ at all, or from something in the way: a Wi-Fi sign-in page
(a captive portal), a proxy that refuses to pass the request on, or another web server at a mistyped address.

Blaming HQ for those ("HQ refused the request (HTTP 302)") sent the trainer to the wrong person with nothing to
do; the fix is on the laptop's side (sign in to the network) or in its settings (HQ's address).

HQ's own answers are recognisable: every one names the sync protocol in a header of its own, and its answers,
its refusals among them, are JSON. So an answer is taken as HQ's when it carries that header or a JSON body;
one that redirects (HQ never does, on its sync API), is a web page, or is empty and unmarked is someone
else's.

Faults and busy answers (5xx, 429) are HQ's, and tried again, unless they plainly are not: 511 (Network
Authentication Required) is the status a Wi-Fi sign-in page gives, never HQ; and a fault that is a web page
without HQ's header is a proxy's error page, since HQ's own handler for unexpected errors
(`hq.unexpected_errors`) answers JSON, which carries the header. An HQ that crashed part-way, before any
handler could answer, sends no header and an empty or plain-text body: that stays a fault of HQ's.
"""

from __future__ import annotations

import json

import requests

from trainer_desk.sync.protocol import PROTOCOL_HEADER


def not_from_hq(response: requests.Response, streamed: bool = False) -> bool:
    """True for an answer that something other than HQ gave. `streamed`: a download whose body is read later,
    judged by its status and headers alone."""
    status = response.status_code
    if 300 <= status < 400 or status == NETWORK_SIGN_IN:
        return True
    if PROTOCOL_HEADER in response.headers:
        return False
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    if streamed:
        return False
    if status == 429 or status >= 500:  # an HQ that crashed part-way; a page in its place is someone else's
        return _is_page(response.content)
    return not _is_json(response.content)


NETWORK_SIGN_IN = 511  # Network Authentication Required: a captive portal's status (RFC 6585)


def someone_else_answered(base_url: str) -> str:
    """What the trainer is told, and can act on: who to ask, and that nothing is lost meanwhile."""
    return (
        f"Something other than HQ answered at {base_url} (a Wi-Fi sign-in page or a proxy?). Sign in to the "
        "network, or check HQ's address with whoever runs it. Everything stays saved on this laptop."
    )


def _is_page(body: bytes) -> bool:
    """A web page sent without saying so: what a proxy's error page may look like."""
    return body.lstrip()[:14].lower().startswith((b"<!doctype html", b"<html"))


def _is_json(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return True
