"""The database key: random, made on first run, kept in the OS keyring (Windows Credential Locker, macOS
Keychain, Secret Service), never in the data folder, the settings or the logs.

Where the machine has no keyring, IT's settings choose: refuse to start, with an explanation, or ask the
trainer for a passphrase each time the app starts. A database locked with a passphrase keeps it, even after
a keyring appears. The person is asked again, told what was wrong, until the answer works or they give up.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Callable

from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.password_rules import guessable
from trainer_desk.keychain import Keychain, KeychainError, KeychainHelperError
from trainer_desk.paths import AppPaths
from trainer_desk.store.connection import Connector, DatabaseKey, is_plaintext

log = logging.getLogger(__name__)

SERVICE = "Trainer Desk"
MIN_LENGTH = 10

# What the person is told when an answer cannot be used; the prompt shows it and asks again.
TOO_SHORT = f"Too short: use at least {MIN_LENGTH} characters."
NOT_MATCHING = "The two passphrases did not match: type them again."
EMPTY = "Type the passphrase first."
WRONG = "That passphrase does not open the data: try again."

# Asks the person for a passphrase when there is no keyring key: `creating` is True for a new database (ask
# twice, explain it cannot be recovered); `problem` says what was wrong with the last answer ("" at first).
# None means the person gave up; until then they are asked again.
AskPassphrase = Callable[[bool, str], str | None]


def key_name(paths: AppPaths) -> str:
    """One key per data folder, named without saying where the folder is."""
    return "database-key-" + hashlib.sha256(str(paths.data_dir).encode()).hexdigest()[:16]


def new_passphrase_problem(passphrase: str) -> str:
    """Too short, or one guessed first (`core.password_rules`): whoever holds the laptop has all the time they
    like to try passphrases against its database, and those are tried first."""
    if len(passphrase) < MIN_LENGTH:
        return TOO_SHORT
    return guessable(passphrase)


def chosen_passphrase_problem(first: str, again: str) -> str:
    """What is wrong with a new passphrase typed twice, or "" when it can be used."""
    if problem := new_passphrase_problem(first):
        return problem
    if again != first:
        return NOT_MATCHING
    return ""


def database_key(
    paths: AppPaths, without_keyring: str, ask_passphrase: AskPassphrase | None, keychain: Keychain
) -> DatabaseKey:
    name = key_name(paths)
    existing = paths.database.exists() and not is_plaintext(paths.database)
    try:
        stored = keychain.get(SERVICE, name)
        if not stored and not existing:
            key = secrets.token_bytes(32)
            keychain.set(SERVICE, name, key.hex())
            log.info("new database key stored in the keyring")
            return DatabaseKey(raw=key)
    except KeychainHelperError as error:  # the keyring said nothing: asking for a passphrase instead would be wrong
        log.warning("the keyring could not be asked: %s", error.reason)
        raise UserFacingError(
            f"Trainer Desk could not ask this computer's keyring for the database key: {error.reason}.",
            hint="Nothing was changed. Start Trainer Desk again; if this keeps happening, ask your support team "
            "(the log file says what failed).",
        ) from error
    except KeychainError as error:
        log.warning("no usable keyring: %s", error.reason)
        return _passphrase_instead(paths, without_keyring, ask_passphrase, creating=not existing)
    if stored:
        return DatabaseKey(raw=bytes.fromhex(stored))
    missing = UserFacingError(
        f"The key for the database in {paths.data_dir} is not in this computer's keyring, so it cannot be opened.",
        hint="The file has not been changed. If the data folder was copied from another computer, open it there; "
        "otherwise ask your support team.",
    )
    if without_keyring != "passphrase" or ask_passphrase is None:
        raise missing
    # A database locked with a passphrase while there was no keyring: a keyring that appeared since holds no
    # key for it, and the passphrase still opens it.
    log.info("no key in the keyring for an existing database: asking for its passphrase")
    return _ask_until_it_opens(paths, ask_passphrase, gave_up=missing)


def _passphrase_instead(
    paths: AppPaths, without_keyring: str, ask_passphrase: AskPassphrase | None, creating: bool
) -> DatabaseKey:
    if without_keyring != "passphrase" or ask_passphrase is None:
        raise UserFacingError(
            "This computer has no keyring to keep the database key in, and your IT settings do not allow "
            "Trainer Desk to run without one.",
            hint="Ask IT to enable the keyring (on Linux, the Secret Service: GNOME Keyring or KWallet), or to "
            'allow a start-up passphrase (setting without_keyring = "passphrase").',
        )
    gave_up = UserFacingError(
        "A passphrase is needed to open Trainer Desk's data on this computer.",
        hint="Nothing was changed. Start Trainer Desk again to type it.",
    )
    if creating:
        return _ask_for_a_new_one(ask_passphrase, gave_up)
    return _ask_until_it_opens(paths, ask_passphrase, gave_up)


def _ask_for_a_new_one(ask_passphrase: AskPassphrase, gave_up: UserFacingError) -> DatabaseKey:
    problem = ""
    while True:
        passphrase = ask_passphrase(True, problem)
        if passphrase is None:
            raise gave_up
        problem = new_passphrase_problem(passphrase)
        if not problem:
            return DatabaseKey(passphrase=passphrase)


def _ask_until_it_opens(paths: AppPaths, ask_passphrase: AskPassphrase, gave_up: UserFacingError) -> DatabaseKey:
    """Only the person giving up ends this: a slip of the keyboard is no reason to quit."""
    problem = ""
    while True:
        passphrase = ask_passphrase(False, problem)
        if passphrase is None:
            raise gave_up
        key = DatabaseKey(passphrase=passphrase)
        if not passphrase:
            problem = EMPTY
        elif Connector(key).unlocks(paths.database):
            return key
        else:
            log.info("a passphrase that does not open the database was typed")
            problem = WRONG


def forget_key(paths: AppPaths, keychain: Keychain) -> None:
    """Remove the key from the keyring (a wipe): without it the database can never be read again."""
    with contextlib.suppress(KeychainError):  # no keyring: nothing to forget
        keychain.delete(SERVICE, key_name(paths))
