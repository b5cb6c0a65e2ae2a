"""Ask for the start-up passphrase on the terminal, when the computer has no keyring and IT allows it."""

from __future__ import annotations

import getpass
import sys

from trainer_desk.key_store import MIN_LENGTH, chosen_passphrase_problem


def ask_on_terminal(creating: bool, problem: str = "") -> str | None:
    """The passphrase typed, or None to give up: no terminal to type on (a script), or Ctrl-D."""
    if not sys.stdin.isatty():
        return None  # a script cannot type a passphrase: the caller explains what is missing
    if problem:
        print(problem, file=sys.stderr)
    elif creating:
        print(
            "This computer has no keyring, so Trainer Desk's data is locked with a passphrase you choose.\n"
            "It cannot be recovered if forgotten: unsynced records would be lost. Ctrl-D gives up."
        )
    try:
        if not creating:
            return getpass.getpass("Passphrase for Trainer Desk's data (Ctrl-D gives up): ")
        while True:
            first = getpass.getpass(f"Choose a passphrase (at least {MIN_LENGTH} characters): ")
            mistake = chosen_passphrase_problem(first, getpass.getpass("Type it again: "))
            if not mistake:
                return first
            print(mistake, file=sys.stderr)
    except EOFError:
        print(file=sys.stderr)
        return None
