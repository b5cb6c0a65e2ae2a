"""Write an export under a temporary name and rename it when complete: a crash never leaves half a file.

The data is forced to disk before the rename and the folder after it, so that after a power cut the name
points either at the old file or at the whole new one. When writing fails, the temporary file is removed and
the person is told why in words (a read-only stick, a full disk), never with the clean-up's own trouble.

On POSIX what is written is its owner's alone (0600), from the first byte to the rename: an attendance sheet
names people and their staff numbers, and was left readable by every account on the laptop.
"""

from __future__ import annotations

import errno
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trainer_desk.core.errors import UserFacingError

log = logging.getLogger(__name__)

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_FOLDER = 0o700

_REASONS = {
    errno.EROFS: "read-only",
    errno.EACCES: "read-only (you have no permission to write there)",
    errno.EPERM: "read-only (you have no permission to write there)",
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "your share of the disk is full",
}


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it becomes `path` only if the block finishes."""
    path = path.expanduser()
    folder = path.parent
    if not folder.is_dir():
        raise UserFacingError(f"{path}: the folder {folder} does not exist")
    partial = path.with_name(f".{path.name}.partial")
    try:
        _create_owner_only(partial)
        yield partial
        keep_to_owner(partial)  # the writer may have made the file again, with the usual permissions
        sync_file(partial)
        partial.replace(path)
        sync_folder(folder)
    except OSError as error:
        _remove_quietly(partial)
        raise cannot_write(folder, error) from error
    except BaseException:
        _remove_quietly(partial)
        raise


def _create_owner_only(partial: Path) -> None:
    """The temporary file made empty and owner-only before anything is written into it."""
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, OWNER_ONLY_FILE))
    keep_to_owner(partial)  # made before: a partial file left by a crash keeps its old permissions


def keep_to_owner(path: Path, folder: bool = False) -> None:
    """`path` readable and writable by its owner alone (0600, a folder 0700). Windows has no such bits: a
    user's files there are kept to them by the profile's own permissions."""
    if os.name != "nt":
        path.chmod(OWNER_ONLY_FOLDER if folder else OWNER_ONLY_FILE)


def cannot_write(folder: Path, error: OSError) -> UserFacingError:
    """What a person is told when a file cannot be written in `folder`."""
    reason = _REASONS.get(error.errno or 0) or error.strerror or type(error).__name__
    return UserFacingError(
        f"cannot write to {folder}: {reason}", hint="Nothing was written there; choose another place."
    )


def sync_file(path: Path) -> None:
    """Flush a file's contents to the disk before it is renamed into place."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder: Path) -> None:
    """Make a rename in `folder` survive a power cut. Windows cannot open a folder for this (NTFS journals the
    rename itself), and some filesystems refuse to sync a folder: the file is whole either way."""
    if os.name == "nt":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError as error:
        log.warning("folder not synced after a rename: %s", errno.errorcode.get(error.errno or 0, "unknown"))
        return
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def _remove_quietly(partial: Path) -> None:
    """Remove a partial file. On a read-only disk even removing a file that was never made fails (EROFS): that
    must never hide why the writing failed."""
    try:
        partial.unlink(missing_ok=True)
    except OSError as error:
        log.warning("partial file not removed: %s", errno.errorcode.get(error.errno or 0, "unknown"))
