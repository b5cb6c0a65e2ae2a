"""Client-made identifiers: HQ uses them as idempotency keys, so they must never repeat."""

from __future__ import annotations

import uuid


def new_uuid() -> str:
    return str(uuid.uuid4())
