"""A folder of lesson plans uploaded as a zip, unpacked where HQ alone can read it, to be checked, compared
with what is published, and published or thrown away.

The zip is untrusted: a name that climbs out of the folder, a link, or more bytes than it declared is refused
before anything lands outside the folder, and the whole is capped so that a small zip cannot fill HQ's disk.
A zip made by "Send to compressed folder" or Finder holds one top folder around the plans: it is looked through.
Finder's `__MACOSX` copies and hidden files are left out, as `publish` leaves them out of a folder.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from trainer_desk.core.errors import UserFacingError

MAX_UNPACKED_BYTES = 4 * 1024**3  # the four bundled programmes with a force's own films fit many times over
MAX_FILES = 5000
CHUNK = 1 << 20


def unpack(archive: Path, into: Path) -> Path:
    """Unpack `archive` into the new folder `into`; returns the folder holding the plans (the one top folder
    the zip wraps them in, if it does). Raises UserFacingError naming what is wrong; nothing is left behind."""
    into.mkdir(mode=0o700, parents=True)
    try:
        try:
            with zipfile.ZipFile(archive) as zipped:
                files = [(m, _target(into, m)) for m in zipped.infolist() if not m.is_dir()]
                members = [(m, target) for m, target in files if _wanted(m.filename)]
                if len(members) > MAX_FILES:
                    raise UserFacingError(f"The zip holds {len(members)} files: more than any set of plans.")
                written = 0
                for member, target in members:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zipped.open(member) as source, target.open("xb") as sink:
                        while chunk := source.read(CHUNK):
                            written += len(chunk)
                            if written > MAX_UNPACKED_BYTES:
                                raise UserFacingError("The zip unpacks to more than 4 GB: too large to publish.")
                            sink.write(chunk)
        except (zipfile.BadZipFile, EOFError, NotImplementedError, zlib.error) as error:
            raise UserFacingError(f"That file is not a zip HQ can read ({error}).") from None
        except RuntimeError as error:  # zipfile's word for a password-protected member
            raise UserFacingError(f"That zip cannot be read: {error}. Make it again without a password.") from None
        except FileExistsError as error:
            raise UserFacingError(f"The zip holds {Path(error.filename).name} twice.") from None
        except OSError as error:
            raise UserFacingError(f"The zip could not be unpacked on HQ ({error.strerror or error}).") from None
    except BaseException:
        shutil.rmtree(into, ignore_errors=True)
        raise
    return plans_folder(into)


def _wanted(name: str) -> bool:
    parts = PurePosixPath(name.replace("\\", "/")).parts
    return not any(part.startswith(".") or part == "__MACOSX" for part in parts)


def _target(into: Path, member: zipfile.ZipInfo) -> Path:
    name = member.filename
    parts = PurePosixPath(name).parts
    if "\\" in name or name.startswith("/") or ".." in parts or not parts or ":" in parts[0]:
        raise UserFacingError(f"The zip holds a file named {name!r}, which points outside its folder.")
    if stat.S_ISLNK(member.external_attr >> 16):
        raise UserFacingError(f"The zip holds a link ({name}): put the file itself in it.")
    return into.joinpath(*parts)


def plans_folder(into: Path) -> Path:
    entries = list(into.iterdir())
    if len(entries) == 1 and entries[0].is_dir() and not (entries[0] / "plan.toml").exists():
        return entries[0]
    return into
