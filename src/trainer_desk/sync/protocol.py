"""The sync protocol between laptops and HQ, version 2: shared by the client and the HQ service. Here are its
limits, the records a laptop pushes and HQ's answers to them, and the lesson content manifest; what HQ sends a
laptop that pulls is `pulled_changes`.

Everything that crosses the wire is checked here on arrival, on both sides: a server answer is as untrusted
as a laptop's upload. See docs/sync-protocol.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

PROTOCOL_VERSION = 2
# Versions HQ still answers. Version 1 laptops get their own unit's roster and no completions, as before.
SUPPORTED_PROTOCOLS = (1, 2)
PROTOCOL_HEADER = "X-Trainer-Desk-Protocol"
MAX_BATCH_ITEMS = 1000
MAX_BATCH_BYTES = 1024 * 1024
MAX_PULL_ITEMS = 2000
MAX_SNAPSHOT_ROWS = 2_000_000  # a first pull's roster, completions and given records: a large force's, with room
MAX_VERSION = 2**31 - 1  # what every database HQ runs on stores as a plain integer
CLOCK_WARNING_SECONDS = 300  # a laptop clock further than this from HQ's is pointed out to the trainer


def clock_note(difference_s: float) -> str:
    """The laptop's clock against HQ's (`difference_s`: HQ's time less the laptop's) in words a trainer acts
    on: ahead or behind, in days, hours or minutes ("525600 minutes" said a year badly)."""
    amount, way = clock_amount(difference_s)
    return (
        f"This laptop's clock is {amount} {way} HQ's: set its date and time, or what it records is dated wrongly "
        "(times shown here follow the laptop)."
    )


def clock_amount(difference_s: float) -> tuple[str, str]:
    """("20 minutes", "ahead of"): how far and which way the laptop's clock is from HQ's, in days, hours or
    minutes; the one wording the command line and the laptop's windows say it in."""
    seconds = abs(difference_s)
    if seconds >= 2 * 86_400:
        amount = f"{seconds // 86_400:.0f} days"
    elif seconds >= 2 * 3_600:
        amount = f"{seconds // 3_600:.0f} hours"
    else:
        amount = f"{seconds // 60:.0f} minutes"
    return amount, "behind" if difference_s > 0 else "ahead of"


MAX_PAYLOAD_DEPTH = 8  # a feedback form, the deepest record, nests three levels
MAX_ENROLL_BYTES = 4096

ENTITIES = ("session", "attendance", "feedback", "section_timing", "faq_question", "audit", "exemption")
# A lowercase UUID: every record is named by one, pushed or pulled (`pulled_changes` reads it too).
UUID_FORM = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,120}$")
_DEVICE_KEY = re.compile(r"^[A-Za-z0-9_-]{32,128}$")


class ProtocolError(ValueError):
    """The other side sent something this protocol does not allow."""


class ItemStatus(StrEnum):
    CREATED = "created"
    DUPLICATE = "duplicate"  # HQ already had exactly this version: acknowledged
    CONFLICT = "conflict"  # based on a version HQ no longer has as current: kept and flagged
    REFUSED = "refused"  # not acceptable (malformed, not this device's to send): kept and flagged

    @property
    def acknowledged(self) -> bool:
        return self in (ItemStatus.CREATED, ItemStatus.DUPLICATE)


@dataclass(frozen=True, slots=True)
class PushItem:
    entity: str
    uuid: str
    version: int
    base_version: int | None
    op: str
    payload: dict[str, Any]

    def to_wire(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "uuid": self.uuid,
            "version": self.version,
            "base_version": self.base_version,
            "op": self.op,
            "payload": self.payload,
        }

    @classmethod
    def from_wire(cls, data: Any) -> PushItem:
        if not isinstance(data, dict):
            raise ProtocolError("an item must be an object")
        entity, uuid, version = data.get("entity"), data.get("uuid"), data.get("version")
        base, op, payload = data.get("base_version"), data.get("op"), data.get("payload")
        if entity not in ENTITIES:
            raise ProtocolError(f"unknown entity {entity!r}")
        if not isinstance(uuid, str) or not UUID_FORM.fullmatch(uuid):
            raise ProtocolError("uuid must be a lowercase UUID")
        if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
            raise ProtocolError(f"version must be a whole number from 1 to {MAX_VERSION}")
        if base is not None and (not isinstance(base, int) or isinstance(base, bool) or not 0 < base < version):
            raise ProtocolError("base_version must be an earlier version")
        if op not in ("upsert", "delete"):
            raise ProtocolError("op must be upsert or delete")
        if not isinstance(payload, dict):
            raise ProtocolError("payload must be an object")
        if _depth(payload) > MAX_PAYLOAD_DEPTH:
            raise ProtocolError(f"payload nested deeper than {MAX_PAYLOAD_DEPTH} levels")
        return cls(entity, uuid, version, base, op, payload)

    def unencodable_text(self) -> bool:
        """True when some text in the payload cannot be written as UTF-8 (a lone surrogate such as `\\ud800`,
        which JSON can carry): such a record would break every CSV export made from it."""
        waiting: list[Any] = [self.payload]
        while waiting:
            value = waiting.pop()
            if isinstance(value, str):
                if not value.isascii() and not _encodable(value):
                    return True
            elif isinstance(value, dict):
                waiting.extend(value)
                waiting.extend(value.values())
            elif isinstance(value, list):
                waiting.extend(value)
        return False


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value`, found without recursion."""
    if isinstance(value, dict) and not any(isinstance(v, (dict, list)) for v in value.values()):
        return 1  # most records: an object of plain values
    deepest, waiting = 0, [(value, 1)]
    while waiting:
        value, level = waiting.pop()
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_PAYLOAD_DEPTH:
            return deepest
        waiting.extend((child, level + 1) for child in children)
    return deepest


def safe_content_path(path: object) -> bool:
    """The rule every laptop applies to a content file's path, and HQ's `publish` before it offers one:
    relative, '/'-separated, each part a plain name (letters, digits, '.', '_', '-', not starting with '.')."""
    return isinstance(path, str) and all(_SAFE_NAME.fullmatch(part) for part in path.split("/"))


def valid_device_key(key: object) -> bool:
    """An enrollment's device key: a secret the laptop makes once per enrollment and sends with every retry
    of it, so HQ answers a retry with the same token (32 to 128 letters, digits, '-' or '_')."""
    return isinstance(key, str) and bool(_DEVICE_KEY.fullmatch(key))


@dataclass(frozen=True, slots=True)
class ItemResult:
    uuid: str
    version: int
    status: ItemStatus
    reason: str = ""

    def to_wire(self) -> dict[str, Any]:
        return {"uuid": self.uuid, "version": self.version, "status": self.status.value, "reason": self.reason}

    @classmethod
    def from_wire(cls, data: Any) -> ItemResult:
        if not isinstance(data, dict):
            raise ProtocolError("a result must be an object")
        uuid, version, status, reason = (
            data.get("uuid"),
            data.get("version"),
            data.get("status"),
            data.get("reason", ""),
        )
        if not isinstance(uuid, str) or not UUID_FORM.fullmatch(uuid) or not isinstance(version, int):
            raise ProtocolError("a result must name the uuid and version it answers")
        try:
            parsed = ItemStatus(str(status))
        except ValueError:
            raise ProtocolError(f"unknown result status {status!r}") from None
        return cls(uuid, version, parsed, str(reason)[:500])


@dataclass(frozen=True, slots=True)
class ContentFile:
    path: str  # relative, '/'-separated, each part a safe name
    sha256: str
    size: int

    @classmethod
    def from_wire(cls, data: Any) -> ContentFile:
        if not isinstance(data, dict):
            raise ProtocolError("a content file must be an object")
        path, sha, size = data.get("path"), data.get("sha256"), data.get("size")
        if not isinstance(path, str) or not safe_content_path(path):
            raise ProtocolError(f"unsafe content file name {path!r}")
        if not isinstance(sha, str) or not _SHA256.fullmatch(sha):
            raise ProtocolError("content sha256 must be 64 lowercase hex digits")
        if not isinstance(size, int) or isinstance(size, bool) or not 0 <= size <= 500_000_000:
            raise ProtocolError("content size out of range")
        return cls(path, sha, size)


@dataclass(frozen=True, slots=True)
class ContentManifest:
    version: int
    files: tuple[ContentFile, ...]

    @classmethod
    def from_wire(cls, data: Any) -> ContentManifest:
        if not isinstance(data, dict) or not isinstance(data.get("version"), int):
            raise ProtocolError("a content manifest needs a version")
        files = data.get("files")
        if not isinstance(files, list):
            raise ProtocolError("a content manifest needs a list of files")
        return cls(data["version"], tuple(ContentFile.from_wire(f) for f in files))


def content_held_from_wire(data: Any) -> int:
    """The version in a laptop's `POST /v1/content-held` ({"version": 7}): the lesson content it has installed."""
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version < 2**31:
        raise ProtocolError("the content version held must be a whole number from 1")
    return version
