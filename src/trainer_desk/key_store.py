"""The database key: random, made on first run, kept in the OS keyring (Windows Credential Locker, macOS
Keychain, Secret Service), never in the data folder, the settings or the logs.

Where the machine has no keyring, IT's settings choose: refuse to start, with an explanation, or ask the
trainer for a passphrase each time the app starts.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import secrets
from collections.abc import Callable

import keyring
import keyring.errors

from trainer_desk.core.errors import UserFacingError
from trainer_desk.paths import AppPaths
from trainer_desk.store.connection import DatabaseKey, is_plaintext

log = logging.getLogger(__name__)

SERVICE = "Trainer Desk"
# Asked when there is no keyring: `creating` is True for a new database (ask twice, explain it cannot be reset).
AskPassphrase = Callable[[bool], str | None]


def key_name(paths: AppPaths) -> str:
    """One key per data folder, named without saying where the folder is."""
    return "database-key-" + hashlib.sha256(str(paths.data_dir).encode()).hexdigest()[:16]


def database_key(paths: AppPaths, without_keyring: str, ask_passphrase: AskPassphrase | None) -> DatabaseKey:
    name = key_name(paths)
    existing = paths.database.exists() and not is_plaintext(paths.database)
    try:
        stored = keyring.get_password(SERVICE, name)
        if stored:
            return DatabaseKey(raw=bytes.fromhex(stored))
        if existing:
            raise UserFacingError(
                f"The key for the database in {paths.data_dir} is not in this computer's keyring, so it cannot "
                "be opened.",
                hint="The file has not been changed. If the data folder was copied from another computer, open "
                "it there; otherwise ask your support team.",
            )
        key = secrets.token_bytes(32)
        keyring.set_password(SERVICE, name, key.hex())
        log.info("new database key stored in the keyring")
        return DatabaseKey(raw=key)
    except keyring.errors.KeyringError as error:
        log.warning("no usable keyring: %s", type(error).__name__)
        return _passphrase_instead(paths, without_keyring, ask_passphrase, creating=not existing)


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
    passphrase = ask_passphrase(creating)
    if not passphrase:
        raise UserFacingError("A passphrase is needed to open Trainer Desk's data on this computer.")
    return DatabaseKey(passphrase=passphrase)


def forget_key(paths: AppPaths) -> None:
    """Remove the key from the keyring (a wipe): without it the database can never be read again."""
    with contextlib.suppress(keyring.errors.KeyringError):  # no keyring, or no key: nothing to forget
        keyring.delete_password(SERVICE, key_name(paths))
