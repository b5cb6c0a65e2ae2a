"""The gate of a force's own housekeeping in the console: its roster, its walk-ins, its records, its accounts and its
audit trail. These are done for a force, by an administrator of the whole of HQ or one granted on that force (and
the audit trail read by an auditor of either, too); a grant on a BCU is refused, since a BCU cannot hold a roster
or reconcile walk-ins against one, and its accounts and trail are its force's to keep. What each page then shows
or changes is limited to the account's grant by its one rule (`StaffMember.covers`, `scope.reach`), as every
other page is."""

# No `from __future__ import annotations`: see app.py.
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, HTTPException

from trainer_desk.hq.console.admin import Allowed
from trainer_desk.hq.staff import StaffMember


def force_admins(
    allowed: Allowed, needs: str, roles: tuple[str, ...] = ("admin",)
) -> Callable[..., Awaitable[StaffMember]]:
    """The signed-in administrator (or other of `roles`) of the whole of HQ or of a force (`force_wide`); any
    other is refused, the refusal saying that `needs` ("Importing a roster") needs a grant on a force or on the
    whole of HQ."""
    signed_in = allowed(*roles)

    async def of_force(who: Annotated[StaffMember, Depends(signed_in)]) -> StaffMember:
        if not who.force_wide:
            raise HTTPException(
                status_code=403,
                detail=f"{needs} needs a grant on a force or on the whole of HQ, and yours is on "
                f"{who.unit_name or who.unit}.",
            )
        return who

    of_force.checks_role = True  # type: ignore[attr-defined]  # the route walk looks for this mark
    return of_force
