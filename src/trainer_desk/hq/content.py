"""Publishing lesson content: every file stored once by its sha256, the set recorded as a new version."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, insert, select

from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import schema
from trainer_desk.hq.database import next_seq, utc_now
from trainer_desk.sync.protocol import ContentManifest, ProtocolError, safe_content_path


def publish_content(engine: Engine, folder: Path, blobs: Path) -> int:
    """Store every file of a lesson-plans folder by its sha256 and record the set as a new content version.

    Hidden files and folders (a name starting with '.') are left out. Every other path must pass the rule every
    laptop applies (`safe_content_path`), checked before anything is stored: one name a laptop refuses would
    make every laptop's pull fail, and with it roster updates and remote wipes."""
    paths = sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )
    unsafe = [
        p.relative_to(folder).as_posix() for p in paths if not safe_content_path(p.relative_to(folder).as_posix())
    ]
    if unsafe:
        raise UserFacingError(
            "not published: laptops accept only names made of letters, digits, '.', '_' and '-' "
            "(not starting with '.'); rename:\n  " + "\n  ".join(unsafe)
        )
    files: list[dict[str, Any]] = []
    blobs.mkdir(parents=True, exist_ok=True)
    for path in paths:
        data = path.read_bytes()
        files.append(
            {"path": path.relative_to(folder).as_posix(), "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
        )
    try:
        ContentManifest.from_wire({"version": 1, "files": files})  # exactly what a laptop will check
    except ProtocolError as error:
        raise UserFacingError(f"not published: {error}") from None
    for path, entry in zip(paths, files, strict=True):
        target = blobs / str(entry["sha256"])
        if not target.exists():
            partial = target.with_suffix(".partial")
            partial.write_bytes(path.read_bytes())
            partial.replace(target)
    with engine.begin() as conn:
        version = (
            int(conn.execute(select(func.coalesce(func.max(schema.content_versions.c.version), 0))).scalar_one()) + 1
        )
        conn.execute(
            insert(schema.content_versions).values(
                version=version,
                seq=next_seq(conn),
                manifest=json.dumps({"version": version, "files": files}),
                published_at=utc_now().isoformat(),
            )
        )
    return version
