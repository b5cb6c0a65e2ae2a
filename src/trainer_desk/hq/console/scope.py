"""The one unit check for the console's actions on a unit's things (a device, a person, an enrollment for a
unit): whatever the role, the thing's unit must lie within the account's grant (`StaffMember.covers`), or the
answer is 404, as a lead gets for another unit's pages, so an account cannot even learn what other units hold.
What acts on the whole of HQ (every force) is held back earlier, by `allowed(..., whole_hq=True)`; a force's own
housekeeping (its roster, walk-ins and records), by `force_admins`, and each walk-in then passes `reach` too."""

from __future__ import annotations

from fastapi import HTTPException

from trainer_desk.hq.staff import StaffMember

NOT_FOUND = "Not found among the units you can see."


def reach(who: StaffMember, unit: str | None) -> None:
    """404 unless a thing of `unit` (None: no unit known, such as someone not on the roster) is within
    `who`'s grant."""
    if not who.covers(unit):
        raise HTTPException(status_code=404, detail=NOT_FOUND)


def asked_unit(who: StaffMember, unit: str, shown: str) -> tuple[str, str]:
    """The `?unit=` of a page that lists things by unit (the dashboard, Sessions, Feedback), by one rule: a unit
    within `who`'s grant is kept; any other (a link from someone else, one typed, one since retired) is said, and
    the page shows all that `who` may see, naming `shown` ("figures", "sessions") as what it lists. One page
    passed an unknown unit over in silence and showed every unit as if it were the one asked for. Returns the unit
    kept (blank for all) and the sentence to show (blank when there is nothing to say)."""
    if not unit or unit in who.units:
        return unit, ""
    return "", f"That unit is not among those you can see: these are the {shown} of all you can see."
