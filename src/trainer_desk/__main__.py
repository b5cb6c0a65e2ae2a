"""The one entry point: `trainer-desk` (the GUI) and its headless subcommands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from trainer_desk import __version__
from trainer_desk.commands import backup, export, faq, info, plans, restore, roster, sessions, sync
from trainer_desk.core.errors import UserFacingError
from trainer_desk.logs import LOG_FILE_NAME, configure_logging
from trainer_desk.paths import HOME_ENV, AppPaths

log = logging.getLogger("trainer_desk")

SUBCOMMANDS = (info, plans, faq, roster, sessions, export, sync, backup, restore)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer-desk",
        description="Deliver training sessions, take the register offline, and sync it to HQ. "
        "With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        help=f"keep data, logs and settings in DIR (also: environment variable {HOME_ENV})",
    )
    parser.add_argument(
        "--exit-after",
        type=float,
        metavar="SECONDS",
        help="close the window after SECONDS (for checking an installation starts)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for command in SUBCOMMANDS:
        command.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.data_dir is not None and not args.data_dir.strip():
        # An empty name (an unset shell variable, say) must not quietly mean the real data folder.
        parser.error("--data-dir needs a folder name, and was given an empty one")
    paths = AppPaths.resolve(args.data_dir)
    try:
        configure_logging(paths.log_dir)
    except OSError as error:
        print(f"trainer-desk: cannot write logs in {paths.log_dir}: {error.strerror}", file=sys.stderr)
        return 1
    if args.command is None:
        from trainer_desk.app import run_gui  # Qt is loaded only when a window is wanted

        return run_gui(paths, exit_after=args.exit_after)
    try:
        return int(args.handler(args, paths))
    except UserFacingError as error:
        print(f"trainer-desk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # each command writes in whole transactions: a stop keeps whole ones only
        print(f"trainer-desk: {args.command} interrupted", file=sys.stderr)
        return 130
    except Exception:
        log.exception("command %s failed", args.command)
        print(
            "trainer-desk: something went wrong inside Trainer Desk; this is a fault in the program, "
            f"not something you did. Details are in {paths.log_dir / LOG_FILE_NAME}.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":
    sys.exit(main())
