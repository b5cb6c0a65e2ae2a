"""HQ staff accounts for the console: who may sign in, with which role, over which part of the force.

Passwords are hashed with argon2id by argon2-cffi and never stored or logged otherwise. Every role is granted
on a node of the unit tree: the whole of HQ (''), a force, or a BCU, and covers that unit and every unit under
it. One mechanism serves a single force and a national deployment alike. Signing in is one function
(`check_password`), so a force's single sign-on can later stand beside it and hand the console the same
`StaffMember`.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, Row, insert, select, text, update

from trainer_desk.core.errors import FieldError, UserFacingError
from trainer_desk.core.password_rules import guessable
from trainer_desk.core.unit_names import unit_for_people
from trainer_desk.core.units import DEFAULT_UNITS
from trainer_desk.hq import schema
from trainer_desk.hq.database import utc_now
from trainer_desk.hq.units import parents_and_names, unit_codes, unit_nodes, within

# Role: what it may do. A BCU training lead is always granted on a unit, an auditor on the whole of HQ or a force.
ROLES = {
    "admin": "HQ administrator: everything (granted on a unit: only that unit's devices, enrollments, people)",
    "viewer": "HQ viewer: every figure, read-only",
    "lead": "BCU training lead: their unit only, everywhere",
    "auditor": "auditor: the audit trail only",
}
# What an administrator granted on one force does for that force (`console.force_admins`), and what stays with
# administrators of the whole of HQ (every force): each said to an account that may not do it.
FORCE_WORK = "roster import, walk-ins, records, accounts and the audit trail"
WHOLE_HQ_WORK = "retention, lesson content, programme rules, FAQ answers and backups"
UNIT_WORK = "devices, enrollment codes, subject access, sessions and exemptions of {unit} (and the units under it)"
PLANNERS = ("admin", "lead")  # the roles that plan sessions (and record exemptions) for their units
READERS = ("admin", "viewer", "lead")  # the roles that see training figures and registers
MIN_PASSWORD = 12
_PLAIN = "abcdefghjkmnpqrstuvwxyz23456789"  # no i, l, o, 0 or 1
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,79}$")
_HASHER = PasswordHasher()
# Checked against when the username is unknown, so a wrong name takes as long to refuse as a wrong password.
_NOBODY = _HASHER.hash("no account has this password")


@dataclass(frozen=True, slots=True)
class StaffMember:
    username: str
    role: str
    unit: str  # '' for the whole of HQ
    password_set_at: str
    units: frozenset[str]  # every unit code the grant covers: `unit` and all under it
    password_issued: bool = False  # set by an administrator: to be changed before anything else (see `add`)
    unit_name: str = ""  # `unit` as its people name it ("North BCU"), where the unit tree names it
    on_force: bool = False  # granted on a force: a top unit of the tree (whose roster its administrator imports)

    @property
    def whole_hq(self) -> bool:
        """Granted on the root of the unit tree: what acts on the whole of HQ (its unit tree, lesson content,
        backups, retention, every force's audit trail) needs this, since a unit's grant cannot hold it in; a
        force's roster, walk-ins, records, accounts and audit trail need this or a grant on that force
        (`force_wide`)."""
        return self.unit == ""

    @property
    def force_wide(self) -> bool:
        """Granted on the whole of HQ or on a whole force: what a force runs for itself (its roster, walk-ins,
        records, accounts and audit trail: `console.force_admins`) needs this, kept from a grant on a BCU."""
        return self.whole_hq or self.on_force

    def covers(self, unit: str | None) -> bool:
        """Whether a thing of `unit` (a device, a person, an enrollment) is within this grant. The whole of HQ
        covers everything, even what has no unit in the tree (a retired unit's laptop, someone not on the
        roster); a unit's grant covers only its own units, so nothing unknown is ever let through."""
        return self.whole_hq or (unit is not None and unit in self.units)

    @property
    def reads_records(self) -> bool:
        """Every role but the auditor's sees training figures and registers."""
        return self.role in ("admin", "viewer", "lead")

    @property
    def plans_sessions(self) -> bool:
        """Administrators and leads plan sessions, and cancel them (`PLANNERS`)."""
        return self.role in PLANNERS

    @property
    def reads_reasons(self) -> bool:
        """What participants wrote is for HQ's learning team only: in a unit's small sessions, its lead could
        tell who wrote what."""
        return self.role in ("admin", "viewer")


def add(
    engine: Engine,
    username: str,
    password: str,
    role: str,
    unit: str = "",
    *,
    issued: bool = False,
    first: bool = False,
    by: StaffMember | None = None,
) -> StaffMember:
    """A new account. `issued`: the password is one an administrator gives the person (the console's), seen by
    someone other than its owner, so the console asks for the owner's own at their first sign-in. `first`: only
    if HQ has no account yet (the setup page, `first_admin`), checked in the transaction that adds it. `by`: the
    console's administrator adding it, who may grant only within their own grant (`_grant`)."""
    username = username.strip().lower()
    if not _USERNAME.fullmatch(username):
        raise FieldError("username", "a username is 2 to 80 lowercase letters, digits, '.', '_' or '-'")
    unit = _grant(engine, role, unit, by)
    _check_new_password(engine, password, username, issued=issued)
    now = utc_now().isoformat()
    with engine.begin() as conn:
        if first and conn.dialect.name == "postgresql":  # two setup pages sent at once make one account, not two
            conn.execute(text("LOCK TABLE staff IN SHARE ROW EXCLUSIVE MODE"))
        if first and conn.execute(select(schema.staff.c.username).limit(1)).first():
            raise UserFacingError("HQ has an account already: sign in, or ask an HQ administrator for one")
        if conn.execute(select(schema.staff.c.username).where(schema.staff.c.username == username)).first():
            raise FieldError("username", f"there is already an account '{username}'")
        conn.execute(
            insert(schema.staff).values(
                username=username,
                password_hash=_HASHER.hash(password),
                role=role,
                unit=unit,
                disabled=False,
                created_at=now,
                password_set_at=now,
                password_issued=issued,
            )
        )
    return StaffMember(
        username, role, unit, now, frozenset(units_within(engine, unit)), issued, _unit_name(engine, unit),
        _is_force(engine, unit),
    )  # fmt: skip


def regrant(
    engine: Engine, username: str, role: str, unit: str, by: str, *, granter: StaffMember | None = None
) -> StaffMember:
    """Change what an account may do (a lead moving BCU, a viewer made an administrator): the next page its
    sessions open uses the new grant, as every page reads the account afresh (`current`). Refused, as
    `disable` is, for one's own account and for the last enabled administrator of the whole of HQ, in one
    transaction with the change. `granter`: the console's administrator `by`, who may grant only within their
    own grant (`_grant`)."""
    username = username.strip().lower()
    unit = _grant(engine, role, unit, granter)
    if username == by:
        raise FieldError("username", "You cannot change your own role: ask another administrator.")
    with engine.begin() as conn:
        if not (role == "admin" and unit == ""):
            _keep_an_administrator(conn, username)
        named = schema.staff.c.username == username
        done = conn.execute(update(schema.staff).where(named).values(role=role, unit=unit))
        if done.rowcount != 1:
            raise FieldError("username", f"no account '{username}'")
        password_set_at = str(conn.execute(select(schema.staff.c.password_set_at).where(named)).scalar())
    return StaffMember(
        username, role, unit, password_set_at, frozenset(units_within(engine, unit)),
        unit_name=_unit_name(engine, unit), on_force=_is_force(engine, unit),
    )  # fmt: skip


def describe(member: StaffMember) -> str:
    """What the account may do, said plainly: 'an administrator on NORTH' was read as "everything, in NORTH",
    while the force-wide work stays with administrators of the whole of HQ."""
    if member.whole_hq:
        return f"{ROLES[member.role].split(' (')[0]}, on the whole of HQ"
    unit = unit_for_people(member.unit, {member.unit: member.unit_name})  # "North BCU (NORTH)", as refusals say
    if member.role == "admin" and member.on_force:  # a force's own housekeeping is its administrator's
        return (
            f"HQ administrator on {unit}: its {FORCE_WORK}; {UNIT_WORK.format(unit=unit)}; {WHOLE_HQ_WORK} need an "
            "administrator granted on the whole of HQ (no --unit)"
        )
    if member.role == "admin":
        return (
            f"HQ administrator on {unit}: {UNIT_WORK.format(unit=unit)} only; {FORCE_WORK} need an administrator "
            f"granted on its force or the whole of HQ, and {WHOLE_HQ_WORK} one granted on the whole of HQ (no --unit)"
        )
    return f"{ROLES[member.role]}, on {unit}"


def whole_hq_refusal(member: StaffMember) -> str:
    """Why a page that acts on all of HQ (its unit tree, lesson content, backups) is refused to a grant on one
    force or unit: said with the grant's name, as its holder knows it, and saying that all of HQ is every force,
    since "the whole force" read as their own force to a force's administrator."""
    return (
        "This acts on the whole of HQ (every force): it needs a grant on the whole of HQ, and yours is on "
        f"{member.unit_name or member.unit}."
    )


def list_staff(engine: Engine, seen_by: StaffMember | None = None) -> list[dict[str, object]]:
    """Every account, or those whose grant lies within `seen_by`'s (`StaffMember.covers`): a force's
    administrator manages their own force's people, never another force's, nor the whole of HQ's."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                schema.staff.c.username,
                schema.staff.c.role,
                schema.staff.c.unit,
                schema.staff.c.disabled,
                schema.staff.c.created_at,
            ).order_by(schema.staff.c.username)
        )
        found = [dict(r._mapping) for r in rows]
    return [a for a in found if seen_by is None or seen_by.covers(str(a["unit"]))]


def granted_on(engine: Engine, username: str) -> str | None:
    """The unit an account is granted on ('' for the whole of HQ), or None if there is no such account: what
    `scope.reach` checks before anyone acts on the account."""
    with engine.connect() as conn:
        found = conn.execute(select(schema.staff.c.unit).where(schema.staff.c.username == username.strip().lower()))
        unit = found.scalar()
    return None if unit is None else str(unit)


def set_disabled(engine: Engine, username: str, disabled: bool = True) -> None:
    """Disabled, every session of the account ends at once, and stays ended if it is enabled again."""
    _change(engine, username, disabled=disabled, **({"signed_out_at": utc_now().isoformat()} if disabled else {}))


def reset_password(engine: Engine, username: str, password: str, *, issued: bool = False) -> None:
    """A new password; every session signed in with the old one ends. `issued`: as for `add`."""
    _check_new_password(engine, password, username, issued=issued)
    _change(
        engine,
        username,
        password_hash=_HASHER.hash(password),
        password_set_at=utc_now().isoformat(),
        password_issued=issued,
    )


class WrongPasswordError(FieldError):
    """The current password given to change it is wrong: counted as a wrong password at sign-in is."""


def temporary_password() -> str:
    """A password an administrator gives a person (a new account, a reset), to change on first use: four
    groups of four from letters and digits no one misreads, about 80 bits."""
    return "-".join("".join(secrets.choice(_PLAIN) for _ in range(4)) for _ in range(4))


def change_password(engine: Engine, username: str, old: str, new: str) -> str:
    """A person's own change of password, given the one they have: returns when it was set, for the session
    it was changed in to carry on (every other session of theirs ends, as after a reset)."""
    if check_password(engine, username, old) is None:
        raise WrongPasswordError("current", "That is not your current password: nothing was changed.")
    if new == old:
        raise FieldError("new", "Choose a password other than the one you have.")
    try:
        _check_new_password(engine, new, username)
    except UserFacingError as error:
        raise FieldError("new", error.message) from None
    now = utc_now().isoformat()
    _change(engine, username, password_hash=_HASHER.hash(new), password_set_at=now, password_issued=False)
    return now


def disable(engine: Engine, username: str, by: str) -> None:
    """Disable an account from the console, refusing to lock HQ out of it: no one disables their own account,
    nor the last enabled administrator of the whole of HQ (no one could then enable anyone again there). The
    check and the change are one transaction, so two administrators disabling each other at once cannot both
    succeed."""
    username = username.strip().lower()
    if username == by:
        raise UserFacingError("You cannot disable your own account: ask another administrator.")
    staff = schema.staff
    with engine.begin() as conn:
        _keep_an_administrator(conn, username)
        done = conn.execute(
            update(staff).where(staff.c.username == username).values(disabled=True, signed_out_at=utc_now().isoformat())
        )
    if done.rowcount != 1:
        raise UserFacingError(f"no account '{username}'")


def named_in_audit(engine: Engine, typed: str) -> str:
    """Who a sign-in attempt is recorded against in the audit trail: the account, if `typed` names one;
    otherwise not what was typed, which is at times a password put in the wrong box."""
    with engine.connect() as conn:
        known = conn.execute(select(schema.staff.c.username).where(schema.staff.c.username == typed.strip().lower()))
        found = known.scalar()
    return str(found) if found is not None else "(no such account)"


def check_password(engine: Engine, username: str, password: str) -> StaffMember | None:
    """The account, if the name and password are right and it is not disabled; otherwise None, after the
    same work either way."""
    with engine.connect() as conn:
        row = conn.execute(select(schema.staff).where(schema.staff.c.username == username.strip().lower())).first()
    try:
        _HASHER.verify(row.password_hash if row is not None else _NOBODY, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled:
        return None
    return _member(engine, row)


def current(engine: Engine, username: str, password_set_at: str, since: str) -> StaffMember | None:
    """The account a console session was signed in as (at `since`), while it is still enabled, its password
    unchanged, and it has not signed out since: the session is a cookie the browser holds, and only HQ's record
    of the sign-out stops a copy of it taken before."""
    with engine.connect() as conn:
        row = conn.execute(select(schema.staff).where(schema.staff.c.username == username)).first()
    if row is None or row.disabled or row.password_set_at != password_set_at:
        return None
    if row.signed_out_at is not None and since <= row.signed_out_at:
        return None
    return _member(engine, row)


def _member(engine: Engine, row: Row[Any]) -> StaffMember:
    with engine.connect() as conn:
        tree = parents_and_names(conn)
    return StaffMember(
        row.username,
        row.role,
        row.unit,
        row.password_set_at,
        frozenset(_within_tree(tree, row.unit)),
        bool(row.password_issued),
        _name_of(tree, row.unit),
        row.unit in tree and tree[row.unit][0] is None,
    )


def _unit_name(engine: Engine, unit: str) -> str:
    with engine.connect() as conn:
        return _name_of(parents_and_names(conn), unit)


def _is_force(engine: Engine, unit: str) -> bool:
    """Whether a grant on `unit` is on a force: a top unit of HQ's tree."""
    with engine.connect() as conn:
        tree = parents_and_names(conn)
    return unit in tree and tree[unit][0] is None


def _name_of(tree: dict[str, tuple[str | None, str]], unit: str) -> str:
    """A unit's name as its people know it: from the force's tree, or the demonstration list before one."""
    if tree:
        return tree[unit][1] if unit in tree else ""
    return next((u.name for u in DEFAULT_UNITS if u.code == unit), "")


def sign_out(engine: Engine, username: str, now: str) -> None:
    """End every console session of the account signed in until `now` (see `current`)."""
    with engine.begin() as conn:
        conn.execute(update(schema.staff).where(schema.staff.c.username == username).values(signed_out_at=now))


def units_within(engine: Engine, node: str) -> set[str]:
    """The unit codes a grant on `node` covers: the node and everything under it ('' covers every unit)."""
    with engine.connect() as conn:
        return _within_tree(parents_and_names(conn), node)


def covered(engine: Engine, who: StaffMember, node: str) -> frozenset[str]:
    """A unit and every unit under it, as far as `who` may see them: what any page or download about that unit
    counts (its chase list, its figures, its report), so that none counts only the people placed in it."""
    return frozenset(units_within(engine, node) & who.units)


def _within_tree(tree: dict[str, tuple[str | None, str]], node: str) -> set[str]:
    return within(
        {code: parent for code, (parent, _name) in tree.items()} or {u.code: None for u in DEFAULT_UNITS}, node
    )


def _keep_an_administrator(conn: Connection, username: str) -> None:
    """Refuse a change taking `username` out of the enabled administrators of the whole of HQ if it is the last
    one: no one could then enable or grant anyone again there. The rows are locked for the transaction."""
    staff = schema.staff
    admins = set(
        conn.execute(
            select(staff.c.username)
            .where(staff.c.role == "admin", staff.c.unit == "", staff.c.disabled.is_(False))
            .with_for_update()
        ).scalars()
    )
    if username in admins and not admins - {username}:
        raise UserFacingError(f"{username} is the last administrator of the whole of HQ: add another first.")


def _grant(engine: Engine, role: str, unit: str, by: StaffMember | None = None) -> str:
    """The unit a role is granted on, checked as one a role may be granted on, and (`by`: the administrator
    granting it in the console) as one within `by`'s own grant (`StaffMember.covers`): a force's administrator
    grants on their force's units only, never on the whole of HQ, so can make no one, themselves included, more
    than they are. (Every role is at most an administrator's: within one's own grant, none is more.)"""
    if role not in ROLES:
        raise FieldError("role", f"unknown role '{role}': one of {', '.join(ROLES)}")
    unit = unit.strip().upper()
    if by is not None and not by.covers(unit):  # before "unknown": another force's codes are not told apart
        mine = by.unit_name or by.unit
        if not unit:
            raise FieldError(
                "unit", f"a grant on the whole of HQ needs an administrator of the whole of HQ: choose a unit of {mine}"
            )
        raise FieldError("unit", f"you can grant roles only on {mine} and the units under it: choose one of those")
    if unit and unit not in unit_codes(engine):
        raise FieldError("unit", f"unknown unit '{unit}': see 'trainer-desk-hq units list'")
    if role == "lead" and not unit:
        raise FieldError("unit", "a BCU training lead is granted on their unit: give --unit")
    if role == "auditor" and unit and not _is_force(engine, unit):
        raise FieldError(
            "unit",
            "an auditor reads the audit trail of the whole of HQ or of one force: grant it on the whole of "
            "HQ (no --unit) or on a force",
        )
    return unit


def _check_new_password(engine: Engine, password: str, username: str, *, issued: bool = False) -> None:
    """`issued`: one `temporary_password` made, random, which could only trip the username rule by chance.
    HQ's own units' names (every force's among them) are refused as common words are."""
    if len(password) < MIN_PASSWORD:
        raise UserFacingError(f"a password needs at least {MIN_PASSWORD} characters")
    if not issued and (why := guessable(password, username, (node.name for node in unit_nodes(engine)))):
        raise UserFacingError(why)


def _change(engine: Engine, username: str, **values: object) -> None:
    with engine.begin() as conn:
        done = conn.execute(
            update(schema.staff).where(schema.staff.c.username == username.strip().lower()).values(**values)
        )
    if done.rowcount != 1:
        raise UserFacingError(f"no account '{username}'")
