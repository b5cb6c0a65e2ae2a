"""The link a classroom's phones open to give feedback on HQ's public form, made by the laptop itself, offline.

It names the device that made it, the session and its lesson plan, and the last day it may be used, and is
signed with the key HQ gave that device (`device_key`): HQ derives the same key from its own secret and the
device's id, so it can check a link it has never seen, for a session that has not reached it yet, and nobody
can make one for another laptop's sessions or guess one. Nothing in it names a person.

    https://hq.example.police.uk/feedback/<token>
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

VALID_DAYS = 7  # after the session: time enough for a room to answer, not for a link to wander
PATH = "/feedback/"
_EPOCH = date(2020, 1, 1)
_MAC_BYTES = 10  # 80 bits: guessing one is out of reach, and the QR code stays small enough to scan
_PLAN_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


class BadLinkError(ValueError):
    """Not a feedback link HQ made possible: malformed, forged, or for another HQ."""


@dataclass(frozen=True, slots=True)
class FeedbackLink:
    device_id: str
    session_uuid: str
    plan_id: str
    last_day: date

    def token(self, key: bytes) -> str:
        body = self._body()
        mac = hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]
        return base64.urlsafe_b64encode(body + mac).decode().rstrip("=")

    def url(self, hq_url: str, key: bytes) -> str:
        return hq_url.rstrip("/") + PATH + self.token(key)

    def expired(self, today: date) -> bool:
        return today > self.last_day

    def _body(self) -> bytes:
        plan = self.plan_id.encode()
        days = (self.last_day - _EPOCH).days
        return uuid.UUID(self.device_id).bytes + uuid.UUID(self.session_uuid).bytes + days.to_bytes(2, "big") + plan


def for_session(device_id: str, session_uuid: str, plan_id: str, session_day: date) -> FeedbackLink:
    if not _PLAN_ID.fullmatch(plan_id):
        raise ValueError(f"a lesson plan id such as 'signa-core', not {plan_id!r}")
    return FeedbackLink(device_id, session_uuid, plan_id, session_day + timedelta(days=VALID_DAYS))


def device_key(secret: bytes, device_id: str) -> bytes:
    """The key a device signs its links with: HQ gives it to the device at enrollment and derives it again
    from its own secret whenever a link arrives, so it keeps no copy."""
    return hmac.new(secret, b"feedback-link:" + device_id.encode(), hashlib.sha256).digest()


KEY_BYTES = 32  # what `device_key` makes


def key_from_text(text: object) -> bytes | None:
    """A device key as HQ sends it (URL-safe base64 of `KEY_BYTES` bytes), or None for anything else: an
    answer that is not one is never stored, and one stored before that check is treated as not given."""
    if not isinstance(text, str) or len(text) > 100:
        return None
    try:
        key = base64.urlsafe_b64decode(text.encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        return None
    return key if len(key) == KEY_BYTES else None


def read_token(token: str, key_for: Callable[[str], bytes | None]) -> FeedbackLink:
    """The link in `token`, once its signature checks with the key of the device it names (`key_for`: None
    for a device HQ does not know). Raises BadLinkError for anything else."""
    if not 40 <= len(token) <= 200 or not re.fullmatch(r"[A-Za-z0-9_-]+", token):
        raise BadLinkError("not a feedback link")
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except ValueError:
        raise BadLinkError("not a feedback link") from None
    if len(raw) < 34 + _MAC_BYTES + 1:
        raise BadLinkError("not a feedback link")
    body, mac = raw[:-_MAC_BYTES], raw[-_MAC_BYTES:]
    device_id = str(uuid.UUID(bytes=body[:16]))
    key = key_for(device_id)
    if key is None or not hmac.compare_digest(mac, hmac.new(key, body, hashlib.sha256).digest()[:_MAC_BYTES]):
        raise BadLinkError("not a feedback link HQ can check")
    plan_id = body[34:].decode("utf-8", errors="replace")
    if not _PLAN_ID.fullmatch(plan_id):
        raise BadLinkError("not a feedback link")
    last_day = _EPOCH + timedelta(days=int.from_bytes(body[32:34], "big"))
    return FeedbackLink(device_id, str(uuid.UUID(bytes=body[16:32])), plan_id, last_day)
