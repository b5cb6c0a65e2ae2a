"""A keyring kept in a file, for tests that run Trainer Desk in a child process (selected with the keyring
package's own PYTHON_KEYRING_BACKEND variable). Test-only: it protects nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors

FILE_ENV = "TRAINER_DESK_TEST_KEYRING_FILE"


class FileKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    @property
    def file(self) -> Path:
        return Path(os.environ[FILE_ENV])

    def _load(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.file.read_text()))
        except FileNotFoundError:
            return {}

    def _save(self, data: dict[str, str]) -> None:
        """Written whole, then put in place: a read in another process never finds it half written."""
        partial = self.file.with_name(f"{self.file.name}.{os.getpid()}.partial")
        partial.write_text(json.dumps(data))
        partial.replace(self.file)

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}|{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        data = self._load()
        data[f"{service}|{username}"] = password
        self._save(data)

    def delete_password(self, service: str, username: str) -> None:
        data = self._load()
        if data.pop(f"{service}|{username}", None) is None:
            raise keyring.errors.PasswordDeleteError(username)
        self._save(data)


class RecordingKeyring(FileKeyring):
    """A file keyring that also notes each time it is read, beside its file (`<file>.asked`)."""

    def get_password(self, service: str, username: str) -> str | None:
        with Path(f"{self.file}.asked").open("a") as asked:
            asked.write(f"{service}\n")
        return super().get_password(service, username)


class OvertakenKeyring(RecordingKeyring):
    """A slow keyring overtaken by a change: a read answers what it found only once the secret has been
    changed since (or after a minute)."""

    def get_password(self, service: str, username: str) -> str | None:
        import time

        found = super().get_password(service, username)
        deadline = time.monotonic() + 60
        while self._load().get(f"{service}|{username}") == found and time.monotonic() < deadline:
            time.sleep(0.05)
        return found


class SlowToKeepKeyring(FileKeyring):
    """A keyring that takes two seconds to keep a secret (one asking the person to unlock it first)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        import time

        time.sleep(2)
        super().set_password(service, username, password)


class ReadFirstKeyring(OvertakenKeyring):
    """A keyring that keeps a secret only once a read has begun meanwhile: a change that ends while a read of
    the old secret is still on its way back."""

    def set_password(self, service: str, username: str, password: str) -> None:
        import time

        deadline = time.monotonic() + 60
        while not Path(f"{self.file}.asked").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        super().set_password(service, username, password)
