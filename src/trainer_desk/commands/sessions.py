"""`trainer-desk sessions`: list, show and plan sessions, and cancel, move or reassign planned ones, for IT and
scripting.

A session planned here goes to HQ with the next sync, and from there to the laptops of the trainers it names
and of the unit's training lead; its sign-in sheet can be printed at once (`trainer-desk export sign-in`).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Collection
from datetime import datetime
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core import force_clock
from trainer_desk.core.booking_clash import BookingClashError, PlanLengths
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.identifiers import new_uuid
from trainer_desk.core.people import Person, normalise_staff_number
from trainer_desk.core.roster_import import read_roster
from trainer_desk.core.sessions import DeliveryMode, PlanRef, Session, start_from_text
from trainer_desk.paths import AppPaths
from trainer_desk.report_jobs import find_session
from trainer_desk.store import attendance, planning, roster, sessions, units
from trainer_desk.workspace import Workspace, open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk sessions` (its one-line help is in the command table)."""
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every session on this laptop, newest first")
    listing.set_defaults(handler=run_list)
    show = actions.add_parser("show", help="one session and its register")
    show.add_argument("session", metavar="ID", help="the session's id (the first 6 characters are enough)")
    show.set_defaults(handler=run_show)
    plan = actions.add_parser("plan", help="plan a session ahead, with the people expected")
    plan.add_argument("--plan", required=True, metavar="ID", help="the lesson plan's id, e.g. signa-core")
    plan.add_argument(
        "--at", required=True, type=_when, metavar="DATETIME", help="start in UK time, e.g. 2026-12-10T09:30"
    )
    plan.add_argument("--venue", required=True, metavar="TEXT")
    plan.add_argument("--unit", required=True, metavar="CODE", help="the unit the session is run for")
    plan.add_argument(
        "--trainer", required=True, action="append", metavar="NUMBER", help="a trainer's staff number (repeatable)"
    )
    plan.add_argument("--virtual", action="store_true", help="delivered online rather than in a room")
    plan.add_argument(
        "--wellbeing-contact",
        default="",
        metavar="TEXT",
        help="who people can talk to afterwards, and how (default: the force's wellbeing contact)",
    )
    plan.add_argument(
        "--expect", type=Path, metavar="FILE", help="a booking list (.csv or .xlsx, laid out like the roster)"
    )
    plan.add_argument("--anyway", action="store_true", help=ANYWAY)
    plan.set_defaults(handler=run_plan)
    cancel = actions.add_parser("cancel", help="cancel a session that has not started, saying why")
    cancel.add_argument("session", metavar="ID", help="the session's id (the first 6 characters are enough)")
    cancel.add_argument("--reason", required=True, help="why: kept in the session's history at HQ")
    cancel.add_argument("--by", required=True, metavar="NUMBER", help="your staff number, for the audit trail")
    cancel.set_defaults(handler=run_change)
    move = actions.add_parser("move", help="move a session that has not started to another time or room")
    move.add_argument("session", metavar="ID")
    move.add_argument("--at", required=True, type=_when, metavar="DATETIME", help="the new start, in UK time")
    move.add_argument("--venue", default="", metavar="TEXT", help="the new room (default: the same)")
    move.add_argument("--by", required=True, metavar="NUMBER", help="your staff number, for the audit trail")
    move.add_argument("--anyway", action="store_true", help=ANYWAY)
    move.set_defaults(handler=run_change)
    assign = actions.add_parser("assign", help="give a session that has not started to other trainers")
    assign.add_argument("session", metavar="ID")
    assign.add_argument(
        "--trainer", required=True, action="append", metavar="NUMBER", help="a trainer's staff number (repeatable)"
    )
    assign.add_argument("--by", required=True, metavar="NUMBER", help="your staff number, for the audit trail")
    assign.add_argument("--anyway", action="store_true", help=ANYWAY)
    assign.set_defaults(handler=run_change)


ANYWAY = "even if some of those named are due at another session then"


def _when(text: str) -> datetime:
    try:
        return start_from_text(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_list(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        for session in sorted(sessions.list_sessions(workspace.db), key=lambda s: s.starts_at, reverse=True):
            booked = len(attendance.register(workspace.db, session.uuid))
            print(
                f"{session.uuid[:8]}  {force_clock.local(session.starts_at):%Y-%m-%d %H:%M}  "
                f"{session.plan.plan_id:<20} "
                f"{session.unit_code:<8} {session.status.value:<10} {booked:>3} on the register  {session.venue}"
            )
    finally:
        workspace.close()
    return 0


def run_show(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        session = find_session(workspace.db, args.session)
        print(f"session {session.uuid}")
        print(f"plan {session.plan.plan_id} version {session.plan.version} (programme {session.plan.programme_id})")
        print(f"at {force_clock.local(session.starts_at):%Y-%m-%d %H:%M} in {session.venue} ({session.mode.value})")
        print(f"unit {session.unit_code}; trainers {', '.join(session.trainers) or '-'}; {session.status.value}")
        if session.wellbeing_contact:
            print(f"wellbeing contact: {session.wellbeing_contact}")
        for line in attendance.register(workspace.db, session.uuid):
            print(f"  {line.attendance.staff_number:<12} {line.attendance.status.label:<12} {line.name}")
    finally:
        workspace.close()
    return 0


def run_plan(args: argparse.Namespace, paths: AppPaths) -> int:
    from trainer_desk.lesson_content import load_plans

    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        db = workspace.db
        library = load_plans(workspace.paths)
        plan = library.get(args.plan)
        if plan is None:
            raise UserFacingError(f"No lesson plan '{args.plan}' on this laptop: see 'trainer-desk plans list'.")
        codes = {u.code.upper(): u.code for u in units.list_units(db)}
        unit = codes.get(args.unit.strip().upper())
        if unit is None:
            raise UserFacingError(f"Unknown unit '{args.unit}': one of {', '.join(sorted(codes.values()))}.")
        expected = (
            _booking_list(workspace, args.expect, {u.code: u.name for u in units.list_units(db)}) if args.expect else []
        )
        session = Session(
            new_uuid(),
            PlanRef(plan.id, plan.version, plan.programme.id),
            unit,
            args.venue.strip(),
            DeliveryMode.VIRTUAL if args.virtual else DeliveryMode.IN_PERSON,
            args.at,
            trainers=tuple(normalise_staff_number(t) for t in args.trainer),
            wellbeing_contact=" ".join(args.wellbeing_contact.split())[:200],
        )
        lengths = PlanLengths.of(library.plans)
        by = session.trainers[0]
        planning.plan_session(db, session, expected, by, workspace.clock(), lengths, anyway=args.anyway)
        booked = len(attendance.register(db, session.uuid))  # its trainers are not booked on it as well
        print(
            f"planned {session.uuid[:8]}: {plan.title}, {force_clock.local(args.at):%Y-%m-%d %H:%M}, {booked} expected"
        )
    finally:
        workspace.close()
    return 0


def run_change(args: argparse.Namespace, paths: AppPaths) -> int:
    """Cancel, move or reassign a planned session; the change reaches HQ, and the laptops it concerns, with
    the next sync."""
    from trainer_desk.lesson_content import load_plans

    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        db, now, by = workspace.db, workspace.clock(), normalise_staff_number(args.by)
        session = find_session(db, args.session)
        lengths = PlanLengths.of(load_plans(workspace.paths).plans)
        if args.action == "cancel":
            planning.cancel(db, session, args.reason, by, now)
            print(f"cancelled {session.uuid[:8]}")
        elif args.action == "move":
            venue = " ".join(args.venue.split())[:200] or session.venue
            when, trainers = args.at, session.trainers
            moved = _anyway(args, lambda ok: planning.change(db, session, when, venue, trainers, by, now, lengths, ok))
            print(f"moved {session.uuid[:8]} to {force_clock.local(moved.starts_at):%Y-%m-%d %H:%M}, {moved.venue}")
        else:
            named = [normalise_staff_number(t) for t in args.trainer]
            when, venue = session.starts_at, session.venue
            assigned = _anyway(args, lambda ok: planning.change(db, session, when, venue, named, by, now, lengths, ok))
            print(f"{session.uuid[:8]} is now {', '.join(assigned.trainers)}'s to deliver")
    finally:
        workspace.close()
    return 0


def _anyway(args: argparse.Namespace, change: Callable[[Collection[str]], Session]) -> Session:
    """The change, or with `--anyway` the change again for the people its clash named."""
    try:
        return change(())
    except BookingClashError as clash:
        if not args.anyway:
            raise
        return change(clash.people)


def _booking_list(workspace: Workspace, path: Path, known_units: dict[str, str]) -> list[Person]:
    """The people of a booking list, as the roster knows them; anyone the roster does not know is named."""
    read = read_roster(path, known_units, roster.staff_number_holders(workspace.db))
    people: list[Person] = []
    unknown: list[Person] = []
    for person in read.people:
        known = roster.get_person(workspace.db, person.staff_number)
        (people if known else unknown).append(known or person)
    if unknown:
        raise UserFacingError(
            f"{path}: not planned: these staff numbers are not on the roster (add them on the day as walk-ins, or "
            f"correct the list): {', '.join(p.staff_number for p in unknown)}"
        )
    return people
