"""`trainer-desk-hq`: run the HQ service and administer it (devices, roster, content, exports). The commands
and their options are in `cli_parser`; those that administer accounts, laptops, units, the roster and walk-ins
in `cli_admin`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import Engine

from trainer_desk.core import force_clock
from trainer_desk.core.counted import counted
from trainer_desk.core.csv_file import write_csv, write_rows
from trainer_desk.core.errors import UserFacingError
from trainer_desk.hq import audit_trail as hq_audit
from trainer_desk.hq import content as hq_content
from trainer_desk.hq import database as hq_database
from trainer_desk.hq import exports as hq_exports
from trainer_desk.hq import first_admin
from trainer_desk.hq import planning as hq_planning
from trainer_desk.hq import roster as hq_roster
from trainer_desk.hq.cli_admin import (
    audited,
    devices_command,
    enroll_codes_command,
    import_roster_command,
    units_command,
    users_command,
    walk_ins_command,
)
from trainer_desk.hq.cli_parser import build_parser
from trainer_desk.hq.exports import cell_text as _text


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
        setup_token = "" if args.only else first_admin.new_token(engine)
        if setup_token:  # the person who started HQ, at its console: never into a log file kept on disk
            print(first_admin.announcement(setup_token, args.host, args.port, bool(args.certfile)), flush=True)
        engine.dispose()  # each worker opens its own; the schema is already migrated
        serve(
            engine.url.render_as_string(hide_password=False),
            home / "blobs",
            args.only,
            args.plain_http,
            setup_token,
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
        return enroll_codes_command(engine, args)
    if args.command == "devices":
        return devices_command(engine, args)
    if args.command == "units":
        return units_command(engine, args.action, args.file)
    if args.command == "import-roster":
        return import_roster_command(engine, args.file, allow_shrink=args.allow_shrink, force=args.force or "")
    if args.command == "publish":
        if not args.folder.is_dir():
            raise UserFacingError(f"{args.folder} is not a folder")
        version = hq_content.publish_content(
            engine, args.folder, home / "blobs", allow_sample_media=args.allow_sample_media, note=args.note
        )
        print(f"published content version {version}")
        audited(engine, "content published", f"version {version}, from the folder {args.folder.name}")
        return 0
    if args.command == "walk-ins":
        return walk_ins_command(engine, args)
    if args.command == "subject-access":
        from trainer_desk.core.atomic_file import atomic_target
        from trainer_desk.hq.subject_access import export

        found = export(engine, home / "blobs", args.staff_number)
        with atomic_target(args.output) as partial:
            partial.touch(mode=0o600)  # for the person who asked for it alone, as HQ's database is
            partial.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"wrote {args.output}: {counted(len(found['registrations']), 'registration')}; it holds personal data")
        audited(engine, "subject access", f"everything held on {args.staff_number}")
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
        table = hq_exports.every_registration(engine, home / "blobs")
        written = table.write(args.output)
        print(f"{counted(written, 'registration')} written to {args.output}")
        audited(engine, "download", table.about(written))
        return 0
    if args.command == "compliance-summary":
        table = hq_exports.compliance_summary(engine, home / "blobs", force_clock.today())
        rows = list(table.rows)  # a few hundred: one per unit and programme
        if args.output:
            write_csv(args.output, table.header, rows)
        write_rows(sys.stdout, table.header, rows)
        audited(engine, "download", table.about(len(rows)))
        return 0
    if args.command == "users":
        return users_command(engine, args)
    return 2


def _restore(url: str, home: Path, file: Path) -> int:
    from trainer_desk.hq.backup import LINKS_AFTER_RESTORE, restore_backup

    if not file.is_file():
        raise UserFacingError(f"{file}: no such backup")
    counts = restore_backup(url, home / "blobs", file)
    hq_database.open_engine(url).dispose()  # migrated and caught up, as at any start
    print(f"restored {file.name}: " + ", ".join(f"{n} {table}" for table, n in counts.items() if n))
    print("console users sign in again; laptops carry on syncing as before")
    print(LINKS_AFTER_RESTORE)
    return 0


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
    audited(
        engine, "session planned", f"{hq_audit.about_session(engine, blobs, session.uuid)}, {planned.expected} expected"
    )
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
        audited(engine, "download", table.about(written))
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


if __name__ == "__main__":  # after every function it calls is defined: `python -m trainer_desk.hq.cli`
    sys.exit(main())
