"""`trainer-desk sync`: send what is waiting to HQ and fetch roster and content updates, once."""

from __future__ import annotations

import argparse

from trainer_desk import hq_link
from trainer_desk.commands.passphrase import ask_on_terminal
from trainer_desk.core.counted import counted
from trainer_desk.paths import AppPaths
from trainer_desk.store import outbox
from trainer_desk.sync.protocol import CLOCK_WARNING_SECONDS, clock_note
from trainer_desk.workspace import open_workspace


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--send-again",
        action="store_true",
        help="send again the records HQ did not take (once HQ has put right what it answered)",
    )
    parser.set_defaults(handler=run_sync)


def run_sync(args: argparse.Namespace, paths: AppPaths) -> int:
    workspace = open_workspace(paths, ask_passphrase=ask_on_terminal)
    try:
        if args.send_again:
            print(f"sending {counted(outbox.send_again(workspace.db), 'record')} HQ did not take again.")
        report = hq_link.sync_once(workspace, keep_content=())  # no window can be open: the app would hold the lock
        if report.wipe_requested:
            print(hq_link.wiped_message(report))
            return 0
        held, not_taken = outbox.held_back(workspace.db, limit=20), outbox.held_back_count(workspace.db)
        print(f"synced: {report.summary()} {outbox.waiting_count(workspace.db) - not_taken} waiting.")
        if held:
            print(f"HQ did not take {counted(not_taken, 'record')}, kept here:")
            for record in held:
                print(f"  {record.entity}" + (f" {record.person}" if record.person else "") + f": {record.answer}")
            print("once HQ has put it right: trainer-desk sync --send-again")
        if report.clock_difference_s is not None and abs(report.clock_difference_s) > CLOCK_WARNING_SECONDS:
            print(f"note: {clock_note(report.clock_difference_s)}")
    finally:
        workspace.close()
    return 0
