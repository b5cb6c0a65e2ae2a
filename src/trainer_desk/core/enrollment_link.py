"""An enrollment as one piece of text: HQ's address and the one-time code together, as the console shows it
under a QR code. Scanned with the laptop's camera app (or a phone) and pasted into the laptop's enrollment
dialog, it fills in both fields, so nobody retypes a sixteen-character code or mistypes HQ's address.

    trainer-desk-enroll:?hq=https%3A%2F%2Fhq.example.police.uk&code=8F9A-76F5-0E99-793D
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote

SCHEME = "trainer-desk-enroll:"
_CODE = re.compile(r"^[A-Za-z0-9-]{8,64}$")


def as_issued(code: str) -> str:
    """A code as HQ issued it (8F9A-76F5-0E99-793D), however it was typed: '8f9a 76f5 0e99 793d' from a
    printout, or sixteen letters and digits run together, was refused as "unknown, used or expired". The laptop
    sends it so, and HQ reads it so (a laptop of an earlier version sends it as typed)."""
    compact = "".join(ch for ch in code.upper() if ch.isalnum())
    if len(compact) == 16:
        return "-".join(compact[i : i + 4] for i in range(0, 16, 4))
    return code.strip().upper()


def make_link(hq_url: str, code: str) -> str:
    return f"{SCHEME}?hq={quote(hq_url, safe='')}&code={quote(code, safe='-')}"


def read_link(text: str) -> tuple[str, str] | None:
    """(HQ's address, the code) from an enrollment link, or None when `text` is not one. The address is
    only filled in, never trusted: the laptop checks it as it checks one typed by hand."""
    text = text.strip()
    if not text.startswith(SCHEME):
        return None
    fields = parse_qs(text.removeprefix(SCHEME).removeprefix("?"), max_num_fields=4)
    hq, code = fields.get("hq", [""])[0].strip(), fields.get("code", [""])[0].strip()
    if not hq.startswith(("https://", "http://")) or not _CODE.fullmatch(code):
        return None
    return hq, code
