"""Publishing lesson content: every file stored once by its sha256, the set recorded as a new version."""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from collections.abc import Collection
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from trainer_desk.core import force_files
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.film_container import film_problem, is_film
from trainer_desk.core.force_fields import FORCE_FILE, NO_FIELDS, read_force_fields
from trainer_desk.core.plan_library import load_library, plan_folders
from trainer_desk.core.plan_loader import load_plan
from trainer_desk.core.programme_rules import read_rules
from trainer_desk.hq import published, units
from trainer_desk.hq.demonstration import DemonstrationContentError, demonstration_content, in_version
from trainer_desk.hq.published import PROGRAMME_RULES
from trainer_desk.sync.protocol import ContentManifest, ProtocolError, safe_content_path


class UnpublishableError(UserFacingError):
    """The folder's plans have problems, each as `path:line: message` with the path inside the folder."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("not published: these plans have problems:\n  " + "\n  ".join(problems))
        self.problems = problems


def check_folder(folder: Path, forces: Collection[str] | None = None) -> list[str]:
    """Every problem the laptop's validator finds in a folder of plans (the force's facts, each force's own
    file in `forces/`, each plan, the shared FAQ, the programme rules), as `path:line: message` with paths
    inside the folder, and every film whose bytes are not the container its name says, as `path: message`: a
    laptop finds that only in a classroom, when the film will not play. `forces`: HQ's forces (`force_codes`),
    the only codes a force's own file may be named by; None leaves the names unchecked."""
    library = load_library(folder)
    # Each plan's own findings, a usable plan's included: captions that cannot be read are only a warning on a
    # laptop (the film plays without them), but are refused here, where they can still be fixed.
    force = read_force_fields(folder / FORCE_FILE)[0] if (folder / FORCE_FILE).is_file() else NO_FIELDS
    found = [p for plan in plan_folders(folder) for p in load_plan(plan, force)[1]] + list(library.problems)
    problems = [
        f"{_inside(p.file, folder)}:{p.line}: {p.message}" for p in found if not p.warning or p.refused_at_publish
    ]
    problems += [f"{FORCE_FILE}: {problem}" for problem in read_force_fields(folder / FORCE_FILE)[1]]
    problems += force_files.problems_in(folder, forces)
    if (folder / PROGRAMME_RULES).is_file():
        try:
            read_rules(folder / PROGRAMME_RULES)
        except UserFacingError as error:
            problems.append(f"{PROGRAMME_RULES}: {error.message.removeprefix(f'{folder / PROGRAMME_RULES}: ')}")
    problems += film_problems(folder)
    if not plan_folders(folder):
        problems.append("no lesson plan here: each plan is a folder with a plan.toml in it")
    return problems


def force_codes(engine: Engine) -> list[str]:
    """HQ's forces: the unit codes at the top of its unit tree (one on a force's own HQ, several on a national
    one), each of which may have its own details in `forces/`. None before a tree is imported."""
    return sorted(node.code for node in units.unit_nodes(engine) if node.parent is None)


def film_problems(folder: Path) -> list[str]:
    """Each film in the folder (by its name: .mp4, .mov, .webm...) that is empty or not the container its name
    says, as `path: message`. Hidden files are left out, as publishing leaves them out."""
    problems = []
    for path in sorted(folder.rglob("*")):
        inside = path.relative_to(folder)
        if any(part.startswith(".") for part in inside.parts) or not is_film(path) or not path.is_file():
            continue
        if problem := film_problem(path):
            problems.append(f"{inside.as_posix()}: {problem}")
    return problems


def _inside(path: Path, folder: Path) -> str:
    try:
        return path.relative_to(folder).as_posix()
    except ValueError:
        return path.name


def publish_content(
    engine: Engine, folder: Path, blobs: Path, *, allow_sample_media: bool = False, note: str = ""
) -> int:
    """Store every file of a lesson-plans folder by its sha256 and record the set as a new content version.

    Hidden files and folders (a name starting with '.') are left out. Every other path must pass the rule every
    laptop applies (`safe_content_path`), checked before anything is stored: one name a laptop refuses would
    make every laptop's pull fail, and with it roster updates and remote wipes. Demonstration content (the
    bundled sample films, the made-up force's facts, policy and due dates) is refused unless
    `allow_sample_media`: laptops would show it to a room as the force's own.
    Before all that, the laptop's own validator reads every plan (`check_folder`): a version with a broken plan
    is never published, whether it came from the command line or the console. `note` says what changed and
    why; a note that cannot be kept is refused first, before anything is stored."""
    note = published.checked_note(note)
    if problems := check_folder(folder, force_codes(engine)):
        raise UnpublishableError(problems)
    paths = content_files(folder)
    unsafe = [
        p.relative_to(folder).as_posix() for p in paths if not safe_content_path(p.relative_to(folder).as_posix())
    ]
    if unsafe:
        raise UserFacingError(
            "not published: laptops accept only names made of letters, digits, '.', '_' and '-' "
            "(not starting with '.'); rename:\n  " + "\n  ".join(unsafe)
        )
    if not allow_sample_media and (pieces := demonstration_content(folder, paths)):
        raise DemonstrationContentError(pieces)
    blobs.mkdir(parents=True, exist_ok=True)
    files = [{"path": p.relative_to(folder).as_posix(), **_store_blob(p, blobs)} for p in paths]
    try:
        ContentManifest.from_wire({"version": 1, "files": files})  # exactly what a laptop will check
    except ProtocolError as error:
        raise UserFacingError(f"not published: {error}") from None
    return published.record_version(engine, files, note=note)


CHUNK = 1 << 20


def _store_blob(path: Path, blobs: Path) -> dict[str, Any]:
    """Copy one file into the blob store under its sha256, hashing as it streams: a film of hundreds of
    megabytes is read once and never held in memory. A blob already stored is kept as it is."""
    digest = hashlib.sha256()
    size = 0
    with tempfile.NamedTemporaryFile(dir=blobs, suffix=".partial", delete=False) as partial, path.open("rb") as source:
        try:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                partial.write(chunk)
                size += len(chunk)
            partial.flush()
            os.fsync(partial.fileno())
        except BaseException:
            Path(partial.name).unlink(missing_ok=True)
            raise
    target = blobs / digest.hexdigest()
    if target.exists():
        Path(partial.name).unlink()
    else:
        Path(partial.name).replace(target)
    return {"sha256": digest.hexdigest(), "size": size}


def content_files(folder: Path) -> list[Path]:
    """The files a version of `folder` holds: every file but hidden ones (a name starting with '.'). A link to
    a file outside the folder is refused, naming it: published, its content (an HR export left beside the plans,
    say) would reach every laptop."""
    inside = folder.resolve()
    found = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    if outside := [p for p in found if not p.resolve().is_relative_to(inside)]:
        named = ", ".join(p.relative_to(folder).as_posix() for p in outside[:5])
        raise UserFacingError(
            f"not published: {named}: {'a link' if len(outside) == 1 else 'links'} to files outside the lesson plans "
            "folder. Copy what a plan needs into its folder, and remove the link."
        )
    return found


def zip_folder(folder: Path, target: Path) -> Path:
    """A folder of plans as a zip in the layout the console's upload takes (as `published.zip_version` makes
    one): on a new HQ, the plans laptops were installed with, to start the first version from."""
    with zipfile.ZipFile(target, "w") as archive:
        for path in content_files(folder):
            published.add_to_zip(archive, path, path.relative_to(folder).as_posix())
    return target


def fingerprints(folder: Path) -> dict[str, str]:
    """Path inside `folder` -> sha256, for each file a version of it would hold: to compare with what is
    published before anything is stored."""
    found = {}
    for path in content_files(folder):
        digest = hashlib.sha256()
        with path.open("rb") as source:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
        found[path.relative_to(folder).as_posix()] = digest.hexdigest()
    return found


def demonstration_in(folder: Path) -> list[str]:
    """Every piece of demonstration content in a folder of plans (`demonstration.demonstration_content`)."""
    return demonstration_content(folder, content_files(folder))


def republish_content(
    engine: Engine, blobs: Path, version: int, *, based_on: int | None = None, allow_sample_media: bool = False,
    note: str = "",
) -> int:  # fmt: skip
    """Publish an earlier version again (`published.republish`), refused as publishing it first was when it
    holds demonstration content nobody said to publish anyway: going back must not skip that question."""
    earlier = published.find(engine, version)
    if earlier is not None and not allow_sample_media and (pieces := in_version(earlier.files, blobs)):
        raise DemonstrationContentError(pieces)
    return published.republish(engine, blobs, version, based_on=based_on, note=note)


def publish_changed(
    engine: Engine, blobs: Path, changed: dict[str, bytes], *, based_on: int | None = None, note: str = ""
) -> int:
    """Publish the newest version again with some of its files replaced (or added): the console's edits of
    the programme rules and of a plan's FAQ. Returns the new version's number.

    `based_on`: the version the caller read and checked its edit against. The edit is published only if that
    is still the newest, checked in the transaction that records it (`published.record_version`); otherwise
    `StaleVersionError`, for the caller to check its edit against the newer one. `note` says what changed
    (refused as `published.checked_note` says, before anything is stored)."""
    note = published.checked_note(note)
    current = published.current(engine)
    if current is None:
        raise UserFacingError("Nothing is published yet: publish the lesson plans first.")
    if based_on is not None and current.version != based_on:
        raise published.StaleVersionError(current.version)
    unsafe = [path for path in changed if not safe_content_path(path)]
    if unsafe:
        raise UserFacingError(f"not published: laptops would refuse the name {unsafe[0]}")
    blobs.mkdir(parents=True, exist_ok=True)
    files = {path: {"sha256": sha, "size": (blobs / sha).stat().st_size} for path, sha in current.files.items()}
    with tempfile.TemporaryDirectory(dir=blobs) as folder:
        for path, content in changed.items():
            written = Path(folder) / "file"
            written.write_bytes(content)
            files[path] = _store_blob(written, blobs)
    with tempfile.TemporaryDirectory() as folder:  # read as laptops will read it: a broken plan is never published
        published.lay_out({path: str(found["sha256"]) for path, found in files.items()}, blobs, Path(folder))
        if problems := check_folder(Path(folder)):
            raise UnpublishableError(problems)
    listed = [{"path": path, **found} for path, found in sorted(files.items())]
    return published.record_version(engine, listed, based_on=current.version, note=note)
