"""A keyring that lives in memory: tests never touch the machine's real keyring, and no key is ever in the repo."""

from __future__ import annotations

import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.secrets.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError(username)


class RefusingKeyring(keyring.backend.KeyringBackend):
    """A keyring that answers every request with `refusal`."""

    priority = 0  # type: ignore[assignment]
    refusal: type[keyring.errors.KeyringError] = keyring.errors.KeyringError

    def get_password(self, service: str, username: str) -> str | None:
        raise self.refusal("refused")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.refusal("refused")

    def delete_password(self, service: str, username: str) -> None:
        raise self.refusal("refused")


class NoKeyring(RefusingKeyring):
    """What a computer without a keyring service looks like to the keyring package."""

    refusal = keyring.errors.NoKeyringError


class LockedKeyring(RefusingKeyring):
    """A keyring that is there but locked (the desktop's login keyring before it is unlocked)."""

    priority = 1  # type: ignore[assignment]
    refusal = keyring.errors.KeyringLocked


class BrokenKeyring(keyring.backend.KeyringBackend):
    """A keyring whose service fails under it (D-Bus gone away): not a refusal the keyring package names, so the
    helper asking it crashes."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise RuntimeError("the connection to the keyring service was lost")

    set_password = delete_password = get_password  # type: ignore[assignment]


class WaitingKeyring(BrokenKeyring):
    """A keyring waiting for the person to unlock it: it answers nothing for minutes."""

    def get_password(self, service: str, username: str) -> str | None:
        import time

        time.sleep(600)
        return None


class HalfWrittenKeyring(BrokenKeyring):
    """A keyring whose store another program is part way through writing: reading it raises ValueError."""

    def get_password(self, service: str, username: str) -> str | None:
        import json

        return json.loads('{"Trainer Desk|database-key-x": "the k')  # cut off mid-write
