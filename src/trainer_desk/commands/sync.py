"""`trainer-desk enroll URL` and `trainer-desk sync`: link this laptop to HQ, and sync once.

The enrollment code is asked for (or read from standard input), so that it never shows in the list of running
processes; giving it after the URL still works.
"""

from __future__ import annotations

import argparse
import sys

from trainer_desk import hq_link
from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.store import outbox
from trainer_desk.sync.protocol import CLOCK_WARNING_SECONDS
from trainer_desk.workspace import open_workspace


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    enroll = subparsers.add_parser("enroll", help="link this laptop to HQ with a one-time enrollment code")
    enroll.add_argument("url", metavar="URL", help="HQ's address, e.g. https://hq.example.police.uk")
    enroll.add_argument(
        "code",
        metavar="CODE",
        nargs="?",
        help="the enrollment code HQ issued for you; leave it out to be asked for it (or to pipe it in), "
        "so that it does not show in the list of running processes",
    )
    enroll.set_defaults(handler=run_enroll)
    sync = subparsers.add_parser("sync", help="send what is waiting to HQ and fetch roster and content updates")
    sync.set_defaults(handler=run_sync)


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
    finally:
        workspace.close()
    return 0


def run_sync(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        report = hq_link.sync_once(workspace, keep_content=())  # no window can be open: the app would hold the lock
        if report.wipe_requested:
            print(
                "HQ reported this laptop as lost: everything waiting was sent to HQ, then all personal data "
                "and its keys were removed from this laptop."
            )
            return 0
        print(f"synced: {report.summary()} {outbox.waiting_count(workspace.db)} waiting.")
        if report.clock_difference_s is not None and abs(report.clock_difference_s) > CLOCK_WARNING_SECONDS:
            print(f"note: this laptop's clock differs from HQ's by {report.clock_difference_s / 60:.0f} minutes.")
    finally:
        workspace.close()
    return 0
