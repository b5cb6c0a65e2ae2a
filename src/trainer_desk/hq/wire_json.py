"""Every JSON body HQ builds for a laptop's pull is encoded here: compact, and UTF-8 as written (a Welsh or
Polish name is not turned into escapes).

A force's first pull is some 20 MB of it; orjson encodes that in about 15 ms where the standard library took
about 150 ms, a tenth of the whole first sync. What orjson refuses (an integer beyond 64 bits, which a laptop
may have pushed and HQ stored) is encoded by the standard library instead, as before: one odd record must never
stop every pull that carries it."""

from __future__ import annotations

import json
from typing import Any

import orjson


def encoded(body: Any) -> bytes:
    try:
        return orjson.dumps(body)
    except orjson.JSONEncodeError:
        return json.dumps(body, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode()


def encoded_text(body: Any) -> str:
    """For a part joined into a larger body as text."""
    return encoded(body).decode()
