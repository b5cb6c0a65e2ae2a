"""`trainer-desk export`: attendance sheets, sign-in sheets and compliance reports, as PDF or CSV."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.report_jobs import ExportRequest, run_export
from trainer_desk.workspace import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk export` (its one-line help is in the command table)."""
    kinds = parser.add_subparsers(dest="kind", metavar="KIND", required=True)
    for kind, text in (("attendance", "a session's attendance sheet"), ("sign-in", "a session's sign-in sheet")):
        sub = kinds.add_parser(kind, help=text)
        sub.add_argument("session", metavar="SESSION", help="the session's id (the first 8 characters are enough)")
        _common(sub)
    forms = kinds.add_parser("feedback-form", help="paper feedback forms for a session, one per person")
    forms.add_argument("session", metavar="SESSION", help="the session's id (the first 8 characters are enough)")
    forms.add_argument("--copies", type=int, help="how many (default: one per person on the register)")
    _common(forms)
    compliance = kinds.add_parser("compliance", help="completion against the roster, for a unit or the force")
    compliance.add_argument("--unit", help="a unit code (default: the whole force)")
    compliance.add_argument("--programme", required=True, help="a programme id, e.g. signa")
    compliance.add_argument("--from", dest="date_from", type=_date, required=True, metavar="YYYY-MM-DD")
    compliance.add_argument("--to", dest="date_to", type=_date, required=True, metavar="YYYY-MM-DD")
    _common(compliance)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("pdf", "csv"), default="pdf")
    parser.add_argument("-o", "--output", type=Path, help="where to write it (default: a dated name here)")
    parser.set_defaults(handler=run)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-11-23") from None


def run(args: argparse.Namespace, paths: AppPaths) -> int:
    if args.kind == "compliance" and args.date_from > args.date_to:
        raise UserFacingError("--from must not be after --to")
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        request = ExportRequest(
            kind=args.kind,
            format=args.format,
            output=args.output,
            session=getattr(args, "session", None),
            unit=getattr(args, "unit", None),
            programme=getattr(args, "programme", None),
            date_from=getattr(args, "date_from", None),
            date_to=getattr(args, "date_to", None),
            copies=getattr(args, "copies", None),
        )
        written = run_export(workspace, request, actor="command line")
        print(f"written {written}")
    finally:
        workspace.close()
    return 0
