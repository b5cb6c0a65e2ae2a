"""The device token HQ issued: kept in the OS keyring, never in the database, settings or logs."""

from __future__ import annotations

import contextlib
import hashlib
from pathlib import Path

from trainer_desk.core.errors import UserFacingError
from trainer_desk.keychain import Keychain, KeychainError, KeychainHelperError

SERVICE = "Trainer Desk HQ"


def _name(data_dir: Path) -> str:
    return "device-token-" + hashlib.sha256(str(data_dir).encode()).hexdigest()[:16]


def save_token(data_dir: Path, token: str, keychain: Keychain) -> None:
    try:
        keychain.set(SERVICE, _name(data_dir), token)
    except KeychainHelperError as error:  # the keyring said nothing: it may well be there
        raise UserFacingError(
            f"Trainer Desk could not keep HQ's device token in this computer's keyring: {error.reason}.",
            hint="Ask the learning team for a new enrollment code, then enroll again.",
        ) from error
    except KeychainError as error:
        if error.locked:
            raise UserFacingError(
                "The keyring is locked, so HQ's device token cannot be kept in it.",
                hint="Unlock the keyring (log in to the desktop again), ask the learning team for a new "
                "enrollment code, then enroll again.",
            ) from error
        raise UserFacingError(
            "This computer has no keyring to keep HQ's device token in, so it cannot be enrolled.",
            hint="Ask IT to enable the keyring (on Linux, the Secret Service).",
        ) from error


class KeyringUnavailableError(UserFacingError):
    """The keyring is there but would not answer (locked, or broken): not the same as never enrolled."""


def load_token(data_dir: Path, keychain: Keychain) -> str | None:
    """The token, or None when this laptop was never enrolled; a keyring that cannot be read says so."""
    try:
        return keychain.get(SERVICE, _name(data_dir))
    except KeychainError as error:
        if error.locked:
            raise KeyringUnavailableError(
                "The keyring is locked, so HQ's device token cannot be read: unlock it (log in to the desktop "
                "again, or open the keyring), then sync."
            ) from error
        raise KeyringUnavailableError(
            f"HQ's device token cannot be read from this computer's keyring ({error.reason}).",
            hint="Ask IT to check the keyring (on Linux, the Secret Service); nothing waiting has been lost.",
        ) from error


def forget_token(data_dir: Path, keychain: Keychain) -> None:
    with contextlib.suppress(KeychainError):
        keychain.delete(SERVICE, _name(data_dir))
