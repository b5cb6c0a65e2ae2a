"""HQ's HTTP API (FastAPI): enrollment, push, pull and content download. Its OpenAPI document is at
/openapi.json. Every request but enrollment carries a device token; every body is checked on arrival."""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time, and they name
# dependencies defined inside create_app.

import asyncio
import contextlib
import functools
import logging
import math
import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, JSONResponse, Response
from sqlalchemy import Engine

from trainer_desk import __version__
from trainer_desk.hq import completions, content_uptake, device_clock, devices, feedback_keys, receipt, units, wire_json
from trainer_desk.hq import database as hq_database
from trainer_desk.hq import pull as hq_pull
from trainer_desk.hq import snapshot as hq_snapshot
from trainer_desk.hq.browser_guards import BrowserGuards
from trainer_desk.hq.group_commit import GroupCommit
from trainer_desk.hq.phone_feedback import forms_for, phone_answers, phone_feedback_app
from trainer_desk.hq.rate_limit import FailureLimit
from trainer_desk.hq.unexpected_errors import UnexpectedErrors, as_json, as_plain_page
from trainer_desk.logs import log_failure
from trainer_desk.sync.protocol import (
    MAX_BATCH_BYTES,
    MAX_BATCH_ITEMS,
    MAX_ENROLL_BYTES,
    MAX_PULL_ITEMS,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    SUPPORTED_PROTOCOLS,
    ProtocolError,
    PushItem,
    content_held_from_wire,
    valid_device_key,
)

log = logging.getLogger(__name__)

SMALL_BODY_BYTES = 64 * 1024  # a routine push of a few dozen records is well under this
WRONG_CODES_ALLOWED = 10  # per client address in a window; a trainer mistyping a code needs a few at most
WRONG_CODES_WINDOW_S = 600.0


class ProtocolVersionMiddleware:
    """Answers 426 (update required) to a laptop speaking another protocol version, and names ours on every
    answer. Plain ASGI, so it adds nothing to the cost of a request."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(PROTOCOL_HEADER.lower().encode(), b"").decode()
        if scope["path"].startswith("/v1/") and given not in {str(v) for v in SUPPORTED_PROTOCOLS}:
            response = JSONResponse({"detail": "update required", "protocol": PROTOCOL_VERSION}, status_code=426)
            await response(scope, receive, send)
            return

        async def send_with_version(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append(
                    (PROTOCOL_HEADER.lower().encode(), str(PROTOCOL_VERSION).encode())
                )
            await send(message)

        await self.app(scope, receive, send_with_version)


def create_app(
    engine: Engine,
    blobs: Path,
    wrong_codes: FailureLimit | None = None,
    console_secret: str | None = None,
    secure_cookies: bool = True,
    setup_token: str = "",
) -> FastAPI:
    """The sync API for laptops, and with a `console_secret` (which signs its session cookies) the console
    for people, under /console."""

    @contextlib.asynccontextmanager
    async def following(_app: FastAPI) -> AsyncIterator[None]:
        """While HQ serves, its completions table follows what arrives, outside every push's transaction."""
        task = asyncio.create_task(_follow_completions(engine, pushes))
        yield
        task.cancel()

    app = FastAPI(
        lifespan=following,
        title="Trainer Desk HQ",
        version=__version__,
        description=f"Sync protocol version {PROTOCOL_VERSION}: see docs/sync-protocol.md",
        docs_url=None,  # pages that load their scripts from a public CDN, beside the console's own: not served
        redoc_url=None,
    )

    app.add_middleware(UnexpectedErrors, answer=unexpected_answer)
    app.add_middleware(ProtocolVersionMiddleware)
    app.add_middleware(BrowserGuards, over_tls=secure_cookies)
    pushes = GroupCommit(functools.partial(receipt.apply_pushes, engine))
    wrong_codes = wrong_codes or FailureLimit(WRONG_CODES_ALLOWED, WRONG_CODES_WINDOW_S)

    def device(authorization: Annotated[str, Header()] = "") -> devices.Device:
        found = devices.device_for_token(engine, token) if (token := _token(authorization)) else None
        if found is None:
            raise _unknown_device()
        return found

    def guessing_wait(request: Request) -> str:
        """The caller's address, unless it has sent too many wrong codes lately: it is then told to wait before
        its next guess is even looked at."""
        address = request.client.host if request.client else ""
        if wait := wrong_codes.wait_for(address):
            raise HTTPException(
                status_code=429,
                detail="too many wrong enrollment codes from this address: try again later",
                headers={"Retry-After": str(math.ceil(wait))},
            )
        return address

    @app.post("/v1/enroll/check", response_model=None)
    async def check_code(request: Request) -> JSONResponse:
        """The unit a code enrolls for, the code left unused, so the laptop can say before the trainer
        enrolls which of its sessions HQ would refuse. A wrong code counts as one does at /v1/enroll."""
        address = guessing_wait(request)
        try:
            body = wire_json.decoded(await _body_within(request, MAX_ENROLL_BYTES))
        except (ValueError, RecursionError):
            raise HTTPException(status_code=400, detail="the request is not JSON") from None
        code = body.get("code") if isinstance(body, dict) else None
        if not isinstance(code, str) or len(code) > 64:
            raise HTTPException(status_code=400, detail="code must be text")
        unit = await run_in_threadpool(devices.unit_of_code, engine, code)
        if unit is None:
            wrong_codes.failed(address)
            raise HTTPException(status_code=403, detail="this code is unknown, used or expired")
        words = await run_in_threadpool(units.unit_in_words, engine, unit)
        return JSONResponse({"unit": unit, "unit_name": words})

    @app.post("/v1/enroll", response_model=None)
    async def enroll(request: Request) -> JSONResponse:
        # Anyone can call this, so it reads at most a few kilobytes.
        address = guessing_wait(request)
        raw = await _body_within(request, MAX_ENROLL_BYTES)
        try:
            body = wire_json.decoded(raw)
        except (ValueError, RecursionError):
            raise HTTPException(status_code=400, detail="the enrollment request is not JSON") from None
        if not isinstance(body, dict):
            raise HTTPException(status_code=400, detail="the enrollment request must be an object")
        code, name, key = body.get("code"), body.get("device_name", "laptop"), body.get("device_key")
        if not isinstance(code, str) or len(code) > 64 or not isinstance(name, str) or not _storable(name):
            raise HTTPException(status_code=400, detail="code and device_name must be text")
        if key is not None and not valid_device_key(key):
            raise HTTPException(status_code=400, detail="device_key must be 32 to 128 letters, digits, '-' or '_'")
        made = await run_in_threadpool(devices.enroll, engine, code, name, key)
        if made is None:
            wrong_codes.failed(address)
            raise HTTPException(status_code=403, detail="this code is unknown, used or expired")
        found, token = made
        key = await run_in_threadpool(feedback_keys.for_device, engine, found.id)
        return JSONResponse(
            {
                "device_id": found.id,
                "token": token,
                "trainer": found.trainer,
                "unit": found.unit,
                "feedback_key": feedback_keys.as_text(key) if key else None,
            }
        )

    @app.post("/v1/push", response_model=None)
    async def push(request: Request, authorization: Annotated[str, Header()] = "") -> JSONResponse:
        # The token is checked inside the push's transaction. A large body is read only once the token is
        # known good, so a stranger cannot make HQ read and parse megabytes; reading a small one costs about
        # what a separate check would, so it waits for the transaction's. The answer is sent as it is,
        # without FastAPI's generic re-encoding.
        token = _token(authorization)
        size = _declared_size(request)
        small = size is not None and size <= SMALL_BODY_BYTES
        if not token or (not small and await run_in_threadpool(devices.device_for_token, engine, token) is None):
            raise _unknown_device()
        raw = await _body_within(request, MAX_BATCH_BYTES * 2)
        try:
            body = wire_json.decoded(raw)  # nesting too deep for the parser is a RecursionError: refused as malformed
            items = body.get("items") if isinstance(body, dict) else None
            if not isinstance(items, list) or len(items) > MAX_BATCH_ITEMS:
                raise ProtocolError(f"items must be a list of at most {MAX_BATCH_ITEMS}")
            parsed = [PushItem.from_wire(i) for i in items]
        except (ValueError, ProtocolError, RecursionError) as error:
            detail = "nested too deeply" if isinstance(error, RecursionError) else str(error)
            raise HTTPException(status_code=400, detail=f"malformed batch: {detail}") from None
        # A lost device still pushes: what it holds reaches HQ before its next pull tells it to wipe.
        results = await pushes.apply(token, parsed)
        if results is None:
            raise _unknown_device()
        if (off := device_clock.difference_from_wire(body.get("laptop_time"))) is not None:
            await run_in_threadpool(device_clock.note, engine, token, off)  # said beside the times it recorded
        return JSONResponse(
            {"results": [r.to_wire() for r in results], "server_time": hq_database.utc_now().isoformat()}
        )

    @app.get("/v1/changes", response_model=None)
    async def changes(
        since: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1, le=MAX_PULL_ITEMS)] = 500,
        authorization: Annotated[str, Header()] = "",
        protocol: Annotated[str, Header(alias=PROTOCOL_HEADER)] = "1",
    ) -> Response:
        # One trip to the thread pool and one connection for the token check and the reads.
        token = _token(authorization)
        force_wide = protocol != "1"  # a version 1 laptop gets its unit's roster only, and no completions
        found = await run_in_threadpool(hq_pull.pull, engine, token, since, limit, force_wide) if token else None
        if found is None:
            raise _unknown_device()
        return Response(found.body(force_wide, hq_database.utc_now().isoformat()), media_type="application/json")

    @app.get("/v1/snapshot", response_model=None)
    async def snapshot(
        authorization: Annotated[str, Header()] = "",
        protocol: Annotated[str, Header(alias=PROTOCOL_HEADER)] = "1",
    ) -> Response:
        """A laptop's first pull of its force, at once (see hq/snapshot.py); a version 1 laptop pages instead."""
        if protocol == "1":
            raise HTTPException(status_code=404, detail="a first pull by pages, for this version")
        token = _token(authorization)
        found = await run_in_threadpool(hq_snapshot.snapshot, engine, token) if token else None
        if found is None:
            raise _unknown_device()
        return Response(found, media_type="application/json")

    @app.get("/v1/feedback-key")
    def feedback_key(who: Annotated[devices.Device, Depends(device)]) -> dict[str, str]:
        """The key this laptop signs its classrooms' feedback links with, for a laptop enrolled before HQ gave
        one at enrollment; and its id, which the links name."""
        key = feedback_keys.for_device(engine, who.id)
        if key is None:
            raise _unknown_device()
        return {"device_id": who.id, "feedback_key": feedback_keys.as_text(key)}

    @app.get("/v1/feedback-count/{session_uuid}")
    def feedback_count(session_uuid: str, who: Annotated[devices.Device, Depends(device)]) -> dict[str, int]:
        """How many phones have answered a session's feedback form so far: what the presenter shows at the
        close. A number only, of a session named by its unguessable id."""
        return {"phone_answers": phone_answers(engine, session_uuid[:36])}

    @app.get("/v1/phone-feedback")
    def phone_feedback(
        who: Annotated[devices.Device, Depends(device)], session: Annotated[list[str], Query()]
    ) -> dict[str, Any]:
        """The phone answers to a laptop's recent sessions (at most 100 named), for its reports."""
        return {"forms": forms_for(engine, who, [s[:36] for s in session[:100]])}

    @app.get("/v1/content/{sha256}")
    def content(sha256: str, who: Annotated[devices.Device, Depends(device)]) -> FileResponse:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise HTTPException(status_code=400, detail="not a sha256")
        path = blobs / sha256
        if not path.is_file():
            raise HTTPException(status_code=404, detail="no such content")
        return FileResponse(path, media_type="application/octet-stream")

    @app.post("/v1/content-held")
    async def content_held(request: Request, who: Annotated[devices.Device, Depends(device)]) -> dict[str, int]:
        """The lesson content version a laptop holds, said once it has installed it (see hq/content_uptake.py)."""
        try:
            version = content_held_from_wire(wire_json.decoded(await _body_within(request, 1024)))
        except (ValueError, ProtocolError, RecursionError) as error:
            raise HTTPException(status_code=400, detail=f"malformed content version: {error}") from None
        if not await run_in_threadpool(content_uptake.note_held, engine, who.id, version):
            raise HTTPException(status_code=400, detail=f"HQ never published content version {version}")
        return {"version": version}

    app.mount("/feedback", phone_feedback_app(engine, blobs.parent, secure_cookies))
    if console_secret is not None:
        from trainer_desk.hq.console.app import console_app

        def pushing() -> bool:
            return pushes.busy

        app.mount("/console", console_app(engine, console_secret, secure_cookies, blobs.parent, pushing, setup_token))

    @app.get("/health")
    def health() -> dict[str, Any]:
        return {"status": "ok", "protocol": PROTOCOL_VERSION, "server_time": hq_database.utc_now().isoformat()}

    return app


async def _body_within(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed `limit`, without reading the rest."""
    if (_declared_size(request) or 0) > limit:
        raise HTTPException(status_code=413, detail="batch too large")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(status_code=413, detail="batch too large")
        chunks.append(chunk)
    return b"".join(chunks)


def _declared_size(request: Request) -> int | None:
    """The body size the sender declared; None when it is sending in chunks."""
    declared = request.headers.get("content-length", "")
    return int(declared) if declared.isdigit() else None


def _token(authorization: str) -> str:
    return authorization.removeprefix("Bearer ").strip()


FOLLOW_EVERY_S = 1.0
FOLLOW_BATCH = 2000


async def _follow_completions(engine: Engine, pushes: GroupCommit) -> None:
    """A small batch at a time, and only while no push is waiting: laptops' answers come first, and readers
    catch up whatever is left themselves."""
    while True:
        await asyncio.sleep(FOLLOW_EVERY_S)
        if pushes.busy:
            continue
        try:
            await asyncio.to_thread(completions.catch_up, engine, 1, FOLLOW_BATCH)
        except Exception as error:  # a reader catches up itself; the next round tries again
            log_failure(log, "catching up the completions table", error)


def unexpected_answer(request: Request, error: BaseException) -> Response:
    """The phone feedback pages are mounted here too: a phone gets a page, a laptop the API's JSON."""
    if request.url.path.startswith("/feedback"):
        return as_plain_page(request, error)
    return as_json(request, error)


def _unknown_device() -> HTTPException:
    return HTTPException(status_code=401, detail="unknown or revoked device: enroll again")


def _storable(text: str) -> bool:
    """Text HQ can store and print: no control characters, and no lone surrogates (which are not printable)."""
    return text.isprintable()


def app_for_database(
    url: str, blobs: Path, secure_cookies: bool = True, only: str = "", setup_token: str = ""
) -> FastAPI:
    """The app for one server process, on its own engine (see `serve`); `only="feedback"`: the public
    feedback form alone, for the address IT exposes to participants' phones. `setup_token`: see `first_admin`."""
    engine = hq_database.open_engine(url)
    if only == "feedback":
        public = FastAPI(title="Trainer Desk feedback", docs_url=None, redoc_url=None, openapi_url=None)
        public.mount("/feedback", phone_feedback_app(engine, blobs.parent, secure_cookies))
        public.add_middleware(UnexpectedErrors, answer=as_plain_page)
        public.add_middleware(BrowserGuards, over_tls=secure_cookies)
        return public
    return create_app(engine, blobs, None, console_secret(blobs.parent), secure_cookies, setup_token)


def console_secret(home: Path) -> str:
    """The key that signs console sessions, made once per HQ and kept beside its data, readable by HQ alone;
    every worker process reads the same one. Replacing the file signs everyone out."""
    path = home / "console.key"
    if not path.exists():
        home.mkdir(parents=True, exist_ok=True)
        try:
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        except FileExistsError:
            pass  # another worker made it first
    return path.read_text().strip()
