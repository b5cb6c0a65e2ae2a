"""Files uploaded to the console, kept in HQ's private `uploads` folder only while they can still be used.

A roster is police workforce data (names, e-mail addresses): it waits there between its preview and being
applied, and is deleted once applied; a folder of lesson plans waits between its comparison and being
published (what is published is copied into the content store first). Whatever nobody applied or published is
deleted once older than KEPT_S, checked whenever a new upload arrives and when HQ starts, so a preview left
open, or an HQ that went unused for a month, leaves nothing behind for longer than that.

A roster's upload is a folder named by its ticket (the random part of its preview's address), holding the
file and who uploaded it: only that account may open its preview or apply it.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

KEPT_S = 24 * 3600  # a preview can be applied for a day after its upload; then its file is gone
_TICKET = re.compile(r"^[A-Za-z0-9_-]{20,30}$")
_ABOUT = "about.json"


@dataclass(frozen=True)
class KeptRoster:
    """A roster upload whose preview can still be applied: the file, its name as the person uploaded it, and
    the force whose roster it replaces ('' where HQ is one force)."""

    path: Path
    filename: str
    force: str = ""


def clear_old(uploads: Path) -> None:
    """Delete uploads (files and folders) older than KEPT_S: previews nobody applied or published."""
    if not uploads.is_dir():
        return
    for old in uploads.iterdir():
        try:
            stale = time.time() - old.lstat().st_mtime > KEPT_S
        except FileNotFoundError:  # deleted meanwhile by another request or worker
            continue
        if not stale:
            continue
        if old.is_dir() and not old.is_symlink():
            shutil.rmtree(old, ignore_errors=True)
        else:
            old.unlink(missing_ok=True)


def keep_file(uploads: Path, name: str, content: bytes) -> Path:
    """Save an upload as `name`, readable by HQ alone, clearing old ones first."""
    uploads.mkdir(mode=0o700, parents=True, exist_ok=True)
    clear_old(uploads)
    path = uploads / name
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
        handle.write(content)
    return path


def keep_roster(
    uploads: Path, suffix: str, content: bytes, owner: str, filename: str, force: str = ""
) -> tuple[str, Path]:
    """Save a roster upload for `owner`'s preview, of `force`'s roster; returns its ticket and the file."""
    ticket = secrets.token_urlsafe(16)
    folder = uploads / ticket
    uploads.mkdir(mode=0o700, parents=True, exist_ok=True)
    clear_old(uploads)
    folder.mkdir(mode=0o700)
    path = keep_file(folder, "roster" + suffix, content)
    about = json.dumps({"kind": "roster", "owner": owner, "filename": filename[:200], "force": force})
    keep_file(folder, _ABOUT, about.encode())
    return ticket, path


def kept_roster(uploads: Path, ticket: str, owner: str) -> KeptRoster | None:
    """The roster `owner` uploaded under `ticket`, or None: never uploaded, by another account, applied, or
    older than KEPT_S (deleted now, if the sweep has not come to it yet)."""
    folder = uploads / ticket
    if not _TICKET.fullmatch(ticket) or not folder.is_dir():
        return None
    if time.time() - folder.stat().st_mtime > KEPT_S:
        forget(uploads, ticket)
        return None
    try:
        about = json.loads((folder / _ABOUT).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(about, dict) or about.get("kind") != "roster" or about.get("owner") != owner:
        return None
    found = [p for p in folder.iterdir() if p.name.startswith("roster.")]
    return KeptRoster(found[0], str(about.get("filename", "")), str(about.get("force", ""))) if found else None


def forget(uploads: Path, ticket: str) -> None:
    """Delete an upload once it is applied, or cannot be."""
    if _TICKET.fullmatch(ticket):
        shutil.rmtree(uploads / ticket, ignore_errors=True)


def keep_longer(uploads: Path, ticket: str) -> None:
    """Count the upload's time from now: its preview was shown again, to be applied with a box ticked."""
    if _TICKET.fullmatch(ticket):
        os.utime(uploads / ticket)
