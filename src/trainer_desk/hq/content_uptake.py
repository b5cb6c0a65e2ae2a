"""Which laptops have taken the newest lesson content: each laptop says which version it holds once it has
installed it (`POST /v1/content-held`), and HQ keeps that, never what it offered, since a laptop may be
offered a version it cannot yet download. The Devices page shows each laptop's; the Lesson content page counts
the active laptops that hold the newest, so the learning team can tell whether next week's classrooms run it.

A laptop of an earlier release never says: its version stays not known."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select, update

from trainer_desk.hq import schema
from trainer_desk.hq.database import writing
from trainer_desk.hq.devices import last_contact


def note_held(engine: Engine, device_id: str, version: int) -> bool:
    """Record that the laptop `device_id` holds content `version`; False, and nothing kept, when HQ never
    published that version (a laptop cannot have installed it from here)."""
    v = schema.content_versions
    with engine.connect() as conn:
        if conn.execute(select(v.c.version).where(v.c.version == version)).first() is None:
            return False
    d = schema.devices
    with writing(engine), engine.begin() as conn:
        conn.execute(
            update(d)
            .where(d.c.id == device_id, (d.c.content_version.is_(None)) | (d.c.content_version != version))
            .values(content_version=version)
        )
    return True


def newest_version(engine: Engine) -> tuple[int, str] | None:
    """The newest published version and when it was published (ISO, UTC), or None before any is."""
    v = schema.content_versions
    with engine.connect() as conn:
        row = conn.execute(select(v.c.version, v.c.published_at).order_by(v.c.version.desc()).limit(1)).first()
    return (int(row.version), str(row.published_at)) if row else None


def is_behind(held: int | None, newest: int | None) -> bool:
    """Whether a laptop has said it holds a version older than the newest."""
    return held is not None and newest is not None and held < newest


def held_words(held: int | None, newest: int | None) -> str:
    """A laptop's content version as the Devices page says it."""
    if held is None:
        return "not known"
    if is_behind(held, newest):
        return f"version {held}: not yet taken version {newest}"
    return f"version {held}, the newest"


@dataclass(frozen=True, slots=True)
class Uptake:
    """How many active laptops (neither lost nor revoked) hold the newest version, and of those that do not,
    how many HQ has not heard from since it was published (they take it at their next sync)."""

    version: int
    active: int
    taken: int
    not_synced: int

    @property
    def synced_without(self) -> int:
        """Active laptops that have synced since it was published but have not said they hold it."""
        return self.active - self.taken - self.not_synced

    def words(self) -> str:
        """'12 of 15 active laptops have taken it; 3 have not synced since it was published'."""
        if self.active == 0:
            return "No active laptops are enrolled yet."
        said = f"{self.taken} of {self.active} active laptop{'s' if self.active != 1 else ''} "
        said += f"{'has' if self.active == 1 else 'have'} taken it"
        if self.not_synced:
            said += f"; {self.not_synced} {_has(self.not_synced)} not synced since it was published"
        if self.synced_without:
            n = self.synced_without
            said += (
                f"; {n} {_has(n)} synced since without saying {_it(n)} took it (an earlier release of Trainer Desk, "
                "or a download not finished)"
            )
        return said + "."


def _has(count: int) -> str:
    return "has" if count == 1 else "have"


def _it(count: int) -> str:
    return "it" if count == 1 else "they"


def uptake(devices: Sequence[Mapping[str, Any]], newest: tuple[int, str]) -> Uptake:
    """The newest version's uptake among `devices` (rows as `devices.list_devices` gives them)."""
    version, published_at = newest
    active = [d for d in devices if not d["revoked"] and not d["lost"]]
    taken = {d["id"] for d in active if d["content_version"] is not None and d["content_version"] >= version}
    waiting = [d for d in active if d["id"] not in taken and last_contact(d) < published_at]
    return Uptake(version, len(active), len(taken), len(waiting))
