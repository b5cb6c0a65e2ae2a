"""The one unit check for the console's actions on a unit's things (a device, a person, an enrollment for a
unit): whatever the role, the thing's unit must lie within the account's grant (`StaffMember.covers`), or the
answer is 404, as a lead gets for another unit's pages, so an account cannot even learn what other units hold.
What acts on the whole of HQ (every force) is held back earlier, by `allowed(..., whole_hq=True)`."""

from __future__ import annotations

from fastapi import HTTPException

from trainer_desk.hq.staff import StaffMember

NOT_FOUND = "Not found among the units you can see."


def reach(who: StaffMember, unit: str | None) -> None:
    """404 unless a thing of `unit` (None: no unit known, such as someone not on the roster) is within
    `who`'s grant."""
    if not who.covers(unit):
        raise HTTPException(status_code=404, detail=NOT_FOUND)
