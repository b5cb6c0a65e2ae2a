"""The command line of `trainer-desk-hq`: its commands, their options and the help each prints."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

import platformdirs

from trainer_desk.core.sessions import start_from_text
from trainer_desk.hq import staff as hq_staff
from trainer_desk.hq.ownership import DEVICE_ROLES

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
    roster.add_argument(
        "--force",
        metavar="CODE",
        help="the force whose roster the file is, where HQ serves several: only its people are changed",
    )
    publish = commands.add_parser("publish", help="publish a folder of lesson plans as a new content version")
    publish.add_argument("folder", type=Path)
    publish.add_argument(
        "--allow-sample-media",
        action="store_true",
        help="publish even though it holds demonstration content (sample films, force.toml, programmes.toml)",
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
    sessions.add_argument("--at", type=when, metavar="DATETIME", help="plan: the start, e.g. 2027-01-14T09:30")
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


def when(text: str) -> datetime:
    """A session's start as typed, on the force's clock."""
    try:
        return start_from_text(text)  # the force's clock, not the server's
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
