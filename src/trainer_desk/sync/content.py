"""Lesson plans, videos and FAQs from HQ: downloaded to a temporary folder, every file checked against its
sha256 and size, then switched in by rewriting one small pointer file. Until that moment the previous
version stays in use, whole; an interrupted download is simply started again next time."""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path

from trainer_desk.sync.protocol import ContentManifest

POINTER = "current"


def current_content(content_dir: Path) -> Path | None:
    """The folder of the content version in use, if HQ has sent any."""
    try:
        name = (content_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = content_dir / name
    return folder if name.startswith("v") and name[1:].isdigit() and folder.is_dir() else None


def installed_version(content_dir: Path) -> int:
    folder = current_content(content_dir)
    return int(folder.name[1:]) if folder else 0


Download = Callable[[str, Path, int], None]


def install(manifest: ContentManifest, content_dir: Path, download: Download) -> Path:
    """Fetch, verify and switch to `manifest`'s version; returns its folder."""
    content_dir.mkdir(parents=True, exist_ok=True)
    final = content_dir / f"v{manifest.version}"
    incoming = content_dir / f".incoming-v{manifest.version}"
    shutil.rmtree(incoming, ignore_errors=True)
    for item in manifest.files:
        target = incoming.joinpath(*item.path.split("/"))
        if not target.resolve().is_relative_to(incoming.resolve()):
            raise ValueError(f"content path {item.path!r} leaves the content folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        download(item.sha256, target, item.size)
        if target.stat().st_size != item.size or _sha256(target) != item.sha256:
            raise ValueError(f"content file {item.path} does not match its checksum")
    shutil.rmtree(final, ignore_errors=True)
    incoming.replace(final)
    pointer = content_dir / f".{POINTER}.partial"
    pointer.write_text(final.name, encoding="utf-8")
    pointer.replace(content_dir / POINTER)
    for old in content_dir.glob("v*"):
        if old != final and old.is_dir():
            shutil.rmtree(old, ignore_errors=True)
    return final


def _sha256(path: Path) -> str:
    """Hashed a chunk at a time: a film can be hundreds of megabytes, more than a laptop should hold at once."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
