"""`trainer-desk-hq`'s commands that administer who and what HQ knows: console accounts, enrollment codes and
laptops, the unit tree, the roster, and walk-ins. Each does what the console's page for it does, through the
same functions, and is recorded in the same audit trail."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted
from trainer_desk.core.csv_file import write_csv
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import audit_trail as hq_audit
from trainer_desk.hq import devices, enrollment_codes, unit_tree_import
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq import staff as hq_staff
from trainer_desk.hq import units as hq_units
from trainer_desk.hq import walk_ins as hq_walk_ins
from trainer_desk.hq.exports import cell_text as _text
from trainer_desk.hq.roster_clash import words_for
from trainer_desk.hq.walk_in_match import MIN_PREFIX

ACTOR = "trainer-desk-hq"  # who the audit trail says did what a command did


def users_command(engine: Engine, args: argparse.Namespace) -> int:
    """Console accounts. A password is typed twice at a prompt, or read from standard input, never given as
    an argument (where every process list would show it)."""
    if args.action == "list":
        for u in hq_staff.list_staff(engine):
            state = "disabled" if u["disabled"] else "active"
            scope = u["unit"] or "(all of HQ)"
            print(f"{u['username']:<24} {u['role']:<8} {scope:<14} {state:<8} since {u['created_at']}")
        return 0
    if not args.username:
        raise UserFacingError(f"users {args.action} needs the username")
    if args.action in ("disable", "enable"):
        hq_staff.set_disabled(engine, args.username, args.action == "disable")
        audited(engine, f"account {args.action}d", args.username)
        print(f"{args.username} {args.action}d")
        return 0
    if args.action in ("add", "grant") and not args.role:
        raise UserFacingError(f"users {args.action} needs --role")
    if args.action == "grant":
        member = hq_staff.regrant(engine, args.username, args.role, args.unit, by="")
        audited(engine, "role changed", f"{member.username} to {member.role} {member.unit}")
        print(f"{member.username} is now: {hq_staff.describe(member)}")
        return 0
    password = _new_password()
    if args.action == "reset":
        hq_staff.reset_password(engine, args.username, password)
        audited(engine, "password reset", args.username)
        print(f"{args.username}: password changed; any console session of theirs has ended")
        return 0
    member = hq_staff.add(engine, args.username, password, args.role, args.unit)
    audited(engine, "account added", f"{member.username} as {member.role} {member.unit}")
    print(f"added {member.username}: {hq_staff.describe(member)}")
    return 0


def _new_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise UserFacingError("the two passwords differ; nothing was changed")
    return first


def enroll_codes_command(engine: Engine, args: argparse.Namespace) -> int:
    """Issue a code, list those waiting to be used, or withdraw one: the console's Enrollment codes page, by the
    same functions. A code is never shown again once issued; it is listed and withdrawn by its reference."""
    if args.action == "list":
        for c in enrollment_codes.waiting(engine):
            expires = force_clock.shown(c.expires_at)
            issued = f"  issued {force_clock.shown(c.issued_at)} by {c.issued_by}" if c.issued_at else ""
            print(f"{c.reference}  {c.trainer:>10}  {c.unit:<14} {c.role:<13} expires {expires}{issued}")
        return 0
    if args.action == "withdraw":
        code = enrollment_codes.find(engine, (args.reference or "").strip().lower())
        if code is None:
            raise UserFacingError("name the code by its reference, as 'enroll-code list' shows it")
        named = f"the code for {code.trainer} in {code.unit}"
        if not enrollment_codes.withdraw(engine, ACTOR, code):
            raise UserFacingError(f"{named} is not waiting to be used. {enrollment_codes.no_longer_waiting(code)}")
        print(f"{named} is withdrawn: it enrolls no laptop now")
        return 0
    if not (args.trainer and args.unit):
        raise UserFacingError("enroll-code needs --trainer and --unit")
    print(enrollment_codes.issue(engine, ACTOR, args.trainer, args.unit, role=args.role, hours=args.hours))
    return 0


def walk_ins_command(engine: Engine, args: argparse.Namespace) -> int:
    """List the walk-ins left to look into, or resolve one of them."""
    if args.action != "list":
        if not args.registration:
            raise UserFacingError(f"walk-ins {args.action} needs the registration id (see 'walk-ins list')")
        if args.action == "match":
            if not args.staff_number:
                raise UserFacingError("walk-ins match needs the staff number of the person it was")
            uuid = hq_walk_ins.match(engine, args.registration, args.staff_number)
            print(f"walk-in {uuid} now counts for {args.staff_number.strip()}; laptops learn it at their next sync")
            walk_in = hq_audit.about_walk_in(engine, args.home / "blobs", uuid)
            audited(engine, "walk-in", f"{walk_in} matched to {args.staff_number.strip()}")
        else:
            uuid = hq_walk_ins.dismiss(engine, args.registration, args.reason)
            print(f"walk-in {uuid} dismissed: it credits nobody")
            audited(engine, "walk-in", f"{hq_audit.about_walk_in(engine, args.home / 'blobs', uuid)} dismissed")
        return 0
    found = hq_walk_ins.walk_ins(engine)
    unmatched = found.unmatched
    print(
        f"{counted(found.counted, 'walk-in')} {'counts' if found.counted == 1 else 'count'} for someone on the "
        f"roster; {len(unmatched)} {'matches' if len(unmatched) == 1 else 'match'} nobody yet:"
    )
    header = [
        "registration",
        "session_starts_at",
        "session_unit",
        "staff_number",
        "name_given",
        "unit_given",
        "session_uuid",
    ]
    rows = [[_text(w[column]) for column in header] for w in unmatched]
    for row in rows:
        print("  " + "  ".join([row[0][:MIN_PREFIX], *row[1:6]]))
    if unmatched:
        print("Match one with 'walk-ins match ID STAFF_NUMBER', or dismiss it with 'walk-ins dismiss ID --reason ...'.")
    if args.output:
        write_csv(args.output, header, rows)
    return 0


def units_command(engine: Engine, action: str, file: Path | None) -> int:
    """Import the force's unit tree, or print it (indented by level)."""
    if action == "import":
        if file is None:
            raise UserFacingError("units import needs the units.toml file to import")
        nodes = read_unit_tree(file)
        added, changed, retired = unit_tree_import.apply_tree(engine, nodes)
        print(f"{len(nodes)} units read: {added} added, {changed} changed, {retired} retired")
        audited(engine, "units imported", f"{file.name}: {added} added, {changed} changed, {retired} retired")
        return 0
    with engine.connect() as conn:
        tree = hq_units.tree(conn)
    if not tree:
        print("no unit tree imported: rosters are checked against the built-in demonstration units")
        return 0
    children: dict[object, list[dict[str, object]]] = {}
    for unit in tree:
        children.setdefault(unit["parent"], []).append(unit)

    def show(parent: object, depth: int) -> None:
        for unit in children.get(parent, []):
            gone = " (retired)" if unit["retired"] else ""
            print(f"{'  ' * depth}{unit['code']}  {unit['name']}  [{unit['kind']}]{gone}")
            show(unit["code"], depth + 1)

    show(None, 0)
    return 0


def import_roster_command(engine: Engine, file: Path, *, allow_shrink: bool, force: str = "") -> int:
    """The laptop's rule at HQ too: never an empty roster, and no large shrink unasked, with the counts shown
    before the refusal. Where HQ serves several forces, the file is `force`'s and replaces its roster alone."""
    chosen = roster_force(engine, force)
    read = hq_roster.read_roster_file(engine, file, force=chosen)
    for note in read.notes:
        print(note)
    for warning in read.warnings:
        print(f"warning: {warning}")
    try:
        plan = hq_roster.plan_import(engine, read.people, chosen)
    except UserFacingError as error:  # HQ's own operator sees every force's roster
        raise UserFacingError(words_for(error, sees_every_force=True)) from None
    if plan.shrink.needs_confirmation and not allow_shrink:
        print(f"{len(read.people)} people read: {plan.shrink.describe()}.")
    check_roster_shrink(plan.shrink, allow_shrink=allow_shrink)
    added, changed, left = hq_roster.import_roster(engine, read.people, chosen)
    print(f"{len(read.people)} people read: {added} added, {changed} updated, {left} left")
    of = f" ({chosen.name})" if chosen else ""
    audited(engine, "roster imported", f"{file.name}{of}: {added} added, {changed} updated, {left} left")
    return 0


def roster_force(engine: Engine, code: str) -> hq_roster.Force | None:
    """The force `--force` names, needed where HQ serves several; None where it is one force (and the whole
    roster is replaced, as before)."""
    forces = hq_roster.forces(engine)
    if not forces:
        if code:
            raise UserFacingError(f"--force {code}: HQ serves one force, so leave --force out")
        return None
    named = ", ".join(f"{f.code} ({f.name})" for f in forces.values())
    if not code:
        raise UserFacingError(f"HQ serves several forces: say whose roster this is with --force, one of {named}")
    found = forces.get(code.strip().upper()) or forces.get(code.strip())
    if found is None:
        raise UserFacingError(f"--force {code} is not one of HQ's forces: {named}")
    return found


def devices_command(engine: Engine, args: argparse.Namespace) -> int:
    """List the laptops HQ knows, or revoke one, or mark one lost (it is told to wipe itself at its next sync)."""
    if args.action == "list":
        for d in devices.list_devices(engine):
            state = "revoked" if d["revoked"] else "lost" if d["lost"] else "active"
            print(
                f"{d['id']}  {d['trainer']:>10}  {d['unit']:<14} {d['role']:<13} {state:<8} "
                f"last contact {devices.last_contact(d)}"
            )
        return 0
    if not args.device_id:
        raise UserFacingError("name the device id (see 'devices list')")
    flag = "revoked" if args.action == "revoke" else "lost"
    if not devices.set_device_flag(engine, args.device_id, flag):
        raise UserFacingError(f"no device {args.device_id}")
    print(f"device {args.device_id} marked {flag}")
    audited(engine, f"device {flag}", hq_audit.about_laptop(engine, args.device_id))
    return 0


def audited(engine: Engine, action: str, detail: str) -> None:
    """What a command changed or took out of HQ, in the audit trail the console's auditors read, as the console
    records the same done there: done at a terminal is no less someone's doing."""
    hq_audit.record(engine, ACTOR, action, detail)
