"""`trainer-desk-hq`: run the HQ service and administer it (devices, roster, content, exports)."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import platformdirs
from sqlalchemy import Engine

from trainer_desk.core.counted import counted
from trainer_desk.core.csv_file import write_csv, write_rows
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.roster_guard import check_roster_shrink
from trainer_desk.core.sessions import start_from_text
from trainer_desk.core.unit_tree import read_unit_tree
from trainer_desk.hq import audit_trail as hq_audit
from trainer_desk.hq import (
    content as hq_content,
)
from trainer_desk.hq import (
    database as hq_database,
)
from trainer_desk.hq import (
    devices,
    enrollment_codes,
    force_clock,
    unit_tree_import,
)
from trainer_desk.hq import exports as hq_exports
from trainer_desk.hq import (
    planning as hq_planning,
)
from trainer_desk.hq import (
    roster as hq_roster,
)
from trainer_desk.hq import staff as hq_staff
from trainer_desk.hq import (
    units as hq_units,
)
from trainer_desk.hq import (
    walk_ins as hq_walk_ins,
)
from trainer_desk.hq.exports import cell_text as _text
from trainer_desk.hq.ownership import DEVICE_ROLES
from trainer_desk.hq.walk_in_match import MIN_PREFIX

ACTOR = "trainer-desk-hq"  # who the audit trail says did what a command did
DEFAULT_HOME = Path(platformdirs.user_data_dir("TrainerDeskHQ", appauthor=False))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="trainer-desk-hq", description="The Trainer Desk HQ service.")
    parser.add_argument(
        "--db",
        help="database URL (default: SQLite in the HQ data folder; "
        "postgresql+psycopg://... for a force-wide deployment)",
    )
    parser.add_argument("--home", type=Path, default=DEFAULT_HOME, help="HQ data folder (content files, SQLite)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    serve = commands.add_parser("serve", help="run the HTTP API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8750)
    serve.add_argument("--workers", type=int, default=1, help="worker processes (about one per CPU core)")
    serve.add_argument("--certfile", help="TLS certificate (PEM); without it, serve behind a TLS proxy")
    serve.add_argument("--keyfile", help="TLS private key (PEM)")
    serve.add_argument(
        "--plain-http",
        action="store_true",
        help="trying HQ out in a browser on this machine over plain HTTP: the console's cookies are then not "
        "marked Secure (never in service: behind a TLS proxy, leave this off)",
    )
    serve.add_argument(
        "--only",
        choices=("feedback",),
        default="",
        help="serve only the public feedback form (/feedback/), for the address participants' phones reach",
    )
    code = commands.add_parser(
        "enroll-code",
        help="issue a one-time enrollment code for a trainer's laptop, or list those waiting to be used, or "
        "withdraw one (a printout lost, a trainer who left) so it enrolls no laptop",
    )
    code.add_argument("action", nargs="?", choices=("issue", "list", "withdraw"), default="issue")
    code.add_argument("reference", nargs="?", help="withdraw: the code's reference, as listed")
    code.add_argument("--trainer", help="issue: the trainer's staff number")
    code.add_argument("--unit", help="issue: the unit whose roster the laptop receives")
    code.add_argument("--hours", type=int, default=72, help="how long the code stays valid")
    code.add_argument(
        "--role",
        choices=DEVICE_ROLES,
        default="trainer",
        help="trainer (the default), or training_lead: a BCU training lead's laptop, which may also correct "
        "any record of its unit's sessions",
    )
    devices = commands.add_parser("devices", help="list devices, or revoke one, or mark one lost")
    devices.add_argument("action", choices=("list", "revoke", "lost"))
    devices.add_argument("device_id", nargs="?")
    roster = commands.add_parser("import-roster", help="replace HQ's roster from an HR export")
    roster.add_argument("file", type=Path)
    roster.add_argument(
        "--allow-shrink",
        action="store_true",
        help="go ahead even if more than a fifth of the roster would be marked as left",
    )
    publish = commands.add_parser("publish", help="publish a folder of lesson plans as a new content version")
    publish.add_argument("folder", type=Path)
    publish.add_argument(
        "--allow-sample-media",
        action="store_true",
        help="publish even though some plans still use the bundled sample films",
    )
    publish.add_argument(
        "--note",
        default="",
        metavar="TEXT",
        help="what changed and why, in one line of up to 300 characters (shown beside the version in the console)",
    )
    export = commands.add_parser("export-registrations", help="every registration received, as CSV")
    export.add_argument("-o", "--output", type=Path, required=True)
    walk_ins = commands.add_parser(
        "walk-ins",
        help="list the walk-ins that match nobody on the roster, or match one to a person, or dismiss one",
    )
    walk_ins.add_argument("action", nargs="?", choices=("list", "match", "dismiss"), default="list")
    walk_ins.add_argument("registration", nargs="?", help="the walk-in's registration id (as listed; 8 characters do)")
    walk_ins.add_argument("staff_number", nargs="?", help="match: the staff number of the person it was")
    walk_ins.add_argument("--reason", default="", help="dismiss: why it credits nobody")
    walk_ins.add_argument("-o", "--output", type=Path, help="list: also write them as CSV")
    sessions = commands.add_parser("sessions", help="plan a session for a unit's trainers, or list sessions")
    sessions.add_argument("action", choices=("plan", "list"))
    sessions.add_argument("--plan", metavar="ID", help="plan: the lesson plan's id, as published (e.g. signa-core)")
    sessions.add_argument("--at", type=_when, metavar="DATETIME", help="plan: the start, e.g. 2027-01-14T09:30")
    sessions.add_argument("--venue", metavar="TEXT", default="")
    sessions.add_argument("--unit", metavar="CODE", help="plan: the unit it is run for; list: only this unit's")
    sessions.add_argument(
        "--trainer", action="append", default=[], metavar="NUMBER", help="plan: a trainer's staff number (repeatable)"
    )
    sessions.add_argument("--virtual", action="store_true", help="plan: delivered online rather than in a room")
    sessions.add_argument("--wellbeing-contact", default="", metavar="TEXT")
    sessions.add_argument(
        "--expect", type=Path, metavar="FILE", help="plan: a booking list (.csv or .xlsx, laid out like the roster)"
    )
    sessions.add_argument(
        "--anyway",
        action="store_true",
        help="plan: even if some of those named are due at another session then, or have completed the programme "
        "already or are exempt from it",
    )
    users = commands.add_parser(
        "users", help="console accounts: add, list, disable, enable or reset one, or grant it another role"
    )
    users.add_argument("action", choices=("add", "list", "disable", "enable", "reset", "grant"))
    users.add_argument("username", nargs="?")
    users.add_argument(
        "--role", choices=tuple(hq_staff.ROLES), help="add, grant: " + "; ".join(hq_staff.ROLES.values())
    )
    users.add_argument("--unit", default="", help="add, grant: the unit the role is granted on (default: the whole HQ)")
    units = commands.add_parser("units", help="import the force's unit tree (units.toml), or list it")
    units.add_argument("action", choices=("import", "list"))
    units.add_argument("file", type=Path, nargs="?", help="the units.toml to import")
    backup = commands.add_parser("backup", help="back up HQ (its database and published content) into one zip")
    backup.add_argument(
        "--to", type=Path, metavar="FOLDER", help="where to write it (default: the backups folder in HQ's home)"
    )
    restore = commands.add_parser("restore", help="restore a backup into a new, empty HQ (--home, or --db)")
    restore.add_argument("file", type=Path, metavar="BACKUP")
    access = commands.add_parser(
        "subject-access", help="everything HQ holds about one person, as JSON, for a subject access request"
    )
    access.add_argument("staff_number", metavar="STAFF_NUMBER")
    access.add_argument("-o", "--output", type=Path, required=True, help="the JSON file to write")
    retention = commands.add_parser(
        "retention", help="remove the records of people who left long ago (says what would go; --apply removes it)"
    )
    retention.add_argument("--years", type=int, default=6, help="years after leaving to keep records (default 6)")
    retention.add_argument("--apply", action="store_true", help="remove them (without it, only say what would go)")
    follow_up = commands.add_parser(
        "follow-up",
        help="the six-month follow-up: 'send' invites and reminds through the force's mail relay (run it daily); "
        "'due' writes the people due, with their address and personal link, as CSV for the force's own mailer",
    )
    follow_up.add_argument("action", choices=("due", "send"))
    follow_up.add_argument(
        "--link-base", required=True, metavar="URL",
        help="the address phones and browsers reach HQ's public form at, e.g. https://training.example.police.uk",
    )  # fmt: skip
    follow_up.add_argument("-o", "--output", type=Path, help="due: the CSV file to write")
    follow_up.add_argument("--smtp-host", help="send: the force's mail relay")
    follow_up.add_argument(
        "--smtp-port", type=int, help="send: its port (default 587, or 465 with --smtp-security tls)"
    )
    follow_up.add_argument(
        "--smtp-security", choices=("starttls", "tls", "none"), default="starttls",
        help="send: STARTTLS (default), TLS from the start, or none (a mail server on this machine only)",
    )  # fmt: skip
    follow_up.add_argument("--sender", help="send: the address messages come from")
    follow_up.add_argument(
        "--smtp-user",
        default="",
        help="send: the relay's username; its password is read from TRAINER_DESK_HQ_SMTP_PASSWORD",
    )
    summary = commands.add_parser(
        "compliance-summary",
        help="per unit and programme: how many must complete it (its audience, less those exempt) and have",
    )
    summary.add_argument("-o", "--output", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    home: Path = args.home
    try:
        home.mkdir(parents=True, exist_ok=True)
        url = args.db or f"sqlite:///{home / 'hq.sqlite3'}"
        if args.command == "restore":
            return _restore(url, home, args.file)
        engine = hq_database.open_engine(url)
        try:
            return _run(args, engine, home)
        finally:
            engine.dispose()
    except UserFacingError as error:
        print(f"trainer-desk-hq: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"trainer-desk-hq: {error}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace, engine: Engine, home: Path) -> int:
    if args.command == "serve":
        from trainer_desk.hq.serve import serve

        if args.workers > 1 and engine.dialect.name == "sqlite":
            print(
                "trainer-desk-hq: SQLite takes one writer at a time, so more workers only wait on each other; "
                "use PostgreSQL (--db) to use more cores",
                file=sys.stderr,
            )
        engine.dispose()  # each worker opens its own; the schema is already migrated
        serve(
            engine.url.render_as_string(hide_password=False),
            home / "blobs",
            args.only,
            args.plain_http,
            host=args.host,
            port=args.port,
            workers=args.workers,
            ssl_certfile=args.certfile,
            ssl_keyfile=args.keyfile,
            log_level="warning",
            access_log=False,  # one line per request would name nobody but cost every request
        )
        return 0
    if args.command == "enroll-code":
        return _enroll_codes(engine, args)
    if args.command == "devices":
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
        _audited(engine, f"device {flag}", args.device_id)
        return 0
    if args.command == "units":
        return _units(engine, args.action, args.file)
    if args.command == "import-roster":
        return _import_roster(engine, args.file, allow_shrink=args.allow_shrink)
    if args.command == "publish":
        if not args.folder.is_dir():
            raise UserFacingError(f"{args.folder} is not a folder")
        version = hq_content.publish_content(
            engine, args.folder, home / "blobs", allow_sample_media=args.allow_sample_media, note=args.note
        )
        print(f"published content version {version}")
        _audited(engine, "content published", f"version {version}, from the folder {args.folder.name}")
        return 0
    if args.command == "walk-ins":
        return _walk_ins(engine, args)
    if args.command == "subject-access":
        from trainer_desk.core.atomic_file import atomic_target
        from trainer_desk.hq.subject_access import export

        found = export(engine, args.staff_number)
        with atomic_target(args.output) as partial:
            partial.touch(mode=0o600)  # for the person who asked for it alone, as HQ's database is
            partial.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.output}: {counted(len(found['registrations']), 'registration')}; it holds personal data")
        _audited(engine, "subject access", f"everything held on {args.staff_number}")
        return 0
    if args.command == "retention":
        from trainer_desk.hq import retention

        planned = retention.plan(engine, hq_database.utc_now().date(), args.years)
        if not args.apply:
            print(f"would remove {planned.describe()}; run again with --apply to remove them")
            return 0
        retention.apply(engine, planned)
        hq_audit.record(engine, "retention", retention.RECORDS_REMOVED, planned.describe())
        print(f"removed {planned.describe()}")
        return 0
    if args.command == "follow-up":
        return _follow_up(engine, home / "blobs", args)
    if args.command == "backup":
        from trainer_desk.hq.backup import make_backup

        made = make_backup(engine, home / "blobs", args.to or home / "backups")
        print(f"backed up to {made} ({made.stat().st_size:,} bytes): keep it where HQ's data is kept safe")
        return 0
    if args.command == "sessions":
        return _sessions(engine, home / "blobs", args)
    if args.command == "export-registrations":
        table = hq_exports.every_registration(engine)
        written = table.write(args.output)
        print(f"{counted(written, 'registration')} written to {args.output}")
        _audited(engine, "download", table.about(written))
        return 0
    if args.command == "compliance-summary":
        table = hq_exports.compliance_summary(engine, home / "blobs", force_clock.today())
        rows = list(table.rows)  # a few hundred: one per unit and programme
        if args.output:
            write_csv(args.output, table.header, rows)
        write_rows(sys.stdout, table.header, rows)
        _audited(engine, "download", table.about(len(rows)))
        return 0
    if args.command == "users":
        return _users(engine, args)
    return 2


def _restore(url: str, home: Path, file: Path) -> int:
    from trainer_desk.hq.backup import restore_backup

    if not file.is_file():
        raise UserFacingError(f"{file}: no such backup")
    counts = restore_backup(url, home / "blobs", file)
    hq_database.open_engine(url).dispose()  # migrated and caught up, as at any start
    print(f"restored {file.name}: " + ", ".join(f"{n} {table}" for table, n in counts.items() if n))
    print("console users sign in again; laptops carry on syncing as before")
    return 0


def _when(text: str) -> datetime:
    try:
        return start_from_text(text, force_clock.FORCE_TIME_ZONE)  # the force's clock, not the server's
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _sessions(engine: Engine, blobs: Path, args: argparse.Namespace) -> int:
    """Plan a session for a unit's trainers, which reaches their laptops at their next sync; or list them."""
    if args.action == "list":
        for s in hq_planning.list_sessions(engine, args.unit):
            where = "planned at HQ" if s["planned_at_hq"] else "from a laptop"
            cells = {k: _text(s.get(k, "")) for k in ("uuid", "starts_at", "plan_id", "unit_code", "status", "venue")}
            trainers = _text(", ".join(map(str, s.get("trainers") or [])))
            print(
                f"{cells['uuid'][:8]}  {cells['starts_at'][:16]}  {cells['plan_id']:<20} {cells['unit_code']:<8} "
                f"{cells['status']:<9} trainers {trainers}  {where}  {cells['venue']}"
            )
        return 0
    if not args.plan or args.at is None or not args.unit:
        raise UserFacingError("sessions plan needs --plan, --at, --venue, --unit and at least one --trainer")
    expected = [p.staff_number for p in hq_roster.read_roster_file(engine, args.expect).people] if args.expect else []
    planned = hq_planning.plan_session(
        engine,
        blobs,
        plan_id=args.plan,
        starts_at=args.at,
        venue=args.venue,
        unit=args.unit,
        trainers=args.trainer,
        expected=expected,
        virtual=args.virtual,
        wellbeing_contact=args.wellbeing_contact,
        anyway=args.anyway,
    )
    session = planned.session
    _audited(engine, "session planned", f"{session.uuid} for {session.unit_code}")
    print(
        f"planned {session.uuid[:8]}: {session.plan.plan_id} at {session.starts_at:%Y-%m-%d %H:%M} for "
        f"{session.unit_code}, {planned.expected} expected; it reaches {', '.join(session.trainers)}'s laptop at "
        "its next sync"
        + (
            f" (not booked on it as well, since they train it: {', '.join(planned.trainers_not_booked)})"
            if planned.trainers_not_booked
            else ""
        )
    )
    return 0


def _users(engine: Engine, args: argparse.Namespace) -> int:
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
        _audited(engine, f"account {args.action}d", args.username)
        print(f"{args.username} {args.action}d")
        return 0
    if args.action in ("add", "grant") and not args.role:
        raise UserFacingError(f"users {args.action} needs --role")
    if args.action == "grant":
        member = hq_staff.regrant(engine, args.username, args.role, args.unit, by="")
        _audited(engine, "role changed", f"{member.username} to {member.role} {member.unit}")
        print(f"{member.username} is now: {hq_staff.describe(member)}")
        return 0
    password = _new_password()
    if args.action == "reset":
        hq_staff.reset_password(engine, args.username, password)
        _audited(engine, "password reset", args.username)
        print(f"{args.username}: password changed; any console session of theirs has ended")
        return 0
    member = hq_staff.add(engine, args.username, password, args.role, args.unit)
    _audited(engine, "account added", f"{member.username} as {member.role} {member.unit}")
    print(f"added {member.username}: {hq_staff.describe(member)}")
    return 0


def _new_password() -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Again: ") != first:
        raise UserFacingError("the two passwords differ; nothing was changed")
    return first


def _enroll_codes(engine: Engine, args: argparse.Namespace) -> int:
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


def _walk_ins(engine: Engine, args: argparse.Namespace) -> int:
    """List the walk-ins left to look into, or resolve one of them."""
    if args.action != "list":
        if not args.registration:
            raise UserFacingError(f"walk-ins {args.action} needs the registration id (see 'walk-ins list')")
        if args.action == "match":
            if not args.staff_number:
                raise UserFacingError("walk-ins match needs the staff number of the person it was")
            uuid = hq_walk_ins.match(engine, args.registration, args.staff_number)
            print(f"walk-in {uuid} now counts for {args.staff_number.strip()}; laptops learn it at their next sync")
            _audited(engine, "walk-in", f"{uuid} matched to {args.staff_number.strip()}")
        else:
            uuid = hq_walk_ins.dismiss(engine, args.registration, args.reason)
            print(f"walk-in {uuid} dismissed: it credits nobody")
            _audited(engine, "walk-in", f"{uuid} dismissed")
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


def _units(engine: Engine, action: str, file: Path | None) -> int:
    """Import the force's unit tree, or print it (indented by level)."""
    if action == "import":
        if file is None:
            raise UserFacingError("units import needs the units.toml file to import")
        nodes = read_unit_tree(file)
        added, changed, retired = unit_tree_import.apply_tree(engine, nodes)
        print(f"{len(nodes)} units read: {added} added, {changed} changed, {retired} retired")
        _audited(engine, "units imported", f"{file.name}: {added} added, {changed} changed, {retired} retired")
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


def _import_roster(engine: Engine, file: Path, *, allow_shrink: bool) -> int:
    """The laptop's rule at HQ too: never an empty roster, and no large shrink unasked, with the counts shown
    before the refusal."""
    read = hq_roster.read_roster_file(engine, file)
    for note in read.notes:
        print(note)
    for warning in read.warnings:
        print(f"warning: {warning}")
    plan = hq_roster.plan_import(engine, read.people)
    if plan.shrink.needs_confirmation and not allow_shrink:
        print(f"{len(read.people)} people read: {plan.shrink.describe()}.")
    check_roster_shrink(plan.shrink, allow_shrink=allow_shrink)
    added, changed, left = hq_roster.import_roster(engine, read.people)
    print(f"{len(read.people)} people read: {added} added, {changed} updated, {left} left")
    _audited(engine, "roster imported", f"{file.name}: {added} added, {changed} updated, {left} left")
    return 0


def _audited(engine: Engine, action: str, detail: str) -> None:
    """What a command changed or took out of HQ, in the audit trail the console's auditors read, as the console
    records the same done there: done at a terminal is no less someone's doing."""
    hq_audit.record(engine, ACTOR, action, detail)


if __name__ == "__main__":
    sys.exit(main())


def _follow_up(engine: Engine, blobs: Path, args: argparse.Namespace) -> int:
    from trainer_desk.hq import follow_up, follow_up_mail

    link_base = follow_up.checked_link_base(str(args.link_base))
    today = hq_database.utc_now().date()
    if args.action == "due":
        if args.output is None:
            raise UserFacingError("follow-up due needs -o FILE: the CSV to write")
        table = follow_up.due_list(engine, blobs, link_base, today)
        written = table.write(args.output)
        print(f"wrote {args.output}: {written:,} due; it holds email addresses: keep it at HQ")
        _audited(engine, "download", table.about(written))
        return 0
    if not args.smtp_host or not args.sender:
        raise UserFacingError("follow-up send needs --smtp-host and --sender: the force's mail relay and address")
    relay = follow_up_mail.Relay(
        args.smtp_host,
        args.smtp_port or (465 if args.smtp_security == "tls" else 587),
        args.smtp_security,
        args.sender,
        args.smtp_user,
        os.environ.get("TRAINER_DESK_HQ_SMTP_PASSWORD", ""),
    )
    sent = follow_up_mail.send_due(engine, blobs, relay, link_base, today)
    hq_audit.record(engine, "follow-up", "follow-up sent", f"{sent.invited} invited, {sent.reminded} reminded")
    print(
        f"{sent.invited} invited, {sent.reminded} reminded"
        + (f", {sent.refused} refused by the relay (tried again next time)" if sent.refused else "")
        + (
            f"; {sent.without_address} due have no email address on the roster: see follow-up due"
            if sent.without_address
            else ""
        )
    )
    return 0
