"""Lesson plans, videos and FAQs from HQ: downloaded to a temporary folder, every file checked against its
sha256 and size, then switched in by rewriting one small pointer file. Until that moment the previous
version stays in use, whole; an interrupted download carries on next time from the files already checked.

Installing never deletes an earlier version: an open window, or a session stamped with a plan's exact
version, may still be reading its files. `prune` removes the versions nothing uses any more.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trainer_desk.sync.protocol import ContentFile, ContentManifest

log = logging.getLogger(__name__)

POINTER = "current"
FORCE_NOTE = "force"  # the unit code of the force this laptop records for, as its unit tree from HQ says
_INCOMING = ".incoming-v"


class ContentMismatchError(ValueError):
    """What HQ sent is not what it announced (a file's size or checksum, or its name): it is not used."""


def current_content(content_dir: Path) -> Path | None:
    """The folder of the content version in use, if HQ has sent any."""
    try:
        name = (content_dir / POINTER).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    folder = content_dir / name
    return folder if _version_of(folder) is not None and folder.is_dir() else None


def installed_version(content_dir: Path) -> int:
    folder = current_content(content_dir)
    return (_version_of(folder) or 0) if folder else 0


def version_folders(content_dir: Path) -> list[Path]:
    """Every content version kept here, the newest first."""
    if not content_dir.is_dir():
        return []
    found = [(v, p) for p in content_dir.iterdir() if (v := _version_of(p)) is not None and p.is_dir()]
    return [p for _, p in sorted(found, reverse=True)]


def note_force(content_dir: Path, force_code: str | None) -> None:
    """Note which force's own details (`forces/CODE.toml`) this laptop shows; None forgets it. Kept beside the
    content rather than in the database, so that the plans can be read before the database is opened."""
    note = content_dir / FORCE_NOTE
    if noted_force(content_dir) == force_code:
        return
    try:
        if force_code is None:
            note.unlink(missing_ok=True)
            return
        content_dir.mkdir(parents=True, exist_ok=True)
        partial = content_dir / f".{FORCE_NOTE}.partial"
        partial.write_text(force_code, encoding="utf-8")
        partial.replace(note)
    except OSError as error:  # the roster and records are synced: this is tried again at the next sync
        log.warning("could not note this laptop's force beside its lesson content: %s", type(error).__name__)


def noted_force(content_dir: Path) -> str | None:
    """The force code `note_force` noted, if any."""
    try:
        return (content_dir / FORCE_NOTE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


Download = Callable[[str, Path, int], None]


def install(manifest: ContentManifest, content_dir: Path, download: Download) -> Path:
    """Fetch, verify and switch to `manifest`'s version; returns its folder. Files an earlier attempt fetched
    and checked are not fetched again."""
    incoming, expected = fetch(manifest, content_dir, download)
    final = content_dir / f"v{manifest.version}"
    incoming.mkdir(parents=True, exist_ok=True)  # a version may have no files at all
    for stray in [p for p in incoming.rglob("*") if p.is_file() and p not in expected]:
        stray.unlink()
    shutil.rmtree(final, ignore_errors=True)  # left by a switch cut short: never the version in use
    incoming.replace(final)
    pointer = content_dir / f".{POINTER}.partial"
    pointer.write_text(final.name, encoding="utf-8")
    pointer.replace(content_dir / POINTER)
    return final


def fetch(manifest: ContentManifest, content_dir: Path, download: Download) -> tuple[Path, set[Path]]:
    """Download and check `manifest`'s files into its incoming folder, without switching to it; returns the
    folder and the files it must hold. `install` does this first; a sync may do it early, alongside other
    work, and `install` then finds the files whole."""
    content_dir.mkdir(parents=True, exist_ok=True)
    incoming = content_dir / f"{_INCOMING}{manifest.version}"
    expected: set[Path] = set()
    for item in manifest.files:
        target = incoming.joinpath(*item.path.split("/"))
        if not target.resolve().is_relative_to(incoming.resolve()):
            raise ContentMismatchError(f"HQ named a content file outside the content folder ({item.path!r})")
        expected.add(target)
        if _whole(target, item):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        download(item.sha256, target, item.size)
        if not _whole(target, item):
            target.unlink(missing_ok=True)
            raise ContentMismatchError(f"the file {item.path} from HQ does not match its checksum")
    return incoming, expected


def prune(content_dir: Path, keep: Iterable[Path], older_than: int | None = None) -> list[Path]:
    """Delete the versions older than the one in use (and than `older_than`, when given) that hold none of
    `keep` (files or folders still in use), and downloads left unfinished for versions that are no longer new.
    Returns what was deleted.

    Versions newer than the one in use are never touched, so a prune running while a sync installs is safe;
    `older_than` protects the version a running app loaded its plans from, should a sync replace it first."""
    current = installed_version(content_dir)
    if not current:
        return []
    limit = current if older_than is None else min(current, older_than)
    kept = [Path(k).resolve() for k in keep]
    removed: list[Path] = []
    for folder in version_folders(content_dir):
        if (_version_of(folder) or 0) >= limit:
            continue
        root = folder.resolve()
        if any(k.is_relative_to(root) for k in kept):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    for partial in content_dir.glob(f"{_INCOMING}*"):
        number = partial.name.removeprefix(_INCOMING)
        if number.isdigit() and int(number) <= current:
            shutil.rmtree(partial, ignore_errors=True)
            removed.append(partial)
    return removed


def _version_of(folder: Path) -> int | None:
    name = folder.name
    return int(name[1:]) if name.startswith("v") and name[1:].isdigit() else None


def _whole(path: Path, item: ContentFile) -> bool:
    return path.is_file() and path.stat().st_size == item.size and _sha256(path) == item.sha256


def _sha256(path: Path) -> str:
    """Hashed a chunk at a time: a film can be hundreds of megabytes, more than a laptop should hold at once."""
    import hashlib  # here: the app's first paint need not load OpenSSL's hashes for a file it does not check

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
