"""Whether an answer at HQ's address came from HQ at all, or from something in the way: a Wi-Fi sign-in page
(a captive portal), a proxy that refuses to pass the request on, or another web server at a mistyped address.

Blaming HQ for those ("HQ refused the request (HTTP 302)") sent the trainer to the wrong person with nothing to
do; the fix is on the laptop's side (sign in to the network) or in its settings (HQ's address).

HQ's own answers are recognisable: every one names the sync protocol in a header of its own, and its answers,
its refusals among them, are JSON. So an answer is taken as HQ's when it carries that header or a JSON body;
one that redirects (HQ never does, on its sync API), is a web page, or is empty and unmarked is someone
else's. Faults and busy answers (5xx, 429) are left to the retry logic: an HQ that crashed part-way answers
without its header, and is still HQ.
"""

from __future__ import annotations

import json

import requests

from trainer_desk.sync.protocol import PROTOCOL_HEADER


def not_from_hq(response: requests.Response, streamed: bool = False) -> bool:
    """True for an answer that something other than HQ gave. `streamed`: a download whose body is read later,
    judged by its status and headers alone."""
    if 300 <= response.status_code < 400:
        return True
    if PROTOCOL_HEADER in response.headers:
        return False
    if "html" in response.headers.get("Content-Type", "").lower():
        return True
    if streamed:
        return False
    return not _is_json(response.content)


def someone_else_answered(base_url: str) -> str:
    """What the trainer is told, and can act on: who to ask, and that nothing is lost meanwhile."""
    return (
        f"Something other than HQ answered at {base_url} (a Wi-Fi sign-in page or a proxy?). Sign in to the "
        "network, or check HQ's address with whoever runs it. Everything stays saved on this laptop."
    )


def _is_json(body: bytes) -> bool:
    if not body.strip():
        return False
    try:
        json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return False
    return True
