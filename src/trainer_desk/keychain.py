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
from collections.abc import Callable
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
        # Changes begun, and changes under way, by secret: a read that began while one was under way, or that a
        # change began after, is not remembered (it may bring back the secret as it was).
        self._changes: dict[tuple[str, str], int] = {}
        self._changing: dict[tuple[str, str], int] = {}
        self._failed: dict[tuple[str, str], KeychainError] = {}  # by a read-ahead: said when the secret is wanted
        self._started: subprocess.Popen[str] | None = None
        self._asking: dict[subprocess.Popen[str], str] = {}  # each child being asked, and what it was asked to do
        self._closed = False
        self._lock = threading.Lock()  # the UI thread and workers ask, start and close
        self._settled = threading.Condition(self._lock)  # told when a change ends

    def start(self) -> None:
        """Start the next request's child now: it loads the keyring while this process goes on (the window
        is built meanwhile), and answers at once when asked."""
        with self._lock:
            if self._started is None and not self._closed:
                try:
                    self._started = self._spawn()
                except OSError:
                    self._started = None  # asked for later, and said then

    def discard_started(self) -> None:
        """End the child started ahead and never asked (the database wanted no key); later requests start
        their own."""
        with self._lock:
            unasked, self._started = self._started, None
        if unasked is not None:
            unasked.kill()
            unasked.communicate()

    def close(self) -> None:
        """At the app's end: end the child started ahead, and every child still reading a secret (a keyring
        waiting for the person to unlock it would otherwise hold the app open for minutes). A child keeping or
        removing a secret is left to finish: HQ's token, once issued, exists nowhere else. Nothing is read
        afterwards."""
        with self._lock:
            self._closed = True
            reading = [child for child, do in self._asking.items() if do == "get"]  # reaped by their askers
        for child in reading:
            child.kill()
        self.discard_started()

    def wait_for_changes(self, timeout_s: float) -> bool:
        """Wait until no secret is being kept or removed (at quit, before the database closes: an enrollment
        saves HQ's token, then records where it enrolled). False if one is still under way after `timeout_s`."""
        with self._settled:
            return self._settled.wait_for(lambda: not self._changing, timeout_s)

    def read_ahead(self, service: str, name: str) -> None:
        """Ask for a secret now (on a worker thread), so that the next `get` of it answers at once."""
        key = (service, name)
        with self._lock:
            changes = self._changes.get(key, 0)
        try:
            self.get(service, name)
        except KeychainError as error:
            with self._lock:
                if self._changes.get(key, 0) == changes:  # a change since makes the failure old news
                    self._failed[key] = error

    def get(self, service: str, name: str) -> str | None:
        key = (service, name)
        with self._lock:
            if key in self._failed:
                raise self._failed.pop(key)
            if key in self._known:
                return self._known[key]
            changes, quiet = self._changes.get(key, 0), key not in self._changing
        secret = super().get(service, name)
        with self._lock:
            if quiet and self._changes.get(key, 0) == changes:
                self._known[key] = secret
        return secret

    def set(self, service: str, name: str, secret: str) -> None:
        self._change((service, name), lambda: super(KeychainInChild, self).set(service, name, secret), secret)

    def delete(self, service: str, name: str) -> None:
        self._change((service, name), lambda: super(KeychainInChild, self).delete(service, name), None)

    def _change(self, key: tuple[str, str], change: Callable[[], None], then: str | None) -> None:
        """Carry out a change, the secret unknown while it runs (a failed change leaves it unknown), then
        remembered as changed unless another change began meanwhile."""
        with self._lock:
            mine = self._changes[key] = self._changes.get(key, 0) + 1
            self._changing[key] = self._changing.get(key, 0) + 1
            self._known.pop(key, None)
            self._failed.pop(key, None)
        done = False
        try:
            change()
            done = True
        finally:
            with self._lock:
                self._changing[key] -= 1
                if not self._changing[key]:
                    del self._changing[key]
                if done and self._changes[key] == mine:
                    self._known[key] = then
                self._settled.notify_all()

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
        reading = request["do"] == "get"
        with self._lock:
            if self._closed and reading:
                raise KeychainHelperError("Trainer Desk is closing")
            child, self._started = self._started, None
            try:
                child = child or self._spawn()
            except OSError as error:
                raise KeychainHelperError(f"the keyring helper did not run ({type(error).__name__})") from error
            self._asking[child] = request["do"]
        try:
            out, err = child.communicate(json.dumps(request), timeout=CHILD_TIMEOUT_S)
        except (subprocess.TimeoutExpired, OSError) as error:
            child.kill()
            with contextlib.suppress(OSError, ValueError):
                child.communicate()
            child.wait()  # reaped, whatever the pipes did
            if isinstance(error, subprocess.TimeoutExpired):
                reason = f"the keyring did not answer within {CHILD_TIMEOUT_S // 60} minutes"
            else:
                reason = f"the keyring helper could not be asked ({type(error).__name__})"
            raise KeychainHelperError(reason) from error
        finally:
            with self._lock:
                self._asking.pop(child, None)
        try:
            reply = json.loads(out)
            if not isinstance(reply, dict):
                raise TypeError
        except (ValueError, TypeError):
            if self._closed and reading:
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

    reply: dict[str, Any]
    try:
        request = json.loads(requests.read())
        wanted = ("do", "service", "name", "secret") if request.get("do") == "set" else ("do", "service", "name")
        if not all(isinstance(request.get(key), str) for key in wanted):
            raise TypeError
    except (ValueError, TypeError, AttributeError) as error:  # not JSON; not an object; a field missing
        reply = {"error": f"the request could not be read ({type(error).__name__})"}
    else:
        # Only the request's own faults are said to be the request's. Anything else the backend raises (its
        # service gone, its store half written by another program) ends this child without an answer, which the
        # app takes as "the keyring said nothing", so trying again may work.
        try:
            reply = {"secret": answer(request)}
        except KeychainError as error:
            reply = {"error": error.reason, "locked": error.locked}
    replies.write(json.dumps(reply))
    replies.flush()
    return 0


if __name__ == "__main__":  # the child, run from source: `python -m trainer_desk.keychain --keyring`
    sys.exit(serve(sys.stdin, sys.stdout))
