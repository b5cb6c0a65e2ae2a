"""A folder that really refuses new files, for whoever runs the tests.

An ordinary user is refused by the folder's permissions (chmod). Root ignores permissions, so as root the
folder gets Linux's immutable attribute instead, which the kernel enforces for root too: creating a file in
it fails with EPERM, as on a write-protected stick. Both are the operating system refusing, not a stand-in;
a probe write proves it before the test relies on it.
"""

from __future__ import annotations

import fcntl
import os
import struct
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_FS_IOC_GETFLAGS = 0x80086601
_FS_IOC_SETFLAGS = 0x40086602
_FS_IMMUTABLE_FL = 0x10


@contextmanager
def unwritable_folder(folder: Path) -> Iterator[Path]:
    """Make `folder` refuse new files while the block runs; writable again afterwards, so tmp_path cleans up."""
    folder.mkdir(parents=True, exist_ok=True)
    with _immutable(folder) if os.geteuid() == 0 else _without_write_permission(folder):
        try:
            (folder / ".probe").touch()
        except PermissionError:
            pass
        else:
            raise AssertionError(f"{folder}: still writable, the test would prove nothing")
        yield folder


@contextmanager
def _without_write_permission(folder: Path) -> Iterator[None]:
    folder.chmod(0o555)
    try:
        yield
    finally:
        folder.chmod(0o755)


@contextmanager
def _immutable(folder: Path) -> Iterator[None]:
    fd = os.open(folder, os.O_RDONLY)
    try:
        flags = struct.unpack("l", fcntl.ioctl(fd, _FS_IOC_GETFLAGS, struct.pack("l", 0)))[0]
        fcntl.ioctl(fd, _FS_IOC_SETFLAGS, struct.pack("l", flags | _FS_IMMUTABLE_FL))
        try:
            yield
        finally:
            fcntl.ioctl(fd, _FS_IOC_SETFLAGS, struct.pack("l", flags))
    finally:
        os.close(fd)
