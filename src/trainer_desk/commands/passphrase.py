"""Ask for the start-up passphrase on the terminal, when the computer has no keyring and IT allows it."""

from __future__ import annotations

import getpass
import sys


def ask_on_terminal(creating: bool) -> str | None:
    if not sys.stdin.isatty():
        return None  # a script cannot type a passphrase: the caller explains what is missing
    if not creating:
        return getpass.getpass("Passphrase for Trainer Desk's data: ")
    print(
        "This computer has no keyring, so Trainer Desk's data is locked with a passphrase you choose.\n"
        "It cannot be recovered if forgotten: unsynced records would be lost."
    )
    first = getpass.getpass("Choose a passphrase (at least 10 characters): ")
    if len(first) < 10:
        print("Too short.", file=sys.stderr)
        return None
    return first if getpass.getpass("Type it again: ") == first else None
