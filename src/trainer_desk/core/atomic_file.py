"""Write an export under a temporary name and rename it when complete: a crash never leaves half a file."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from trainer_desk.core.errors import UserFacingError


@contextmanager
def atomic_target(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside `path`; it becomes `path` only if the block finishes."""
    path = path.expanduser()
    if not path.parent.is_dir():
        raise UserFacingError(f"{path}: the folder {path.parent} does not exist")
    partial = path.with_name(f".{path.name}.partial")
    try:
        yield partial
        partial.replace(path)
    except OSError as error:
        raise UserFacingError(f"{path}: cannot write the file: {error.strerror or error}") from error
    finally:
        partial.unlink(missing_ok=True)
