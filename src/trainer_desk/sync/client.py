"""The HTTP client for HQ: verified TLS, timeouts on every call, polite retries, and nothing believed until
it has been checked.

Success means a 2xx from the configured host with a well-formed body. 5xx, 429 and timeouts are retried with
exponential backoff and jitter, honouring Retry-After; 401 means enroll again; 426 means update required.
Nothing is taken from the environment (proxies, netrc, CA bundles): IT's settings alone say which certificates
are trusted and which proxy carries the traffic (`HqNetwork`).
"""

from __future__ import annotations

import json
import random
import secrets
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

from trainer_desk.core import force_clock
from trainer_desk.core.errors import UserFacingError
from trainer_desk.core.feedback_link import key_from_text
from trainer_desk.sync import collector
from trainer_desk.sync.answered_by import not_from_hq, someone_else_answered
from trainer_desk.sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION, ItemResult, ProtocolError, PushItem
from trainer_desk.sync.pulled_changes import Changes, snapshot_from_wire

LOOPBACK = {"127.0.0.1", "::1", "localhost"}
# Worth another attempt: refused, reset, timed out, or cut off part-way through the answer. Anything else
# requests raises would fail the same way every time, so it is not retried.
_NETWORK_FAILURES = (
    requests.ConnectionError,
    requests.Timeout,
    requests.exceptions.ChunkedEncodingError,
    requests.exceptions.ContentDecodingError,
)
TIMEOUT = (5.0, 30.0)  # connect, read: each wait for bytes, not the whole answer
MAX_ATTEMPTS = 4
MAX_DOWNLOAD = 500_000_000
# The whole of one answer, however it trickles in (the read timeout above restarts with every byte): past
# this, HQ is treated as unreachable for this sync, and the next one tries again.
ANSWER_DEADLINE_S = 300.0
# The largest answer read into memory (a 50,000-person force's first pull is some 80 MB of JSON): a bigger
# one is refused as it arrives, not held whole.
MAX_ANSWER_BYTES = 256 * 1024 * 1024


class SyncError(UserFacingError):
    """Why a sync stopped, in words for the trainer; `kind` lets the app decide what to do next."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        # offline | server | busy | not_hq | auth | update_required | bad_answer | refused | not_enrolled |
        # settings | content | stopped
        self.kind = kind


@dataclass(frozen=True, slots=True)
class HqNetwork:
    """How IT says HQ is reached (see docs/it-settings.md)."""

    certificates: str = "bundled"  # "bundled": the CA list shipped with Trainer Desk; "system": the OS's store
    ca_file: str = ""  # PEM certificate authorities trusted as well
    proxy: str = ""  # "": straight to HQ; "system": the system's proxy settings; else the proxy's URL


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
        network: HqNetwork | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        self.base_url = check_base_url(base_url)
        self.token = token
        network = network or HqNetwork()
        self.network = network
        self.http = http or requests.Session()
        # Nothing from the environment: a netrc entry would even replace the device token with its password.
        self.http.trust_env = False
        context = _tls_context(network)
        if context is not None:
            self.http.mount("https://", _TlsContextAdapter(context))
        self.http.proxies = _proxies(network, self.base_url)
        # Once `stop` is set the client makes no further attempt and waits no longer, neither between attempts
        # nor for an answer: the app quits without sitting through back-off or timeouts.
        self.stop = stop or threading.Event()
        self.sleep = sleep or self.stop.wait
        self.verify = True
        # False where a person is waiting on the answer (enrolling): an HQ that could not be connected to at all
        # (refused, no route, name unknown) never saw the request, and is said at once rather than after the
        # back-off meant for a sync that runs on its own.
        self.retry_unreached = True
        self.answer_deadline_s = ANSWER_DEADLINE_S
        self.max_answer_bytes = MAX_ANSWER_BYTES

    def alike(self) -> HqClient:
        """Another client to the same HQ, with the same trust, proxy and stop, for work on another thread."""
        twin = HqClient(self.base_url, self.token, network=self.network, stop=self.stop, sleep=self.sleep)
        twin.verify = self.verify
        twin.answer_deadline_s = self.answer_deadline_s
        twin.max_answer_bytes = self.max_answer_bytes
        return twin

    # --- calls ----------------------------------------------------------------------------------
    def enroll(self, code: str, device_name: str, device_key: str | None = None) -> dict[str, str]:
        """`device_key`: a secret made once per enrollment and sent with every retry, so a retry after a lost
        answer gets the same device and token instead of burning the one-time code."""
        key = device_key or secrets.token_urlsafe(32)
        body = self._json(
            "POST", "/v1/enroll", json={"code": code, "device_name": device_name, "device_key": key}, auth=False
        )
        if not all(isinstance(body.get(k), str) and body.get(k) for k in ("device_id", "token", "unit")):
            raise SyncError("bad_answer", "HQ's answer to enrollment was incomplete; nothing was stored.")
        return {
            k: str(body[k])
            for k in ("device_id", "token", "trainer", "unit", "feedback_key")
            if isinstance(body.get(k), str)
            if k != "feedback_key" or key_from_text(body[k]) is not None  # unreadable: asked for again later
        }

    def unit_of_code(self, code: str) -> tuple[str, str] | None:
        """The unit an enrollment code enrolls for (its code, and its name as people know it), the code left
        unused; None from an HQ too old to say."""
        response = self._request("POST", "/v1/enroll/check", json={"code": code}, auth=False, absent_ok=True)
        if response.status_code == 404:
            return None
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError):
            body = None
        unit = body.get("unit") if isinstance(body, dict) else None
        if not isinstance(unit, str) or not unit:
            raise SyncError("bad_answer", "HQ's answer about the code was not readable, so it was not used.")
        name = body.get("unit_name") if isinstance(body, dict) else None
        return unit, name if isinstance(name, str) and name else unit

    def push(self, items: list[PushItem], laptop_time: datetime | None = None) -> list[ItemResult]:
        """`laptop_time`: this laptop's clock as it sends, so that HQ can tell how far off it is
        (`hq.device_clock`) and say so beside the times it recorded."""
        wire: dict[str, Any] = {"items": [i.to_wire() for i in items]}
        if laptop_time is not None:
            wire["laptop_time"] = laptop_time.isoformat()
        body = self._json("POST", "/v1/push", json=wire)
        raw = body.get("results")
        try:
            if not isinstance(raw, list):
                raise ProtocolError("no results")
            results = [ItemResult.from_wire(r) for r in raw]
        except ProtocolError as error:
            raise SyncError("bad_answer", f"HQ answered a push with something unexpected ({error}).") from None
        sent = {(i.uuid, i.version) for i in items}
        if any((r.uuid, r.version) not in sent for r in results):
            raise SyncError(
                "bad_answer", "HQ acknowledged records this laptop did not send, so its answer was not used."
            )
        return results

    def feedback_key(self) -> dict[str, str]:
        """This laptop's id and feedback-link key, for a laptop enrolled before HQ gave them at enrollment."""
        body = self._json("GET", "/v1/feedback-key")
        if (
            not isinstance(body, dict)
            or not isinstance(body.get("device_id"), str)
            or key_from_text(body.get("feedback_key")) is None
        ):
            raise SyncError("bad_answer", "HQ sent a feedback key this version cannot read.")
        return {"device_id": body["device_id"], "feedback_key": body["feedback_key"]}

    def phone_answers(self, session_uuid: str) -> int:
        body = self._json("GET", f"/v1/feedback-count/{session_uuid}")
        count = body.get("phone_answers") if isinstance(body, dict) else None
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise SyncError("bad_answer", "HQ sent a count this version cannot read.")
        return count

    def phone_feedback(self, session_uuids: list[str]) -> list[dict[str, Any]]:
        """The answers phones gave HQ's form for these sessions (untrusted: `store.feedback` checks each)."""
        if not session_uuids:
            return []
        body = self._json("GET", "/v1/phone-feedback", params={"session": session_uuids})
        forms = body.get("forms") if isinstance(body, dict) else None
        if not isinstance(forms, list):
            raise SyncError("bad_answer", "HQ sent phone feedback this version cannot read.")
        return [f for f in forms if isinstance(f, dict)]

    def snapshot(self) -> Changes | None:
        """The first pull at once, as one batch (see hq/snapshot.py); None from an HQ that pages it instead."""
        response = self._request("GET", "/v1/snapshot", absent_ok=True)
        if response.status_code == 404:
            return None
        with collector.paused():  # the answer has arrived: decoding it makes half a million objects at once
            try:
                body = response.json()
            except (ValueError, json.JSONDecodeError):
                raise SyncError("bad_answer", "HQ's answer was not readable, so it was not used.") from None
            try:
                return snapshot_from_wire(body)
            except ProtocolError as error:
                raise SyncError("bad_answer", f"HQ sent a first pull this version cannot read ({error}).") from None

    def changes(self, since: int, limit: int = 500) -> Changes:
        body = self._json("GET", "/v1/changes", params={"since": since, "limit": limit})
        try:
            return Changes.from_wire(body)
        except ProtocolError as error:
            raise SyncError("bad_answer", f"HQ sent changes this version cannot read ({error}).") from None

    def content_held(self, version: int) -> bool:
        """Tell HQ the lesson content version this laptop has installed; False from an HQ of an earlier
        release, which does not ask."""
        response = self._request("POST", "/v1/content-held", absent_ok=True, json={"version": version})
        return response.status_code != 404

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
                raise SyncError("offline", "The download from HQ was cut off part-way.") from None

    # --- plumbing -------------------------------------------------------------------------------
    def _json(self, method: str, path: str, auth: bool = True, **kwargs: Any) -> dict[str, Any]:
        response = self._request(method, path, auth=auth, **kwargs)
        try:
            body = response.json()
        except (ValueError, json.JSONDecodeError):
            raise SyncError("bad_answer", "HQ's answer was not readable, so it was not used.") from None
        if not isinstance(body, dict):
            raise SyncError("bad_answer", "HQ's answer was not in the expected shape, so it was not used.")
        return body

    def _request(
        self, method: str, path: str, auth: bool = True, absent_ok: bool = False, **kwargs: Any
    ) -> requests.Response:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if auth:
            if not self.token:
                raise SyncError("not_enrolled", "This laptop is not enrolled with HQ yet.")
            headers["Authorization"] = f"Bearer {self.token}"
        last, answered = "", ""
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
            except _TooLargeError:
                raise SyncError(
                    "bad_answer", "HQ's answer was far larger than any HQ sends, so it was not read or used."
                ) from None
            except requests.exceptions.SSLError as error:
                raise SyncError("refused", _certificate_refusal(str(error))) from None
            except _NETWORK_FAILURES as error:
                last, answered = _in_words(error), ""
                if not self.retry_unreached and _never_connected(error):
                    break
                self._back_off(attempt, None)
                continue
            # Before HQ's own answers are read: a sign-in page's 401 is not HQ forgetting this laptop, nor its
            # 511 or a proxy's error page a fault of HQ's.
            if not_from_hq(response, streamed=bool(kwargs.get("stream"))):
                raise SyncError("not_hq", someone_else_answered(self.base_url))
            if response.status_code == 401:
                raise SyncError(
                    "auth",
                    "HQ no longer recognises this laptop: enroll it again. Every record is kept here until then.",
                )
            if response.status_code == 426:
                raise SyncError("update_required", "HQ needs a newer version of Trainer Desk: update required.")
            if response.status_code == 429 and path.startswith("/v1/enroll"):  # wrong codes: waiting cannot help
                raise SyncError(
                    "refused",
                    "Too many wrong enrollment codes were tried from this network: try again in a few minutes.",
                )
            if response.status_code == 429 or response.status_code >= 500:  # tried again
                busy = response.status_code in (429, 503)
                last = f"{'it is busy' if busy else 'it reported a fault'} (HTTP {response.status_code})"
                answered = "busy" if busy else "server"
                self._back_off(attempt, response.headers.get("Retry-After"))
                continue
            if response.status_code == 404 and absent_ok:
                return response
            if not 200 <= response.status_code < 300:
                detail = _detail(response)
                raise SyncError("refused", f"HQ refused the request (HTTP {response.status_code}{detail}).")
            return response
        said = f"HQ answered but could not take this sync: {last}" if answered else f"HQ could not be reached: {last}"
        # A fault or a busy HQ is not this laptop's network: its own kind, so it is not called offline.
        raise SyncError(answered or "offline", f"{said}. Everything stays saved on this laptop; it tries again later.")

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """The request runs on a helper thread, so that `stop` ends the wait for an HQ that has stopped
        answering at once rather than at the read timeout. A request left behind is harmless: pushes are
        idempotent, and the helper ends at its own timeout or with the app."""
        outcome: list[requests.Response | BaseException] = []
        done = threading.Event()
        streamed = bool(kwargs.pop("stream", False))  # a download reads its own body, in chunks, to a file

        def send() -> None:
            try:
                response = self.http.request(method, url, stream=True, **kwargs)
                if not streamed:
                    _read_body(response, self.max_answer_bytes)
                outcome.append(response)
            except BaseException as error:  # handed to the waiting thread, which raises it
                outcome.append(error)
            finally:
                done.set()

        threading.Thread(target=send, name="hq-request", daemon=True).start()
        deadline = time.monotonic() + self.answer_deadline_s
        while not done.wait(0.1):
            if self.stop.is_set():
                raise _stopped()
            if time.monotonic() > deadline:
                raise SyncError(
                    "offline",
                    f"HQ took more than {self.answer_deadline_s:.0f} seconds to answer, so this sync stopped. "
                    "Everything stays saved on this laptop; it tries again later.",
                )
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


class _TooLargeError(Exception):
    """An answer longer than the client's `max_answer_bytes`."""


def _read_body(response: requests.Response, limit: int) -> None:
    """Read the answer's body, refusing one past `limit` bytes as it arrives (a whole one in memory could take
    the laptop's). Kept where requests keeps a body it read itself, so `.json()` and `.text` use it."""
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limit:
        response.close()
        raise _TooLargeError
    try:
        body = response.raw.read(limit + 1, decode_content=True)  # in one call: urllib3 reads it in large pieces
    except urllib3.exceptions.HTTPError as error:  # into requests' own errors, as requests itself does
        response.close()
        if isinstance(error, urllib3.exceptions.ReadTimeoutError):
            raise requests.exceptions.ConnectionError(error) from None
        raise requests.exceptions.ChunkedEncodingError(error) from None
    if len(body) > limit:
        response.close()
        raise _TooLargeError
    response._content = body  # requests' own store for a body it has read
    response.raw.release_conn()  # read to its end: the connection serves the next request


def _certificate_refusal(reason: str) -> str:
    """Why HQ's certificate was not trusted, and who can put it right. A certificate "not yet valid" or
    "expired" is most often this laptop's clock, set wrong: IT's trust settings are not the cause."""
    if "not yet valid" in reason or "has expired" in reason:
        now = force_clock.local(datetime.now(UTC))
        return (
            "HQ's certificate could not be verified, so nothing was sent: it is not valid at this laptop's date "
            f"and time ({now:%d %b %Y %H:%M}). Check the computer's date and time; if they are right, HQ's "
            "certificate has run out: tell HQ's IT."
        )
    return (
        "HQ's certificate could not be verified, so nothing was sent. If your force uses its own certificate "
        "authority, IT sets hq_certificates or hq_ca_file in IT's settings file."
    )


def _in_words(error: Exception) -> str:
    if isinstance(error, requests.exceptions.ProxyError):
        return "the proxy set in hq_proxy could not be reached, or would not pass the connection on"
    if isinstance(error, requests.Timeout):
        return "no answer in time"
    if isinstance(error, requests.ConnectionError):
        return "no connection to it"
    return "the connection broke off"


def _never_connected(error: Exception) -> bool:
    """No connection to HQ was made (refused, no route, the name unknown, the connect timed out): the request
    never left this laptop."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(error, requests.ConnectionError) and isinstance(reason, urllib3.exceptions.NewConnectionError)


def _stopped() -> SyncError:
    return SyncError("stopped", "Sync stopped as Trainer Desk closed. Everything stays saved on this laptop.")


def _detail(response: requests.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return ""
    return f": {str(detail)[:200]}" if detail else ""


def _tls_context(network: HqNetwork) -> ssl.SSLContext | None:
    """The certificates HQ's may chain to, when IT chose other than the bundled list (None: requests' own)."""
    if network.certificates == "bundled" and not network.ca_file:
        return None
    context: ssl.SSLContext
    if network.certificates == "system":
        import truststore  # the OS verifies: Windows and macOS their stores, Linux OpenSSL's system paths

        context = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    else:
        context = ssl.create_default_context(cafile=requests.utils.DEFAULT_CA_BUNDLE_PATH)
    if network.ca_file:
        try:
            context.load_verify_locations(cafile=network.ca_file)
        except OSError as error:  # ssl.SSLError is an OSError too, without a strerror
            why = error.strerror if error.strerror and not isinstance(error, ssl.SSLError) else None
            raise SyncError(
                "settings",
                f"The certificate file IT set for HQ (hq_ca_file = {network.ca_file}) "
                + (f"cannot be read: {why}." if why else "holds no certificate in PEM form.")
                + " Nothing was sent; ask IT to correct it.",
            ) from None
    return context


class _TlsContextAdapter(HTTPAdapter):
    """Verifies HQ against `context`, whether the connection is direct or tunnelled through a proxy."""

    def __init__(self, context: ssl.SSLContext) -> None:
        self.context = context
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ssl_context"] = self.context
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs["ssl_context"] = self.context
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def _proxies(network: HqNetwork, url: str) -> dict[str, str]:
    """Only IT's proxy; "system" reads the system's settings (the proxy variables and their exceptions, or
    the Windows and macOS settings) for HQ's address alone, once per client."""
    if not network.proxy:
        return {}
    scheme = urlsplit(url).scheme
    if network.proxy != "system":
        return {scheme: network.proxy}
    chosen = requests.utils.select_proxy(url, requests.utils.get_environ_proxies(url))
    return {scheme: chosen} if chosen else {}
