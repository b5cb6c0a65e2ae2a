"""`trainer-desk enroll URL`: link this laptop to HQ with a one-time enrollment code.

The code is asked for (or read from standard input), so that it never shows in the list of running processes;
giving it after the URL still works.
"""

from __future__ import annotations

import argparse
import sys

from trainer_desk import hq_link
from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.store import unit_correction, units
from trainer_desk.workspace import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `trainer-desk enroll` (its one-line help is in the command table)."""
    parser.add_argument("url", metavar="URL", help="HQ's address, e.g. https://hq.example.police.uk")
    parser.add_argument(
        "code",
        metavar="CODE",
        nargs="?",
        help="the enrollment code HQ issued for you; leave it out to be asked for it (or to pipe it in), "
        "so that it does not show in the list of running processes",
    )
    parser.set_defaults(handler=run_enroll)


def read_code() -> str:
    """The code typed at a prompt (on the terminal, where standard output stays for results), or the first
    line piped in."""
    if sys.stdin is None:
        return ""
    if sys.stdin.isatty():
        print("Enrollment code from HQ: ", end="", file=sys.stderr, flush=True)
    return sys.stdin.readline()


def run_enroll(args: argparse.Namespace, paths: AppPaths) -> int:
    code = args.code if args.code is not None else read_code()
    if not code.strip():
        raise UserFacingError("No enrollment code was given: type the code HQ issued for you.")
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        unit = hq_link.enroll(workspace, args.url, code)
        print(f"enrolled with {args.url} for unit {unit}")
        # Said before the first sync sends them: HQ refuses a session for another unit, and its register.
        names = {known.code: known.name for known in units.list_units(workspace.db)}
        other = unit_correction.for_other_units(workspace.db)
        if warning := unit_correction.other_units_warning(len(other), names.get(unit, unit)):
            print(warning)
    finally:
        workspace.close()
    return 0
