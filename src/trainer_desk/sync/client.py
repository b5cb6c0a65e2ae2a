"""The HTTP client for HQ: verified TLS, timeouts on every call, polite retries, and nothing believed until
it has been checked.

Success means a 2xx from the configured host with a well-formed body. 5xx, 429 and timeouts are retried with
exponential backoff and jitter, honouring Retry-After; 401 means enroll again; 426 means update required.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from trainer_desk.core.errors import UserFacingError
from trainer_desk.sync.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    Changes,
    ItemResult,
    ProtocolError,
    PushItem,
)

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# Worth another attempt: refused, reset, timed out, or cut off part-way through the answer. Anything else
# requests raises would fail the same way every time, so it is not retried.
_NETWORK_FAILURES = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
TIMEOUT = (5.0, 30.0)  # connect, read
MAX_ATTEMPTS = 4
MAX_DOWNLOAD = 500_000_000


class SyncError(UserFacingError):
    """Why a sync stopped, in words for the trainer; `kind` lets the app decide what to do next."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # offline | auth | update_required | server | bad_answer | refused | not_enrolled


def check_base_url(url: str) -> str:
    """HQ is reached over https; plain http only to this machine itself (a local test or proxy)."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SyncError("refused", f"'{url}' is not a web address like https://hq.example.police.uk")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise SyncError("refused", f"'{url}' is not https: registrations are only ever sent over verified TLS")
    return url.strip().rstrip("/")


class HqClient:
    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        http: requests.Session | None = None,
        sleep: Callable[[float], object] | None = None,
        ca_bundle: str | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.token = token
        self.http = http or requests.Session()
        self.http.trust_env = False  # no proxies or netrc from the environment: only the configured host
        # Once `stop` is set the client makes no further attempt and waits no longer, neither between attempts
        # nor for an answer: the app quits without sitting through back-off or timeouts.
        self.stop = stop or threading.Event()
        self.sleep = sleep or self.stop.wait
        self.verify: bool | str = ca_bundle or True

    # --- calls ----------------------------------------------------------------------------------
    def enroll(self, code: str, device_name: str) -> dict[str, str]:
        body = self._json("POST", "/v1/enroll", json={"code": code, "device_name": device_name}, auth=False)
        if not all(isinstance(body.get(k), str) and body.get(k) for k in ("device_id", "token", "unit")):
            raise SyncError("bad_answer", "HQ's answer to enrollment was incomplete; nothing was stored.")
        return {k: str(body[k]) for k in ("device_id", "token", "trainer", "unit") if k in body}

    def push(self, items: list[PushItem]) -> list[ItemResult]:
        body = self._json("POST", "/v1/push", json={"items": [i.to_wire() for i in items]})
        raw = body.get("results")
        try:
            if not isinstance(raw, list):
                raise ProtocolError("no results")
            results = [ItemResult.from_wire(r) for r in raw]
        except ProtocolError as error:
            raise SyncError("bad_answer", f"HQ answered a push with something unexpected ({error}).") from None
        sent = {(i.uuid, i.version) for i in items}
        if any((r.uuid, r.version) not in sent for r in results):
            raise SyncError("bad_answer", "HQ acknowledged records this laptop did not send; nothing was changed.")
        return results

    def changes(self, since: int, limit: int = 500) -> Changes:
        body = self._json("GET", "/v1/changes", params={"since": since, "limit": limit})
        try:
            return Changes.from_wire(body)
        except ProtocolError as error:
            raise SyncError("bad_answer", f"HQ sent changes this version cannot read ({error}).") from None

    def download(self, sha256: str, target: Path, size: int) -> None:
        """Stream a content file to `target`, refusing anything longer than the manifest said."""
        if size > MAX_DOWNLOAD:
            raise SyncError("bad_answer", "HQ offered a content file too large to download.")
        response = self._request("GET", f"/v1/content/{sha256}", stream=True)
        written = 0
        with response, target.open("wb") as handle:  # the connection goes back to the pool whatever happens
            try:
                for chunk in response.iter_content(chunk_size=1 << 16):
                    if self.stop.is_set():
                        raise _stopped()
                    written += len(chunk)
                    if written > size:
                        raise SyncError("bad_answer", "A content file from HQ was longer than announced.")
                    handle.write(chunk)
            except _NETWORK_FAILURES:
                raise SyncError(
                    "offline", "The download of new lesson content was cut off; the current content stays in use."
                ) from None

    # --- plumbing -------------------------------------------------------------------------------
    def _json(self, method: str, path: str, auth: bool = True, **kwargs: Any) -> dict[str, Any]:
        response = self._request(method, path, auth=auth, **kwargs)
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError):
            raise SyncError("bad_answer", "HQ's answer was not readable; nothing was changed.") from None
        if not isinstance(body, dict):
            raise SyncError("bad_answer", "HQ's answer was not in the expected shape; nothing was changed.")
        return body

    def _request(self, method: str, path: str, auth: bool = True, **kwargs: Any) -> requests.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if auth:
            if not self.token:
                raise SyncError("not_enrolled", "This laptop is not enrolled with HQ yet.")
            headers["Authorization"] = f"Bearer {self.token}"
        last = ""
        for attempt in range(MAX_ATTEMPTS):
            if self.stop.is_set():
                raise _stopped()
            try:
                response = self._send(
                    method,
                    self.base_url + path,
                    headers=headers,
                    timeout=TIMEOUT,
                    verify=self.verify,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.exceptions.SSLError:
                raise SyncError("refused", "HQ's certificate could not be verified, so nothing was sent.") from None
            except _NETWORK_FAILURES as error:
                last = _in_words(error)
                self._back_off(attempt, None)
                continue
            if response.status_code == 401:
                raise SyncError(
                    "auth",
                    "HQ no longer recognises this laptop: enroll it again. Every record is kept here until then.",
                )
            if response.status_code == 426:
                raise SyncError("update_required", "HQ needs a newer version of Trainer Desk: update required.")
            if response.status_code == 429 or response.status_code >= 500:
                busy = response.status_code in (429, 503)
                last = f"{'HQ is busy' if busy else 'HQ reported a fault'} (HTTP {response.status_code})"
                self._back_off(attempt, response.headers.get("Retry-After"))
                continue
            if not 200 <= response.status_code < 300:
                detail = _detail(response)
                raise SyncError("refused", f"HQ refused the request (HTTP {response.status_code}{detail}).")
            return response
        raise SyncError(
            "offline", f"HQ could not be reached: {last}. Everything stays saved on this laptop; it tries again later."
        )

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """The request runs on a helper thread, so that `stop` ends the wait for an HQ that has stopped
        answering at once rather than at the read timeout. A request left behind is harmless: pushes are
        idempotent, and the helper ends at its own timeout or with the app."""
        outcome: list[requests.Response | BaseException] = []
        done = threading.Event()

        def send() -> None:
            try:
                outcome.append(self.http.request(method, url, **kwargs))
            except BaseException as error:  # handed to the waiting thread, which raises it
                outcome.append(error)
            finally:
                done.set()

        threading.Thread(target=send, name="hq-request", daemon=True).start()
        while not done.wait(0.1):
            if self.stop.is_set():
                raise _stopped()
        if isinstance(outcome[0], BaseException):
            raise outcome[0]
        return outcome[0]

    def _back_off(self, attempt: int, retry_after: str | None) -> None:
        if attempt == MAX_ATTEMPTS - 1:
            return
        delay = min(2.0**attempt, 30.0) * (0.5 + random.random())
        if retry_after and retry_after.strip().isdigit():
            delay = max(delay, min(float(retry_after), 120.0))
        self.sleep(delay)


def _in_words(error: Exception) -> str:
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.ConnectionError):
        return "no connection to it"
    return "the connection broke off"


def _stopped() -> SyncError:
    return SyncError("stopped", "Sync stopped as Trainer Desk closed. Everything stays saved on this laptop.")


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return ""
    return f": {str(detail)[:200]}" if detail else ""
