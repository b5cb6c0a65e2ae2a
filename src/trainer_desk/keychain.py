"""The OS keyring (Windows Credential Locker, macOS Keychain, Secret Service), read and written through one door.

Commands, which end in seconds, use it in their own process. The window, which stays open all day, reaches it
through a short-lived child of itself (`trainer-desk --keyring`) instead: the `keyring` package brings its
backends with it (on Linux the Secret Service client, D-Bus and a cryptography library), some 15 to 25 MiB held
for the rest of the day for the two or three secrets the app reads. The request goes to the child's standard
input and the answer comes back on its standard output: a secret is never on a command line, in a file or in
a log.
"""

from __future__ import annotations

import contextlib
import json
import logging
import subprocess
import sys
import threading
from typing import IO, Any

from trainer_desk.own_program import own_command

log = logging.getLogger(__name__)

KEYRING_OPTION = "--keyring"
CHILD_TIMEOUT_S = 300  # the keyring may ask the person to unlock it first: give them time to type


class KeychainError(Exception):
    """The keyring did not do what was asked. `locked` says it is there but locked; `reason` names what failed
    (the keyring package's error class, or what went wrong with the child), never a secret."""

    def __init__(self, reason: str, locked: bool = False) -> None:
        super().__init__(reason)
        self.reason, self.locked = reason, locked


class KeychainHelperError(KeychainError):
    """The child that asks the keyring failed (it crashed, answered nonsense, or was stopped): the keyring itself
    said nothing, so this is no sign that the computer has no keyring, and trying again may work."""


class Keychain:
    """The keyring, used in this process."""

    def get(self, service: str, name: str) -> str | None:
        return self._ask({"do": "get", "service": service, "name": name})

    def set(self, service: str, name: str, secret: str) -> None:
        self._ask({"do": "set", "service": service, "name": name, "secret": secret})

    def delete(self, service: str, name: str) -> None:
        """Remove a secret; one that is not there is already removed."""
        self._ask({"do": "delete", "service": service, "name": name})

    def _ask(self, request: dict[str, str]) -> str | None:
        return answer(request)


class KeychainInChild(Keychain):
    """The keyring, used through a child process so that this one never loads it.

    What the keyring answered is remembered for the rest of the day: a sync, and the poll for phone answers
    during a presentation, read HQ's token every few seconds, and each child costs a tenth of a second and some
    25 MiB. Only this process changes these secrets (the data folder is claimed by one process at a time), and
    it changes them through here, so what is remembered stays true. A failure is never remembered: a keyring
    unlocked since is asked afresh."""

    def __init__(self, command: list[str] | None = None) -> None:
        self.command = command or own_command(KEYRING_OPTION, module=__name__)
        self._known: dict[tuple[str, str], str | None] = {}
        self._failed: dict[tuple[str, str], KeychainError] = {}  # by a read-ahead: said when the secret is wanted
        self._started: subprocess.Popen[str] | None = None
        self._asking: set[subprocess.Popen[str]] = set()
        self._closed = False
        self._lock = threading.Lock()  # the UI thread and workers ask, start and close

    def start(self) -> None:
        """Start the next request's child now: it loads the keyring while this process goes on (the window
        is built meanwhile), and answers at once when asked."""
        with self._lock:
            if self._started is None and not self._closed:
                try:
                    self._started = self._spawn()
                except OSError:
                    self._started = None  # asked for later, and said then

    def close(self) -> None:
        """End every child: one started and never asked, and one still being asked (a keyring waiting for the
        person to unlock it would otherwise hold the app open for minutes). Nothing is asked afterwards."""
        with self._lock:
            self._closed = True
            unasked, asked = self._started, list(self._asking)  # an asked child is reaped by its asking thread
            self._started = None
        for child in asked:
            child.kill()
        if unasked is not None:
            unasked.kill()
            unasked.communicate()

    def read_ahead(self, service: str, name: str) -> None:
        """Ask for a secret now (on a worker thread), so that the next `get` of it answers at once."""
        try:
            self.get(service, name)
        except KeychainError as error:
            self._failed[(service, name)] = error

    def get(self, service: str, name: str) -> str | None:
        key = (service, name)
        if key in self._failed:
            raise self._failed.pop(key)
        if key not in self._known:
            self._known[key] = super().get(service, name)
        return self._known[key]

    def set(self, service: str, name: str, secret: str) -> None:
        self._known.pop((service, name), None)  # not known while it changes: a failed set leaves it unknown
        super().set(service, name, secret)
        self._known[(service, name)] = secret

    def delete(self, service: str, name: str) -> None:
        self._known.pop((service, name), None)
        super().delete(service, name)
        self._known[(service, name)] = None

    def _spawn(self) -> subprocess.Popen[str]:
        return subprocess.Popen(
            self.command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            encoding="utf-8",
            errors="replace",  # a stray byte from a native library is not a reason to fail; the reply is ASCII
        )

    def _ask(self, request: dict[str, str]) -> str | None:
        with self._lock:
            if self._closed:
                raise KeychainHelperError("Trainer Desk is closing")
            child, self._started = self._started, None
            try:
                child = child or self._spawn()
            except OSError as error:
                raise KeychainHelperError(f"the keyring helper did not run ({type(error).__name__})") from error
            self._asking.add(child)
        try:
            out, err = child.communicate(json.dumps(request), timeout=CHILD_TIMEOUT_S)
        except subprocess.TimeoutExpired as error:
            child.kill()
            child.communicate()
            raise KeychainHelperError(f"the keyring did not answer within {CHILD_TIMEOUT_S // 60} minutes") from error
        finally:
            with self._lock:
                self._asking.discard(child)
        try:
            reply = json.loads(out)
            if not isinstance(reply, dict):
                raise TypeError
        except (ValueError, TypeError):
            if self._closed:
                raise KeychainHelperError("Trainer Desk is closing") from None
            # The kind of error only (the text before its colon): its message could quote what it was handling.
            lines = err.strip().splitlines()
            log.warning("the keyring helper gave no answer: %s", lines[-1].split(":")[0][:80] if lines else "")
            raise KeychainHelperError(f"the keyring helper gave no answer (exit status {child.returncode})") from None
        return from_reply(reply)


def answer(request: dict[str, str]) -> str | None:
    """Carry out one request with the `keyring` package, its errors turned into `KeychainError`."""
    import keyring
    import keyring.errors

    service, name = request["service"], request["name"]
    try:
        if request["do"] == "get":
            return keyring.get_password(service, name)
        if request["do"] == "set":
            keyring.set_password(service, name, request["secret"])
        elif request["do"] == "delete":
            with contextlib.suppress(keyring.errors.PasswordDeleteError):  # nothing there to remove
                keyring.delete_password(service, name)
        else:
            raise KeychainError(f"unknown request {request['do']!r}")
    except keyring.errors.KeyringLocked as error:
        raise KeychainError(type(error).__name__, locked=True) from error
    except keyring.errors.KeyringError as error:
        raise KeychainError(type(error).__name__) from error
    return None


def from_reply(reply: dict[str, Any]) -> str | None:
    """The secret in the child's reply, or its error raised again here."""
    if "error" in reply:
        raise KeychainError(str(reply["error"]), locked=bool(reply.get("locked")))
    if "secret" not in reply:  # an answer that says neither is not "no secret stored"
        raise KeychainHelperError("the keyring helper answered neither a secret nor an error")
    secret = reply["secret"]
    if secret is not None and not isinstance(secret, str):
        raise KeychainHelperError("the keyring helper answered something that is not a secret")
    return secret


def serve(requests: IO[str], replies: IO[str]) -> int:
    """The child's side: one request in, one reply out. The keyring is loaded before the request is read, so a
    child started early is ready when it is asked."""
    import keyring  # noqa: F401

    try:
        request = json.loads(requests.read())
        reply: dict[str, Any] = {"secret": answer(request)}
    except KeychainError as error:
        reply = {"error": error.reason, "locked": error.locked}
    except (ValueError, KeyError, TypeError) as error:
        reply = {"error": f"the request could not be read ({type(error).__name__})"}
    replies.write(json.dumps(reply))
    replies.flush()
    return 0


if __name__ == "__main__":  # the child, run from source: `python -m trainer_desk.keychain --keyring`
    sys.exit(serve(sys.stdin, sys.stdout))
