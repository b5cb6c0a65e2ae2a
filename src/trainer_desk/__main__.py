"""The one entry point: `trainer-desk` (the GUI) and its headless subcommands.

Starting the app must not wait for the command line's machinery: only the command actually given is imported
(with what it needs: the database layer, reportlab, requests), so a plain `trainer-desk` loads none of them
before its window is wanted. Each command module has `configure(parser)`, which adds its arguments and
handler.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Sequence
from typing import Any

from trainer_desk import APP_NAME, __version__
from trainer_desk.core.errors import UserFacingError
from trainer_desk.logs import LOG_FILE_NAME, configure_logging, log_failure
from trainer_desk.paths import HOME_ENV, AppPaths

log = logging.getLogger("trainer_desk")

# Each command, the module under trainer_desk.commands that defines it, and its line in `--help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "info": ("info", "show the data folder, settings files and database state"),
    "plans": ("plans", "validate and list lesson plans"),
    "faq": ("faq", "search the lesson plans' frequently asked questions"),
    "roster": ("roster", "import the roster from an HR export"),
    "sessions": ("sessions", "list, show and plan sessions; cancel, move or reassign planned ones"),
    "export": ("export", "write attendance sheets, sign-in sheets and compliance reports"),
    "enroll": ("enroll", "link this laptop to HQ with a one-time enrollment code"),
    "sync": ("sync", "send what is waiting to HQ and fetch roster and content updates"),
    "backup": ("backup", "copy the database to a file, safely, while in use"),
    "restore": ("restore", "put a backup back in place of the database (app closed)"),
}
OPTIONS_WITH_VALUES = ("--data-dir", "--exit-after")


def command_given(argv: Sequence[str]) -> str | None:
    """The command word in `argv`, if any: the first word that is neither an option nor an option's value."""
    words = iter(argv)
    for word in words:
        if word in OPTIONS_WITH_VALUES:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The parser, with the full arguments of the command in `argv` only: every other command is listed for
    `--help` by its name and line, which needs no import."""
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
        help="close the window after SECONDS, saying when it is ready (for checking an installation starts)",
    )
    # The app asks a child of itself whether video can play here (see ui.multimedia_check): not for people.
    parser.add_argument("--check-video", action="store_true", help=argparse.SUPPRESS)
    # ...and reaches the keyring through another (see keychain): not for people either.
    parser.add_argument("--keyring", action="store_true", help=argparse.SUPPRESS)
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = command_given(argv)
    for name, (module, line) in COMMANDS.items():
        command = subparsers.add_parser(name, help=line, description=f"{APP_NAME}: {line}.")
        if name == wanted:
            importlib.import_module(f"trainer_desk.commands.{module}").configure(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if args.data_dir is not None and not args.data_dir.strip():
        # An empty name (an unset shell variable, say) must not quietly mean the real data folder.
        parser.error("--data-dir needs a folder name, and was given an empty one")
    if args.check_video:
        from trainer_desk.ui.multimedia_check import check_here

        return check_here()
    if args.keyring:
        from trainer_desk.keychain import serve

        return serve(sys.stdin, sys.stdout)
    paths = AppPaths.resolve(args.data_dir)
    try:
        configure_logging(paths.log_dir)
    except OSError as error:
        print(f"trainer-desk: cannot write logs in {paths.log_dir}: {error.strerror}", file=sys.stderr)
        return 1
    if args.command is None:
        from trainer_desk.ui.pyside_tuning import read_module_sources_lightly

        read_module_sources_lightly()  # Qt is loaded only when a window is wanted, and tuned before our modules
        from trainer_desk.app import run_gui

        return run_gui(paths, exit_after=args.exit_after)
    stopping = _StopOnInterrupt(args.command)
    try:
        with stopping:
            return int(args.handler(args, paths))
    except UserFacingError as error:
        print(f"trainer-desk: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # each command writes in whole transactions: a stop keeps whole ones only
        stopping.say_interrupted()
        return 130
    except BrokenPipeError:  # its reader stopped early (`| head`): nothing wrong, and nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own flush at exit, too
        return 0
    except Exception as error:
        log_failure(log, f"command {args.command}", error)  # its stack, never its message (it may name people)
        print(
            "trainer-desk: something went wrong inside Trainer Desk; this is a fault in the program, "
            f"not something you did. Details are in {paths.log_dir / LOG_FILE_NAME}.",
            file=sys.stderr,
        )
        return 70


class _StopOnInterrupt:
    """Ctrl+C ends a command promptly, whatever it was waiting on. The interrupt is raised as usual, so the
    command ends its transaction and says so; and should anything still hold the process after that (a
    request left waiting on an HQ that never answers, say), it leaves by itself after INTERRUPT_GRACE_S.
    Installed only around a command run from the main thread, and the previous handler is put back after."""

    def __init__(self, command: str) -> None:
        self.command = command
        self.said = threading.Event()
        self.previous: Any = None

    def __enter__(self) -> None:
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGINT, self._interrupted)

    def __exit__(self, *exc: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)

    def say_interrupted(self) -> None:
        if not self.said.is_set():
            self.said.set()
            print(f"trainer-desk: {self.command} interrupted", file=sys.stderr, flush=True)

    def _interrupted(self, _signal: int, _frame: object) -> None:
        def leave() -> None:
            self.say_interrupted()
            os._exit(130)

        watchdog = threading.Timer(INTERRUPT_GRACE_S, leave)
        watchdog.daemon = True
        watchdog.start()
        raise KeyboardInterrupt


INTERRUPT_GRACE_S = 5.0


if __name__ == "__main__":
    sys.exit(main())
