"""What HQ has published: each content version's files, the lesson library and programme rules they make, what
changed between two versions, and going back to an earlier one.

A version is a list of files by sha256 (`content.publish_content`). To read it as a laptop would, its files are
laid out in a folder once per version and loaded by the laptop's own loader (`load_library`), so HQ's view of a
plan (its title, programme, objectives) and of the force's rules is the one trainers see. Going back publishes
the earlier version's files again as a new version: laptops only ever move forward, and take it at their next
sync like any other.
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import re
import shutil
import tempfile
import threading
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.force_fields import FORCE_FILE, read_force_fields
from trainer_desk.core.plan_library import PlanLibrary, load_library
from trainer_desk.core.programme_rules import ProgrammeRule, read_rules
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq, utc_now

PROGRAMME_RULES = "programmes.toml"
NOTE_LIMIT = 300  # characters: a line in the versions table, not a release document
log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Version:
    version: int
    published_at: str
    files: dict[str, str]  # path -> sha256
    note: str = ""  # what changed and why; '' for versions published before notes were kept


@dataclass(frozen=True, slots=True)
class Unversioned:
    """A plan whose files change while its version stays the same."""

    plan: str  # its id
    title: str
    version: str
    files: int  # how many of the plan's files are added, changed or removed


@dataclass(frozen=True, slots=True)
class Changes:
    """What a version changes against another, file by file, and the plans whose version moves."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    plans: tuple[tuple[str, str, str], ...]  # (plan id, version before or '', version after or '')
    unversioned: tuple[Unversioned, ...] = ()

    @property
    def nothing(self) -> bool:
        return not (self.added or self.changed or self.removed)


def versions(engine: Engine) -> list[Version]:
    """Every version, newest first."""
    v = schema.content_versions
    with engine.connect() as conn:
        rows = conn.execute(
            select(v.c.version, v.c.published_at, v.c.manifest, v.c.note).order_by(v.c.version.desc())
        ).all()
    return [Version(int(r.version), str(r.published_at), _files(r.manifest), r.note or "") for r in rows]


def find(engine: Engine, version: int) -> Version | None:
    """Version `version`, or None where there is no such version."""
    return next((v for v in versions(engine) if v.version == version), None)


def current(engine: Engine) -> Version | None:
    """The newest version: what laptops have, or will have after their next sync."""
    v = schema.content_versions
    with engine.connect() as conn:
        row = conn.execute(
            select(v.c.version, v.c.published_at, v.c.manifest, v.c.note).order_by(v.c.version.desc()).limit(1)
        ).first()
    return Version(int(row.version), str(row.published_at), _files(row.manifest), row.note or "") if row else None


def changes(before: Version | None, after: PlanLibrary, after_files: dict[str, str], blobs: Path) -> Changes:
    """What publishing `after_files` (whose plans are `after`) would change against `before`."""
    old = before.files if before else {}
    old_library = library(before, blobs)
    old_plans = {p.id: p.version for p in old_library.plans}
    new_plans = {p.id: p.version for p in after.plans}
    return Changes(
        added=tuple(sorted(set(after_files) - set(old))),
        changed=tuple(sorted(p for p in set(after_files) & set(old) if after_files[p] != old[p])),
        removed=tuple(sorted(set(old) - set(after_files))),
        plans=tuple(
            (plan, old_plans.get(plan, ""), new_plans.get(plan, ""))
            for plan in sorted(set(old_plans) | set(new_plans))
            if old_plans.get(plan) != new_plans.get(plan)
        ),
        unversioned=_unversioned(old_library, old, after, after_files),
    )


def _unversioned(
    before: PlanLibrary, before_files: dict[str, str], after: PlanLibrary, after_files: dict[str, str]
) -> tuple[Unversioned, ...]:
    """The plans published before and after at the same version whose own files (those in the plan's folder)
    differ. Attendance records name a plan by its version, so that version would then mean two sets of files.

    Said as a warning, not refused: HQ itself changes a plan's files and keeps its version when the console adds
    a FAQ answer to it, so a refusal would also block going back over such an edit, and the upload of a zip
    that keeps it. The administrator decides, having seen it, whether to raise the version first."""
    found = []
    for plan in after.plans:
        old = before.get(plan.id)
        if old is None or old.version != plan.version:
            continue
        mine, theirs = _inside(after_files, plan.folder.name), _inside(before_files, old.folder.name)
        differ = sum(1 for path in set(mine) | set(theirs) if mine.get(path) != theirs.get(path))
        if differ:
            found.append(Unversioned(plan.id, plan.title, plan.version, differ))
    return tuple(sorted(found, key=lambda u: u.title.casefold()))


def _inside(files: dict[str, str], folder: str) -> dict[str, str]:
    """The files under `folder`, by their path inside it."""
    return {path.removeprefix(f"{folder}/"): sha for path, sha in files.items() if path.startswith(f"{folder}/")}


@dataclass(frozen=True, slots=True)
class PutBack:
    """A file an upload would take back to what an earlier version had: changed at HQ since (in the console,
    say: a FAQ answer or a programme's due date), and about to be undone by a zip made before that."""

    path: str
    as_in: int  # the earlier version whose content the upload has
    changed_in: int  # the version that changed it since
    changed_at: str


def put_back(engine: Engine, after_files: dict[str, str]) -> list[PutBack]:
    """The files `after_files` changes against the current version to a content an earlier version had, with
    the version that changed them since: publishing would silently undo that change."""
    every = versions(engine)  # newest first
    if not every:
        return []
    current = every[0]
    found = []
    for path, sha in sorted(after_files.items()):
        if current.files.get(path) in (None, sha):
            continue
        for newer, older in itertools.pairwise(every):
            if older.files.get(path) == sha:
                found.append(PutBack(path, older.version, newer.version, newer.published_at))
                break
    return found


def zip_version(version: int, engine: Engine, blobs: Path, target: Path) -> Path:
    """Version `version`'s files as the zip of a lesson plans folder, as the console takes one back: to change
    what is published, and upload it again, without undoing what was changed at HQ in the meantime."""
    found = find(engine, version)
    if found is None:
        raise UserFacingError(f"There is no content version {version}.")
    with zipfile.ZipFile(target, "w") as archive:
        for path, sha in sorted(found.files.items()):
            add_to_zip(archive, blobs / sha, path)
    return target


def add_to_zip(archive: zipfile.ZipFile, source: Path, path: str) -> None:
    """One file of a plans folder into its zip, where the console's upload looks for it (`lesson_plans/...`)."""
    stored = path.endswith((".mp4", ".m4v", ".webm", ".png", ".jpg", ".jpeg"))  # already compressed
    archive.write(source, f"lesson_plans/{path}", zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED)


def republish(engine: Engine, blobs: Path, version: int, *, based_on: int | None = None, note: str = "") -> int:
    """Publish an earlier version's files again, as the newest version; returns its number. With `based_on`
    (the version that was current when the person looked at what going back would change), refused with
    `StaleVersionError` if another was published since: what they agreed to is no longer what would happen.
    Its note is `note`, or else says which version it goes back to."""
    note = checked_note(note) or f"Back to version {version}"
    v = schema.content_versions
    with engine.connect() as conn:
        manifest = conn.execute(select(v.c.manifest).where(v.c.version == version)).scalar()
    if manifest is None:
        raise UserFacingError(f"There is no content version {version}.")
    files = json.loads(manifest)["files"]
    missing = [f["path"] for f in files if not (blobs / f["sha256"]).is_file()]
    if missing:
        raise UserFacingError(f"Version {version} cannot be restored: files are missing: {', '.join(missing)}")
    return record_version(engine, files, based_on=based_on, note=note)


class StaleVersionError(UserFacingError):
    """Refused: a version was published after the one a change was made from (or a comparison was shown
    against). Its own kind so that a front end can show what the newest version changes the picture to."""

    def __init__(self, newest: int) -> None:
        super().__init__(
            f"Not published: version {newest} was published while this change was being made. "
            "Look at it, and make the change again."
        )
        self.newest = newest


def checked_note(note: str) -> str:
    """A version's note as it is kept, without the spaces around it; refused, saying why, if it is longer than
    `NOTE_LIMIT` or is not one line of text: it is shown in a table row, where a line break or a control
    character would garble it. Tabs (cells pasted from a spreadsheet) become single spaces."""
    note = re.sub(r"[ ]*\t[\t ]*", " ", note).strip()
    if len(note) > NOTE_LIMIT:
        raise FieldError("note", f"The note is {len(note)} characters long: keep it to {NOTE_LIMIT} at most.")
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in note):
        raise FieldError(
            "note", "The note must be one line of plain text: it has a line break or another control character."
        )
    return note


def record_version(engine: Engine, files: list[dict[str, Any]], based_on: int | None = None, note: str = "") -> int:
    """Record a set of stored files (path, sha256, size) as the newest version; returns its number. Every way
    of publishing ends here: a folder, a console edit, or an earlier version again.

    The server sequence is taken first: its row lock queues publishers one behind another, so each reads the
    version before it as committed. An edit made from version `based_on` is refused if another was published
    since, rather than quietly undoing it. `note` says what changed and why (refused as `checked_note` says)."""
    note = checked_note(note)
    v = schema.content_versions
    with engine.begin() as conn:
        seq = next_seq(conn)
        newest = int(conn.execute(select(func.coalesce(func.max(v.c.version), 0))).scalar_one())
        if based_on is not None and newest != based_on:
            raise StaleVersionError(newest)
        conn.execute(
            insert(v).values(
                version=newest + 1,
                seq=seq,
                manifest=json.dumps({"version": newest + 1, "files": files}),
                published_at=utc_now().isoformat(),
                note=note or None,
            )
        )
    return newest + 1


@dataclass(frozen=True, slots=True)
class Content:
    """One version read as a laptop reads it."""

    library: PlanLibrary
    rules: dict[str, ProgrammeRule]  # who must complete each programme, by when
    force_name: str  # from its force.toml; '' where it names none


_read_versions: dict[tuple[Path, int], Content] = {}
_lock = threading.Lock()


def read(version: Version | None, blobs: Path) -> Content:
    """The version's plans, rules and force name (read once per version, then kept)."""
    if version is None:
        return Content(PlanLibrary(), {}, "")
    key = (blobs, version.version)
    with _lock:
        if key not in _read_versions:
            _read_versions[key] = _read(version, blobs)
        return _read_versions[key]


def library(version: Version | None, blobs: Path) -> PlanLibrary:
    return read(version, blobs).library


def newest(engine: Engine, blobs: Path) -> Content:
    """The newest version as laptops read it: its plans, the force's programme rules and name."""
    return read(current(engine), blobs)


def _read(version: Version, blobs: Path) -> Content:
    folder = Path(tempfile.mkdtemp(prefix="content-"))
    try:
        try:
            lay_out(version.files, blobs, folder)
        except OSError as error:  # a damaged content store: figures still show, without plans' names and rules
            log.warning("content version %s cannot be read: %s", version.version, type(error).__name__)
            return Content(PlanLibrary(), {}, "")
        found = load_library(folder)
        try:
            found_rules = read_rules(folder / PROGRAMME_RULES) if (folder / PROGRAMME_RULES).is_file() else {}
        except UserFacingError:
            found_rules = {}  # published before the check existed: nobody's audience is narrowed
        force = read_force_fields(folder / FORCE_FILE)[0]
        return Content(found, found_rules, force.value("name"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def lay_out(files: dict[str, str], blobs: Path, folder: Path) -> None:
    """Put each file of a version at its path under `folder` (hard links where the file system allows)."""
    for path, sha256 in files.items():
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(blobs / sha256, target)
        except OSError:
            shutil.copyfile(blobs / sha256, target)


def _files(manifest: Any) -> dict[str, str]:
    return {str(f["path"]): str(f["sha256"]) for f in json.loads(manifest)["files"]}
